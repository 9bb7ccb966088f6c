"""Two-pass generation of a WARP reply on the in-process llama.cpp backend.

Pass 1 writes the thought with no grammar, stopped at `</thought>` or after
`thought_tokens`. Pass 2 continues from `...</thought>\\n<action>` over the same KV
cache with the action grammar. Bounding the thought inside a grammar instead
(`[^<]{1,600}`) works but slows sampling 8-15x on llama.cpp; two passes keep both
bounds and full speed.
"""
from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING, Iterator

from engine.cancel import CancelToken
from engine.llm.base import (ContextOverflow, GenerationRequest, GenerationResult, ModelError,
                             StreamItem, TokenDelta)
from engine.llm.decode import DecodeOutcome, decode

if TYPE_CHECKING:
    from engine.llm.llama_backend import LlamaBackend

OPEN, BRIDGE, CLOSE = "<thought>", "</thought>\n<action>", "</action>"


def stream_reply(backend: "LlamaBackend", request: GenerationRequest,
                 cancel: CancelToken | None) -> Iterator[StreamItem]:
    fmt = request.reply
    assert fmt is not None
    prompt = backend.prompt_tokens(request.messages)
    if len(prompt) + request.max_tokens > backend.n_ctx:
        raise ContextOverflow(f"prompt of {len(prompt)} tokens plus a reply budget of "
                              f"{request.max_tokens} exceeds the {backend.n_ctx}-token context")
    reused = backend._restore(prompt)
    seed = request.seed if request.seed is not None else random.randrange(2**31)
    started = time.perf_counter()
    first = DecodeOutcome()
    yield TokenDelta(OPEN)
    yield from _run(backend, prompt + backend.tokenize(OPEN), first, cancel, seed,
                    max_tokens=min(fmt.thought_tokens, request.max_tokens), grammar=None,
                    stop=["</thought>", "<action>"], temperature=request.temperature,
                    top_p=request.top_p)
    # Evaluated counts the prompt only (comparable with single-pass runs); re-reading
    # the thought before the action is part of producing the reply.
    thought, evaluated = first.text, len(prompt) - reused
    second = DecodeOutcome()  # finish_reason stays "length" unless decoding stops itself
    if first.finish_reason == "cancelled":
        second.finish_reason = "cancelled"
    else:
        yield TokenDelta(BRIDGE)
        tokens = prompt + backend.tokenize(OPEN + thought + BRIDGE)
        yield from _run(backend, tokens, second, cancel, seed + 1,
                        max_tokens=_action_budget(request, fmt.action_tokens,
                                                  first.completion_tokens),
                        grammar=backend._grammar(fmt.action_grammar), stop=[],
                        temperature=request.temperature, top_p=request.top_p)
    backend._save(request.cache_slot)
    text, finish = OPEN + thought + BRIDGE + second.text, second.finish_reason
    if finish == "length" and fmt.close_on_length and not text.endswith(CLOSE):
        yield TokenDelta(CLOSE)
        text, finish = text + CLOSE, "stop"
    ended = time.perf_counter()
    yield GenerationResult(
        text=text if first.finish_reason != "cancelled" else OPEN + thought,
        finish_reason="cancelled" if "cancelled" in (first.finish_reason, finish) else finish,
        prompt_tokens=len(prompt), prompt_tokens_evaluated=evaluated,
        completion_tokens=first.completion_tokens + second.completion_tokens,
        prompt_seconds=(first.first_token_at or ended) - started,
        decode_seconds=ended - (first.first_token_at or ended))


def _action_budget(request: GenerationRequest, cap: int | None, used: int) -> int:
    budget = max(1, request.max_tokens - used)
    return min(budget, cap) if cap else budget


def _run(backend: "LlamaBackend", tokens: list[int], outcome: DecodeOutcome,
         cancel: CancelToken | None, seed: int, **options) -> Iterator[TokenDelta]:
    try:
        for piece in decode(backend.llm, tokens, seed=seed, cancel=cancel, outcome=outcome,
                            pieces=backend._pieces, lookup=backend.lookup, **options):
            yield TokenDelta(piece)
    except RuntimeError as exc:  # llama_decode failures surface as RuntimeError
        backend.llm.reset()
        raise ModelError(f"llama.cpp failed while generating: {exc}") from None
