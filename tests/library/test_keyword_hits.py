"""Keyword hits for hybrid search (engine.library.keywords) on a real manifest: only texts
holding at least half of the query's words are ranked, with the scores and order the
plain BM25 ranking gives them, and common words raise the bar instead of costing time."""
from __future__ import annotations

import random

import pytest

from engine.library import keywords
from engine.library.manifest import INDEXED, ChunkRow, DocRecord, Manifest
from engine.library.retrieval import MIN_COVERAGE, fts_query, fts_terms, keyword_hits

WORDS = ("harbour crane storm glacier valley saffron harvest basalt lava tide delta "
         "sediment mangrove quay cargo dredging flood river bridge tower").split()


@pytest.fixture
def manifest(tmp_path):
    """600 texts of 12 words drawn from a small vocabulary: every word is common."""
    manifest = Manifest(tmp_path / "manifest.sqlite")
    rng = random.Random(3)
    rows = [ChunkRow(f"doc:{n}", "doc", n, " ".join(rng.choices(WORDS, k=12)), None, "", [],
                     0, 0) for n in range(600)]
    manifest.commit_indexed(DocRecord("doc", "/doc.txt", 0, 0, "", "doc", 0, len(rows),
                                      INDEXED, "", "", 0.0), rows)
    yield manifest
    manifest.close()


def holds(manifest, key: str, terms: list[str]) -> int:
    words = set(manifest.texts([key])[key].split())
    return sum(t in words for t in terms)


def test_hits_hold_half_the_words_in_plain_bm25_order(manifest):
    query = "storm flood river tower"
    terms = fts_terms(query)
    hits = keyword_hits(manifest, query, 40)
    need = keywords.needed(terms, MIN_COVERAGE)
    assert need == 2 and hits
    assert all(holds(manifest, key, terms) >= need for key, _ in hits)
    # plain BM25 over every match, then the same filter: the same keys, order and scores
    plain = [(k, s) for k, s in manifest.bm25(fts_query(query), 40)
             if holds(manifest, k, terms) >= need]
    assert [k for k, _ in hits[:len(plain)]] == [k for k, _ in plain] and len(hits) >= len(plain)
    assert [s for _, s in hits[:len(plain)]] == pytest.approx([s for _, s in plain])
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_too_many_qualifying_texts_raise_the_bar(manifest, monkeypatch):
    query = "storm flood"                   # one of two words: most of the 600 texts
    terms = fts_terms(query)
    assert len(keyword_hits(manifest, query, 1000)) > 300
    monkeypatch.setattr(keywords, "MAX_RANKED", 100)
    hits = keyword_hits(manifest, query, 1000)
    assert hits and all(holds(manifest, key, terms) == 2 for key, _ in hits)


def test_words_no_text_holds_give_no_hits(manifest):
    assert keyword_hits(manifest, "volcano eruption", 40) == []
    assert keyword_hits(manifest, "", 40) == []
