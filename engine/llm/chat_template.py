"""Apply a model's own chat template (Jinja2 text from GGUF metadata).

MiniCPM-family templates (AgentCPM-Report's base is MiniCPM4.1) switch reasoning on with
`enable_thinking`; the WARP protocol requires it off, so it is always passed as False
(templates that do not know the variable ignore it). The environment matches Hugging
Face's apply_chat_template: sandboxed, trim_blocks and lstrip_blocks.

A GGUF without a template is refused with an error naming the model, unless the caller
picks a fallback explicitly (open_backend(..., template_fallback="chatml")): silently
guessing a format makes a model answer badly with no visible cause.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from engine.llm.base import ModelError

CHATML = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
          "message['content'] + '<|im_end|>\\n' }}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
FALLBACKS = {"chatml": CHATML}


@lru_cache(maxsize=8)
def _compile(template: str):
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)

    def raise_exception(message):
        raise ModelError(f"chat template error: {message}")

    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)  # Llama 3 templates
    return env.from_string(template)


class ChatTemplate:
    def __init__(self, template: str | None, *, bos: str = "", eos: str = "",
                 fallback: str | None = None, model_name: str = "model") -> None:
        if not template:
            if fallback not in FALLBACKS:
                raise ModelError(
                    f"{model_name} has no chat template in its GGUF metadata; choose a "
                    f"fallback template ({', '.join(FALLBACKS)}) or use a model that has one")
            template = FALLBACKS[fallback]
        self.text = template
        self.bos, self.eos = bos, eos

    def render(self, messages: list[dict]) -> str:
        try:
            return _compile(self.text).render(messages=messages, add_generation_prompt=True,
                                              bos_token=self.bos, eos_token=self.eos,
                                              enable_thinking=False)
        except ModelError:
            raise
        except Exception as exc:  # a broken template in a user's GGUF
            raise ModelError(f"the model's chat template failed: {exc}") from None
