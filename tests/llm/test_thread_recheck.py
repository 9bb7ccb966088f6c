"""A run's thread count reaches llama.cpp between requests (llama_set_n_threads on the
live context), with the demo model; a count given by the caller never moves."""
from __future__ import annotations

import llama_cpp

from engine.llm.base import GenerationRequest, generate
from engine.llm.llama_backend import LlamaBackend

REQUEST = GenerationRequest(messages=[{"role": "user", "content": "Name a river."}],
                            max_tokens=8, temperature=0.0, seed=1)


def live_threads(backend) -> tuple[int, int]:
    ctx = backend.llm.ctx
    return llama_cpp.llama_n_threads(ctx), llama_cpp.llama_n_threads_batch(ctx)


def test_a_new_count_is_the_one_the_next_decode_uses(demo_model_path):
    backend = LlamaBackend(demo_model_path, n_ctx=512, prompt_cache="off")
    try:
        chosen = backend.n_threads
        assert backend.threads.adaptive and live_threads(backend) == (chosen, chosen)
        other = chosen + 1
        backend.threads.apply(other)
        assert live_threads(backend) == (other, other) and backend.llm.n_threads == other
        backend.threads.apply(1)   # generate on one thread: more than the free cores of a
        assert live_threads(backend) == (1, 1)   # busy test machine would crawl
        assert generate(backend, REQUEST).completion_tokens > 0
    finally:
        backend.close()


def test_a_given_count_is_fixed(demo_model_path):
    backend = LlamaBackend(demo_model_path, n_ctx=512, prompt_cache="off", n_threads=1)
    try:
        assert backend.recheck_threads() == 1 and live_threads(backend) == (1, 1)
        assert not backend.threads.adaptive
    finally:
        backend.close()
