"""The token loop of the in-process backend, driven one token at a time.

Llama.create_completion re-detokenizes, tracks logprobs and scans stop strings over the
whole text per token; driving Llama.generate directly costs less per token, lets the
cancel token stop generation after at most one more token, and counts tokens exactly.
"""
from __future__ import annotations

import codecs
import ctypes
import time
from dataclasses import dataclass
from typing import Iterator

from engine.cancel import CancelToken

# Sampler settings llama-cpp-python's create_completion uses unless told otherwise.
TOP_K, MIN_P, REPEAT_PENALTY = 40, 0.05, 1.0


@dataclass
class DecodeOutcome:
    text: str = ""
    finish_reason: str = "length"
    completion_tokens: int = 0
    first_token_at: float | None = None


def token_piece(llm, token: int, special: bool = False) -> bytes:
    """The bytes of one token (llama-cpp-python's own helper pads them with NULs)."""
    import llama_cpp

    size = 64
    while True:
        buf = ctypes.create_string_buffer(size)
        n = llama_cpp.llama_token_to_piece(llm._model.vocab, token, buf, size, 0, special)
        if n >= 0:
            return buf.raw[:n]
        size = -n


class PieceCache(dict):
    """token -> bytes, filled on first use: a vocabulary entry never changes."""

    def __init__(self, llm) -> None:
        super().__init__()
        self.llm = llm

    def __missing__(self, token: int) -> bytes:
        piece = self[token] = token_piece(self.llm, token)
        return piece


class StopScanner:
    """Holds back text that could still turn into a stop string."""

    def __init__(self, stops: list[str]) -> None:
        self.stops = [s for s in stops if s]
        self.hold = max((len(s) for s in self.stops), default=1) - 1
        self.text = ""
        self.emitted = 0

    def feed(self, piece: str) -> tuple[str, bool]:
        """(text safe to emit now, whether a stop string was reached)."""
        self.text += piece
        window = self.text[max(0, self.emitted - self.hold):]
        offset = max(0, self.emitted - self.hold)
        hits = [offset + window.find(s) for s in self.stops if s in window]
        if hits:
            self.text = self.text[:min(hits)]
            return self._emit(len(self.text)), True
        return self._emit(len(self.text) - self.hold), False

    def flush(self) -> str:
        return self._emit(len(self.text))

    def _emit(self, upto: int) -> str:
        upto = max(upto, self.emitted)
        out, self.emitted = self.text[self.emitted:upto], upto
        return out


def decode(llm, tokens: list[int], *, max_tokens: int, temperature: float, top_p: float,
           seed: int, grammar, stop: list[str], cancel: CancelToken | None,
           outcome: DecodeOutcome, pieces: PieceCache, lookup=None) -> Iterator[str]:
    """Yield text pieces as sampled; fill `outcome` (reason, counts, timing) on the way.
    `lookup` (engine.llm.lookup_decode.PromptLookup) turns on prompt-lookup decoding."""
    import llama_cpp

    vocab = llm._model.vocab
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
    scanner = StopScanner(stop)
    stopped = False
    llm.set_seed(seed)
    generator = _tokens(llm, tokens, temperature=temperature, top_p=top_p, grammar=grammar,
                        lookup=lookup)
    try:
        for token in generator:
            outcome.first_token_at = outcome.first_token_at or time.perf_counter()
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                outcome.finish_reason = "stop"
                break
            outcome.completion_tokens += 1
            text, stopped = scanner.feed(utf8.decode(pieces[token]))
            if text:
                yield text
            if stopped:
                outcome.finish_reason = "stop"
                break
            if outcome.completion_tokens >= max_tokens:
                break
            if cancel is not None and cancel.cancelled:
                outcome.finish_reason = "cancelled"
                break
    finally:
        generator.close()
    if not stopped:
        scanner.text += utf8.decode(b"", final=True)
    rest = scanner.flush()
    if rest:
        yield rest
    outcome.text = scanner.text


def _tokens(llm, tokens: list[int], *, temperature: float, top_p: float, grammar,
            lookup) -> Iterator[int]:
    """Llama.generate's token stream, or the same sampler driven by prompt lookup."""
    options = dict(top_k=TOP_K, top_p=top_p, min_p=MIN_P, temp=temperature,
                   repeat_penalty=REPEAT_PENALTY, grammar=grammar)
    if lookup is None:
        return llm.generate(tokens, **options)
    from engine.llm.lookup_decode import lookup_generate

    return lookup_generate(llm, tokens, llm._init_sampler(**options), lookup.settings,
                           lookup.stats)
