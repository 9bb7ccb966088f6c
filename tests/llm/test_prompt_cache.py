"""Prompt-cache reuse per action type: the same text with and without reuse, and far
fewer tokens evaluated when slots alternate."""
from __future__ import annotations

import pytest

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, generate
from engine.llm.prompt_cache import Saved, SlotCache

BASE = {"search": "You plan web searches. " + " ".join(f"Rule {i}: be brief." for i in range(25)),
        "write": "You write report sections. " + " ".join(f"Style {i}: cite." for i in range(25))}


def _sequence():
    """search, write, search, write: each prompt extends its own slot's last prompt."""
    for step in range(2):
        for slot in ("search", "write"):
            yield slot, f"{BASE[slot]} Step {step}: topic tides."


def _run(demo_model_path, mode: str):
    backend = open_backend(str(demo_model_path), n_ctx=1024, prompt_cache=mode)
    try:
        return [generate(backend, GenerationRequest(
            messages=[{"role": "user", "content": text}], max_tokens=8, temperature=0.0,
            seed=7, cache_slot=slot)) for slot, text in _sequence()]
    finally:
        backend.close()


@pytest.fixture(scope="module")
def runs(demo_model_path):
    return {mode: _run(demo_model_path, mode) for mode in ("off", "last", "slots")}


def test_same_text_with_and_without_reuse(runs):
    texts = {mode: [r.text for r in results] for mode, results in runs.items()}
    assert texts["off"] == texts["last"] == texts["slots"]


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
