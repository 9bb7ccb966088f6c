"""Prompt-lookup decoding on the real demo model: the same text as plain decoding, guesses
really accepted and rejected, and a KV cache that holds exactly the emitted tokens."""
from __future__ import annotations

import re

import pytest

from engine.llm.base import GenerationRequest, generate
from engine.llm.lookup_decode import (LookupSettings, LookupStats, NgramIndex, PromptLookup,
                                      lookup_generate, lookup_settings)
from engine.llm.grammar import write_reply

PASSAGE = ("The Severn barrage was proposed in 1925, studied again in 1981 and rejected in "
           "2010 because of its cost and its effect on the estuary's birds. ")
COPY = [{"role": "user", "content": "Passage: " + PASSAGE * 2 + "\nRepeat the passage word "
         "for word, then say what year it was rejected."}]


def _ask(backend, lookup, **options):
    backend.lookup = lookup
    request = GenerationRequest(messages=COPY, max_tokens=options.pop("max_tokens", 80),
                                temperature=options.pop("temperature", 0.0), seed=3, **options)
    try:
        return generate(backend, request)
    finally:
        backend.lookup = None


def test_index_guesses_what_followed_the_longest_suffix():
    index = NgramIndex([5, 6, 7, 8, 9, 5, 6], LookupSettings(max_ngram=3, min_ngram=2,
                                                            max_draft=3))
    assert index.draft(10) == [7, 8, 9]
    index.append(1)   # suffix (6, 1) was never seen
    assert index.draft(10) == []
    assert index.draft(0) == []


def test_setting_values():
    assert lookup_settings("off") is None and lookup_settings(False) is None
    assert isinstance(lookup_settings("on"), PromptLookup)


def test_greedy_lookup_text_equals_plain(demo_backend):
    lookup = PromptLookup()
    plain, fast = _ask(demo_backend, None), _ask(demo_backend, lookup)
    assert fast.text == plain.text
    assert fast.completion_tokens == plain.completion_tokens
    assert lookup.stats.accepted > 0      # guesses from the passage were really used
    assert lookup.stats.drafted > lookup.stats.accepted   # and some were rejected


def test_sampled_lookup_draws_the_same_tokens(demo_backend):
    """Same seed, same sampler calls in the same order: the same sample."""
    plain = _ask(demo_backend, None, temperature=0.7)
    fast = _ask(demo_backend, PromptLookup(), temperature=0.7)
    assert fast.text == plain.text


def test_constrained_write_stays_in_its_grammar(demo_backend):
    """The demo model's write path (two passes, the body under the write grammar): every
    guess accepted went through the grammar sampler. (Greedy text here may part from
    plain decoding where batched logits round differently: not compared.)"""
    reply = write_reply(["textid1", "textid2"])
    lookup = PromptLookup()
    fast = _ask(demo_backend, lookup, reply=reply, max_tokens=300)
    assert lookup.stats.accepted > 0
    thought, body = fast.text.split("</thought>\n<action>")
    assert body.endswith("</action>")
    body = body.removesuffix("</action>")
    assert "#" not in body and "<" not in body
    cites = re.findall(r"\\cite\{([^}]*)\}", body)
    assert 1 <= len(cites) <= 6   # a cite within three sentences, at most six
    assert {k for c in cites for k in c.split(", ")} <= {"textid1", "textid2"}


def _kv_last_position(llm) -> int:
    import llama_cpp

    return int(llama_cpp.llama_memory_seq_pos_max(llm._ctx.memory, 0))


@pytest.mark.parametrize("stop_after", [5, 23, 60])
def test_kv_holds_exactly_the_emitted_tokens(demo_backend, stop_after):
    """Stopped anywhere (mid-batch too), the KV cells and recorded tokens are the prompt
    plus emitted tokens: rejected guesses are gone."""
    llm = demo_backend.llm
    prompt = demo_backend.prompt_tokens(COPY)
    llm.reset()
    sampler = llm._init_sampler(temp=0.0)
    stats = LookupStats()
    generator = lookup_generate(llm, prompt, sampler, LookupSettings(), stats)
    emitted = [next(generator) for _ in range(stop_after)]
    generator.close()
    kept = llm.input_ids[:llm.n_tokens].tolist()
    assert kept[:len(prompt)] == prompt
    assert kept[len(prompt):] == emitted[:len(kept) - len(prompt)]
    assert len(kept) >= len(prompt) + stop_after - 1
    assert _kv_last_position(llm) == llm.n_tokens - 1
    # the cache left behind is sound: continuing from it gives plain decoding's text
    demo_backend.lookup = None
    again = _ask(demo_backend, None)
    llm.reset()
    assert again.text == _ask(demo_backend, None).text
