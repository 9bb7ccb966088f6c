"""Prompt-lookup decoding: draft tokens copied from the prompt, verified in one batch.

A write re-states the passages it was shown. When the last few tokens generated also
occur earlier (in the prompt or the reply so far), the tokens that followed them there
are a cheap guess of what comes next. One llama_decode evaluates the pending token plus
the guessed ones, with logits requested only for those positions; then the *same*
sampler chain llama-cpp-python's Llama.generate builds (penalties, grammar, top-k ...
temperature, dist; or greedy) samples each position in order, and the run stops at the
first position whose sample differs from the guess. That sampled token is kept, the KV
cells of the rejected guesses are removed (llama_memory_seq_rm) and the next round
starts from it.

Why the output is unchanged: every emitted token is drawn by one llama_sampler_sample
call, in order, from the model's logits at its position given exactly the tokens
emitted before it -- the same calls, in the same order, drawing the same random
numbers as plain decoding. For a deterministic draft this *is* the standard
speculative acceptance (accept the guess with probability p(guess), else sample the
rest of p): P(emit x) = p(x) either way. The grammar sampler only ever accepts emitted
tokens, so constrained replies (the demo model's writes) stay inside their grammar.
What differs is arithmetic: llama.cpp's CPU kernels compute a one-token llama_decode
(matrix-vector) differently from a multi-token one (matrix-matrix; 2 to 32 tokens gave
the same logits). On the demo model (Q4_1) the logits at a position differed by 0.03 to
0.85 at most, depending on the position, so greedy text parts where the two best are that
close, and sampled text parts much sooner (every draw's probabilities move a little):
both are draws from the model up to that rounding. bench_llm_throughput.py
--prompt-lookup prints the drift and counts identical texts.

Where it pays: a verification call costs about one weight read, like a one-token call,
when decoding is memory-bound (an 8B on a GPU or a Mac), so there the speedup tends to
the tokens emitted per call; on a CPU with the tiny demo model a multi-token call costs
several one-token calls, and only high acceptance pays.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass(frozen=True)
class LookupSettings:
    max_ngram: int = 3      # longest suffix looked up
    min_ngram: int = 2      # shortest (1-grams guess too often wrong to pay)
    max_draft: int = 8      # guessed tokens verified per round


# On by default only where it measured >= 1.3x plain decoding (bench_llm_throughput.py
# --prompt-lookup); see tests/benchmarks/README.md for the figures.
DEFAULT_ON = False


def lookup_settings(value: bool | str | None) -> "PromptLookup | None":
    """The prompt_lookup setting (True/"on", False/"off", None/"auto") as what to decode
    with, or None for plain decoding."""
    if value in (None, "", "auto"):
        value = DEFAULT_ON
    return PromptLookup() if value in (True, "on", "true", 1) else None


@dataclass
class LookupStats:
    rounds: int = 0         # llama_decode calls after the prompt
    drafted: int = 0        # guessed tokens verified
    accepted: int = 0       # guessed tokens that matched the sample

    @property
    def acceptance(self) -> float:
        return self.accepted / self.drafted if self.drafted else 0.0


@dataclass
class PromptLookup:
    """What a backend decodes with: the settings and running totals since it loaded."""
    settings: LookupSettings = field(default_factory=LookupSettings)
    stats: LookupStats = field(default_factory=LookupStats)


class NgramIndex:
    """Where each n-gram of the history last occurred with a known continuation."""

    def __init__(self, tokens: list[int], settings: LookupSettings) -> None:
        self.settings = settings
        self.history: list[int] = []
        self._last: dict[tuple[int, ...], int] = {}
        for token in tokens:
            self.append(token)

    def append(self, token: int) -> None:
        # register the n-grams ending just before `token`: their continuation starts here
        end = len(self.history)
        for n in range(self.settings.min_ngram, self.settings.max_ngram + 1):
            if end >= n:
                self._last[tuple(self.history[end - n:end])] = end
        self.history.append(token)

    def draft(self, limit: int) -> list[int]:
        """Up to `limit` tokens that followed the longest matching suffix last time."""
        history = self.history
        for n in range(self.settings.max_ngram, self.settings.min_ngram - 1, -1):
            start = self._last.get(tuple(history[-n:])) if len(history) >= n else None
            if start is not None:
                return history[start:start + min(limit, self.settings.max_draft)]
        return []


def lookup_generate(llm, tokens: list[int], sampler, settings: LookupSettings,
                    stats: LookupStats | None = None) -> Iterator[int]:
    """Like Llama.generate(tokens) with `sampler` (a chain from Llama._init_sampler),
    yielding tokens until the caller stops; prompt-prefix reuse as Llama.generate does."""
    stats = stats if stats is not None else LookupStats()
    _evaluate_prompt(llm, tokens)
    index = NgramIndex(tokens, settings)
    ctx = llm._ctx
    token = sampler.sample(ctx, -1)
    confirmed = llm.n_tokens            # KV cells that belong to the emitted sequence
    try:
        while True:
            yield token
            index.append(token)
            room = llm.n_ctx() - llm.n_tokens - 1
            if room < 0:
                return
            draft = index.draft(min(room, llm.n_batch - 1))
            batch = [token] + draft
            n_past = llm.n_tokens
            llm._batch.set_batch(batch=batch, n_past=n_past, logits_all=True)
            ctx.decode(llm._batch)
            llm.input_ids[n_past:n_past + len(batch)] = batch
            llm.n_tokens = n_past + len(batch)
            confirmed = n_past + 1
            stats.rounds += 1
            stats.drafted += len(draft)
            for i, guess in enumerate(draft):
                token = sampler.sample(ctx, i)
                if token != guess:
                    break
                stats.accepted += 1
                confirmed += 1
                yield token
                index.append(token)
            else:
                token = sampler.sample(ctx, len(draft))
            _rollback(llm, confirmed)
    finally:
        _rollback(llm, confirmed)


def _evaluate_prompt(llm, tokens: list[int]) -> None:
    """Reuse the live context's common prefix (at least one token is re-evaluated so
    that the last position has fresh logits), evaluate the rest."""
    live = llm.input_ids[:llm.n_tokens].tolist()
    shared = 0
    for a, b in zip(live, tokens):
        if a != b:
            break
        shared += 1
    shared = min(shared, len(tokens) - 1)
    if shared > 0 and llm._ctx.kv_cache_seq_rm(-1, shared, -1):
        llm.n_tokens = shared
    else:
        llm.reset()
        shared = 0
    llm.eval(tokens[shared:])


def _rollback(llm, keep: int) -> None:
    """Drop KV cells (and recorded tokens) from position `keep` on: rejected guesses."""
    if llm.n_tokens > keep:
        llm._ctx.kv_cache_seq_rm(-1, keep, -1)
        llm.n_tokens = keep
