"""The model's own chat template from GGUF metadata; MiniCPM's thinking switch; GGUFs
without a template."""
from __future__ import annotations

import pytest

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, ModelError, generate
from engine.llm.chat_template import ChatTemplate

HELLO = [{"role": "user", "content": "Hello"}]


def test_demo_model_uses_its_own_template(demo_backend):
    prompt = demo_backend.render_prompt(HELLO)
    assert prompt.endswith("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n")
    assert "SmolLM" in prompt  # the template's default system message


def test_minicpm_template_renders_with_thinking_disabled(minicpm_gguf):
    backend = open_backend(str(minicpm_gguf), n_ctx=512)
    try:
        prompt = backend.render_prompt(HELLO)
        assert prompt.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n")
        result = generate(backend, GenerationRequest(messages=HELLO, max_tokens=6,
                                                     temperature=0.0, seed=1))
        assert result.prompt_tokens == len(backend.prompt_tokens(HELLO))
        assert result.completion_tokens > 0
    finally:
        backend.close()


def test_gguf_without_template_is_refused_by_name(no_template_gguf):
    with pytest.raises(ModelError, match="no chat template.*fallback"):
        open_backend(str(no_template_gguf), n_ctx=512)


def test_explicit_chatml_fallback(no_template_gguf):
    backend = open_backend(str(no_template_gguf), n_ctx=512, template_fallback="chatml")
    try:
        assert backend.render_prompt(HELLO) == ("<|im_start|>user\nHello<|im_end|>\n"
                                                "<|im_start|>assistant\n")
    finally:
        backend.close()


def test_broken_template_is_a_model_error():
    template = ChatTemplate("{% if %}")
    with pytest.raises(ModelError, match="chat template"):
        template.render(HELLO)


def test_template_raise_exception_becomes_model_error():
    template = ChatTemplate("{{ raise_exception('only user turns') }}")
    with pytest.raises(ModelError, match="only user turns"):
        template.render(HELLO)
