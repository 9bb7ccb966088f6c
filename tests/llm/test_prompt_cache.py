"""Prompt-cache reuse per action type: the same next-token logits with and without reuse
(within engine.llm.prefill.REUSE_LOGIT_TOLERANCE, the noise of batch shapes; see
tests/llm/test_reuse_logits.py), and far fewer tokens evaluated when slots alternate."""
from __future__ import annotations

import numpy as np
import pytest

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, generate
from engine.llm.prefill import REUSE_LOGIT_TOLERANCE
from engine.llm.prompt_cache import Saved, SlotCache

BASE = {"search": "You plan web searches. " + " ".join(f"Rule {i}: be brief." for i in range(25)),
        "write": "You write report sections. " + " ".join(f"Style {i}: cite." for i in range(25))}


def _sequence():
    """search, write, search, write: each prompt extends its own slot's last prompt."""
    for step in range(2):
        for slot in ("search", "write"):
            yield slot, f"{BASE[slot]} Step {step}: topic tides."


def _run(demo_model_path, mode: str):
    """Each call through the engine (default placement: flash attention as
    engine.llm.prefill sets it), one greedy reply token; with it, the logits llama.cpp
    computed after the prompt (sampling reads them without changing them, and the
    sampled token is never evaluated)."""
    from tests.llm.test_reuse_logits import last_logits

    backend = open_backend(str(demo_model_path), n_ctx=1024, prompt_cache=mode)
    results = []
    try:
        for slot, text in _sequence():
            result = generate(backend, GenerationRequest(
                messages=[{"role": "user", "content": text}], max_tokens=1, temperature=0.0,
                seed=7, cache_slot=slot))
            results.append((result, last_logits(backend.llm)))
        return results
    finally:
        backend.close()


@pytest.fixture(scope="module")
def both(demo_model_path):
    return {mode: _run(demo_model_path, mode) for mode in ("off", "last", "slots")}


@pytest.fixture(scope="module")
def runs(both):
    return {mode: [result for result, _ in calls] for mode, calls in both.items()}


def test_same_logits_with_and_without_reuse(both):
    """Reuse ("last": llama.cpp's own prefix, "slots": a restored state) leaves the
    next-token logits within the tolerance of evaluating each prompt whole ("off"), and
    the greedy token agrees wherever the top-2 gap is wider than any such shift can
    close."""
    for mode in ("last", "slots"):
        for call, ((_, whole), (result, reused)) in enumerate(zip(both["off"], both[mode])):
            assert np.abs(reused - whole).max() <= REUSE_LOGIT_TOLERANCE, (mode, call)
            top2 = np.sort(whole)[-2:]
            if top2[1] - top2[0] > 2 * REUSE_LOGIT_TOLERANCE:
                assert result.text == both["off"][call][0].text, (mode, call)


def test_slots_evaluate_only_the_new_suffix(runs):
    off, last, slots = (runs[m] for m in ("off", "last", "slots"))
    assert [r.prompt_tokens_evaluated for r in off] == [r.prompt_tokens for r in off]
    # calls 3 and 4 return to a slot: only the differing tail is evaluated
    for call in (2, 3):
        assert slots[call].prompt_tokens_evaluated < 20
        assert last[call].prompt_tokens_evaluated > slots[call].prompt_tokens - 40
    assert sum(r.prompt_tokens_evaluated for r in slots[2:]) * 2 <= sum(
        r.prompt_tokens_evaluated for r in last[2:])


def _saved(tokens, size):
    return Saved(tuple(tokens), None, size)


def test_slot_cache_picks_longest_prefix_and_prefers_live():
    cache = SlotCache(capacity_bytes=100)
    cache.put("a", _saved([1, 2, 3, 4], 10))
    cache.put("b", _saved([1, 2, 9], 10))
    assert cache.best([1, 2, 3, 4, 5], live_tokens=[1, 2, 9]) == ("a", 4)
    assert cache.best([1, 2, 9, 9], live_tokens=[1, 2, 9, 9]) == (None, 4)


def test_slot_cache_drops_least_recently_used_beyond_cap():
    cache = SlotCache(capacity_bytes=25)
    cache.put("a", _saved([1], 10))
    cache.put("b", _saved([2], 10))
    cache.get("a")
    cache.put("c", _saved([3], 10))
    assert cache.best([2], []) == (None, 0) and len(cache) == 2
    cache.put("huge", _saved([4], 30))
    assert len(cache) == 2


def test_a_slot_keeps_its_latest_states_and_replaces_the_least_recently_used():
    cache = SlotCache(capacity_bytes=1000, depth=2)
    assert cache.put("write", _saved([1, 2, 3], 10)) == "write"
    assert cache.put("write", _saved([1, 5, 6], 10)) == "write~1"
    assert cache.put("search", _saved([7], 10)) == "search"
    # an older write shares more with this prompt than the latest one does
    assert cache.best([1, 2, 3, 9], live_tokens=[7]) == ("write", 3)
    cache.get("write")                    # restored: now the most recently used write
    assert cache.put("write", _saved([1, 2, 8], 10)) == "write~1"
    assert len(cache) == 3
    cache.keep("write~1", _saved([4], 10))   # read back from disk under its own key
    assert cache.best([4, 4], live_tokens=[]) == ("write~1", 1)
