"""When to constrain decoding with a grammar.

The protocol's model was trained to answer freely (temperature 0.7, top_p 0.8, up to 2048
tokens) and performs as published that way; our grammars bound the thought (160 tokens),
JSON strings (100 characters) and writes (1024 tokens) so that llama.cpp samples them at
full speed. A small model needs those rails to make progress at all. So by default
(`constrained=None`): a small model is always constrained, a large one answers freely
and falls back to the grammar only when retrying an invalid reply, a roomier one fitted
to the authors' prompts (engine.warp.grammars: 1,024-token thought, 600-character strings,
LaTeX, code and tables, truncated writes rejected).
"""
from __future__ import annotations

from engine.llm.base import Backend

SMALL_MODEL_BYTES = 2 << 30   # under 2 GiB of weights: ~3B parameters at 4 bits or fewer


def is_small_model(backend: Backend) -> bool:
    """True for a local GGUF under SMALL_MODEL_BYTES; unknown sizes (a server, a replay)
    count as large."""
    size = getattr(backend, "model_bytes", None)   # measured once, at load
    return isinstance(size, int) and 0 < size < SMALL_MODEL_BYTES


def use_grammar(setting: bool | None, backend: Backend, attempt: int) -> bool:
    if setting is not None:
        return bool(setting)
    return attempt > 1 or is_small_model(backend)
