"""The WARP keyword merge and rank fusion, on plain passages."""
from __future__ import annotations

from engine.library.retrieval import fts_query, hybrid_fuse, merge_keyword_hits, rrf_fuse
from engine.library.types import Passage


def hits(*ids):
    return [Passage(chunk_id=i, text=i, doc_id="d", path="p", title="t") for i in ids]


def ids(passages):
    return [p.chunk_id for p in passages]


def test_quota_per_keyword_in_keyword_order():
    merged = merge_keyword_hits([hits("a1", "a2", "a3", "a4"), hits("b1", "b2", "b3")], 4)
    assert ids(merged) == ["a1", "a2", "b1", "b2"]


def test_duplicates_dropped_and_free_slots_topped_up_in_keyword_order():
    merged = merge_keyword_hits([hits("a1", "a2", "a3", "a4"), hits("a1", "b1"), hits("c1")], 9)
    # quota 3: a1 a2 a3 | b1 (a1 is a duplicate) | c1 ; then top-up: a4
    assert ids(merged) == ["a1", "a2", "a3", "b1", "c1", "a4"]


def test_quota_is_at_least_one():
    merged = merge_keyword_hits([hits("a1", "a2"), hits("b1"), hits("c1")], 2)
    assert ids(merged) == ["a1", "b1"]


def test_budget_twenty_for_outline_search():
    lists = [hits(*[f"k{k}-{n}" for n in range(20)]) for k in range(3)]
    merged = merge_keyword_hits(lists, 20)
    assert len(merged) == 20
    assert ids(merged)[:6] == [f"k0-{n}" for n in range(6)]
    assert ids(merged)[18:] == ["k0-6", "k0-7"]   # top-up starts with keyword one


def test_empty_inputs():
    assert merge_keyword_hits([], 10) == []
    assert merge_keyword_hits([hits("a")], 0) == []


def test_rrf_rewards_agreement():
    fused = dict(rrf_fuse([["x", "y", "z"], ["y", "w"]]))
    assert max(fused, key=fused.get) == "y"


def test_fts_query_quotes_words():
    assert fts_query('Crimean "bridge" AND NEAR(x)') == '"crimean" OR "bridge" OR "near" OR "x"'
    assert fts_query("the of") == '"the" OR "of"'   # only stopwords: keep them


def test_equal_fused_scores_follow_vector_rank_then_keyword_rank():
    # a and b swap ranks between the lists: equal sums, so the vector list decides
    assert [k for k, _ in rrf_fuse([["a", "b"], ["b", "a"]])] == ["a", "b"]
    assert [k for k, _ in rrf_fuse([["b", "a"], ["a", "b"]])] == ["b", "a"]
    # only-vector and only-keyword hits at the same rank: vector first, every time
    assert [k for k, _ in rrf_fuse([["v"], ["w"]])] == ["v", "w"]


def test_a_passage_first_in_both_lists_is_first():
    texts = {"x": "sea otters sleep", "y": "sea otters hold paws while they sleep"}
    # y (second in both, holding every query word) outscores x (first in both, fewer words)
    fused = hybrid_fuse("otters hold paws sleep", ["x", "y", "z"], ["x", "y"], texts)
    assert [k for k, _ in fused][:2] == ["x", "y"]


def test_keyword_hits_holding_few_query_words_do_not_push_down_the_vector_answer():
    texts = {"junk": "the valley was asleep under snow", "right": "otters hold paws"}
    query = "marine mammals linking hands while asleep"
    # plain RRF: junk (vector 3rd + keyword 1st) beats the vector search's first answer
    assert rrf_fuse([["right", "other", "junk"], ["junk"]])[0][0] == "junk"
    fused = hybrid_fuse(query, ["right", "other", "junk"], ["junk"], texts)
    assert [k for k, _ in fused] == ["right", "other", "junk"]


def test_keyword_hits_holding_the_query_words_still_count():
    texts = {"title": "2022 Crimean Bridge explosion", "near": "bridges of Crimea"}
    fused = hybrid_fuse("Crimean Bridge explosion", ["near", "title"], ["title"], texts)
    assert fused[0][0] == "title"
