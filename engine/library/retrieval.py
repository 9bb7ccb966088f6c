"""Search: vector, lexical (BM25 over FTS5) fused by reciprocal rank, and the WARP merge.

`merge_keyword_hits` is the WARP protocol's rule, kept separate so it can be tested on
its own: each keyword is its own query; each gets a quota of max(1, budget // n) passages
in keyword order; duplicates are dropped; free slots are then topped up from the
remaining hits in keyword order.
"""
from __future__ import annotations

import json
import re

from engine.library.cjk import query_terms
from engine.library.manifest import ChunkRow
from engine.library.types import Passage
from engine.library.vector_store import VectorHit

TOP_K_PER_KEYWORD = 20      # as in the authors' retrieval
RRF_K = 60                  # the usual reciprocal-rank-fusion constant
_WORD = re.compile(r"\w+", re.UNICODE)
# Words in nearly every chunk add no ranking signal but make BM25 score most of the table.
_STOPWORDS = frozenset("""a an and are as at be by for from has have in is it its of on or
that the this to was were which with""".split())


def merge_keyword_hits(hit_lists: list[list[Passage]], budget: int) -> list[Passage]:
    if not hit_lists or budget <= 0:
        return []
    quota = max(1, budget // len(hit_lists))
    chosen: list[Passage] = []
    seen: set[str] = set()
    for hits in hit_lists:
        taken = 0
        for passage in hits:
            if taken >= quota or len(chosen) >= budget:
                break
            if passage.chunk_id not in seen:
                seen.add(passage.chunk_id)
                chosen.append(passage)
                taken += 1
    for hits in hit_lists:
        for passage in hits:
            if len(chosen) >= budget:
                return chosen
            if passage.chunk_id not in seen:
                seen.add(passage.chunk_id)
                chosen.append(passage)
    return chosen


def passage_from_hit(hit: VectorHit) -> Passage:
    meta = hit.metadata
    try:
        heading_path = json.loads(meta.get("heading_path") or "[]")
    except ValueError:
        heading_path = []
    return Passage(chunk_id=hit.chunk_id, text=hit.text, doc_id=str(meta.get("doc_id", "")),
                   path=str(meta.get("path", "")), title=str(meta.get("title", "")),
                   page=meta.get("page"), locator=str(meta.get("locator", "")),
                   heading_path=heading_path, char_start=int(meta.get("char_start", 0)),
                   char_end=int(meta.get("char_end", 0)), score=1.0 - hit.distance)


def passage_from_row(row: ChunkRow, title: str, path: str, score: float = 0.0) -> Passage:
    return Passage(chunk_id=row.chunk_id, text=row.text, doc_id=row.doc_id, path=path,
                   title=title, page=row.page, locator=row.locator,
                   heading_path=list(row.heading_path), char_start=row.char_start,
                   char_end=row.char_end, score=score)


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: any of the words, each quoted (no operator injection);
    a Chinese word stands for its character pairs, as the index holds it."""
    words = dict.fromkeys(w.lower() for w in _WORD.findall(text))
    words = {w: None for w in words if w not in _STOPWORDS} or words
    terms = dict.fromkeys(t for w in words for t in query_terms(w))
    return " OR ".join(f'"{t}"' for t in terms)


def rrf_fuse(ranked_lists: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the lists an id appears in."""
    scores: dict[str, float] = {}
    for ranked in ranked_lists:
        for rank, chunk_id in enumerate(ranked, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)
