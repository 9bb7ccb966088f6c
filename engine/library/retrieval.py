"""Search: vector, lexical (BM25 over FTS5) fused by reciprocal rank, and the WARP merge.

`merge_keyword_hits` is the WARP protocol's rule, kept separate so it can be tested on
its own: each keyword is its own query; each gets a quota of max(1, budget // n) passages
in keyword order; duplicates are dropped; free slots are then topped up from the
remaining hits in keyword order.
"""
from __future__ import annotations

import json
import re

from engine.library import keywords
from engine.library.cjk import index_text, query_terms
from engine.library.manifest import ChunkRow
from engine.library.dedup import text_key
from engine.library.types import Passage

TOP_K_PER_KEYWORD = 20      # as in the authors' retrieval
RRF_K = 60                  # the usual reciprocal-rank-fusion constant
MIN_COVERAGE = 0.5          # share of the query's words a keyword hit must hold to count
_WORD = re.compile(r"\w+", re.UNICODE)
# Words in nearly every chunk add no ranking signal but make BM25 score most of the table.
_STOPWORDS = frozenset("""a an and are as at be by for from has have in is it its of on or
that the this to was were which with""".split())


def merge_keyword_hits(hit_lists: list[list[Passage]], budget: int) -> list[Passage]:
    if not hit_lists or budget <= 0:
        return []
    quota = max(1, budget // len(hit_lists))
    chosen: list[Passage] = []
    seen: set[str] = set()     # texts: a repeated text is one passage, wherever it lies
    for hits in hit_lists:
        taken = 0
        for passage in hits:
            if taken >= quota or len(chosen) >= budget:
                break
            if _first_sight(passage, seen):
                chosen.append(passage)
                taken += 1
    for hits in hit_lists:
        for passage in hits:
            if len(chosen) >= budget:
                return chosen
            if _first_sight(passage, seen):
                chosen.append(passage)
    return chosen


def _first_sight(passage: Passage, seen: set[str]) -> bool:
    key = text_key(passage.text)
    if key in seen:
        return False
    seen.add(key)
    return True


def passage_from_row(row: ChunkRow, title: str, path: str, score: float = 0.0,
                     repeats: int = 0) -> Passage:
    return Passage(chunk_id=row.chunk_id, text=row.text, doc_id=row.doc_id, path=path,
                   title=title, page=row.page, locator=row.locator,
                   heading_path=list(row.heading_path), char_start=row.char_start,
                   char_end=row.char_end, score=score, repeats=repeats)


def passage_from_source(key: str, text: str, meta: dict, score: float) -> Passage:
    """A passage from what the vector store keeps beside a vector (the place that first
    stored its text), for a shared server's texts this machine's manifest does not know."""
    try:
        heading_path = json.loads(meta.get("heading_path") or "[]")
    except ValueError:
        heading_path = []
    doc_id = str(meta.get("doc_id", ""))
    return Passage(chunk_id=f"{doc_id}:{meta.get('idx', 0)}", text=text, doc_id=doc_id,
                   path=str(meta.get("path", "")), title=str(meta.get("title", "")),
                   page=meta.get("page"), locator=str(meta.get("locator", "")),
                   heading_path=heading_path, char_start=int(meta.get("char_start", 0)),
                   char_end=int(meta.get("char_end", 0)), score=score)


def fts_terms(text: str) -> list[str]:
    """The keyword index's terms for a query: its words (stopwords dropped unless that
    leaves none), a Chinese word standing for its character pairs, as the index holds it."""
    words = dict.fromkeys(w.lower() for w in _WORD.findall(text))
    words = {w: None for w in words if w not in _STOPWORDS} or words
    return list(dict.fromkeys(t for w in words for t in query_terms(w)))


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: any of the words, each quoted (no operator injection)."""
    return " OR ".join(f'"{t}"' for t in fts_terms(text))


def keyword_hits(manifest, text: str, limit: int) -> list[tuple[str, float]]:
    """BM25 hits for hybrid search: only texts holding at least MIN_COVERAGE of the
    query's terms, the only ones `hybrid_fuse` counts (engine.library.keywords)."""
    terms = fts_terms(text)
    return manifest.keyword_hits(terms, keywords.needed(terms, MIN_COVERAGE), limit)


def rrf_fuse(ranked_lists: list[list[str]], k: int = RRF_K,
             weights: list[dict[str, float]] | None = None) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the lists an id appears
    in (weight 1 unless `weights[list][id]` says otherwise). Equal sums are ordered by
    rank in the first list, then the second... (an id absent from a list ranks after all
    its entries), so the order never depends on chance."""
    scores: dict[str, float] = {}
    ranks: dict[str, list[int]] = {}
    for position, ranked in enumerate(ranked_lists):
        weight = weights[position] if weights else {}
        for rank, chunk_id in enumerate(ranked, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight.get(chunk_id, 1.0) / (k + rank)
            ranks.setdefault(chunk_id, [len(r) + 1 for r in ranked_lists])[position] = rank
    return sorted(scores.items(), key=lambda item: (-round(item[1], 12), *ranks[item[0]]))


def hybrid_fuse(query: str, vector: list[str], keyword: list[str],
                texts: dict[str, str]) -> list[tuple[str, float]]:
    """Vector and keyword rankings fused so that hybrid is never worse than its parts.

    A keyword hit counts in proportion to the share of the query's words its text holds,
    and not at all under MIN_COVERAGE: a paraphrase shares few words with its passage, and
    BM25's hits for it are passages that happen to hold one of them, which plain RRF let
    push the vector search's right answer down. A passage first in both lists is first."""
    terms = _terms(query)
    coverage = {key: len(terms & _terms(texts.get(key, ""))) / len(terms) if terms else 0.0
                for key in keyword}
    trusted = [key for key in keyword if coverage[key] >= MIN_COVERAGE]
    fused = rrf_fuse([vector, trusted], weights=[{}, coverage])
    if vector and keyword and vector[0] == keyword[0]:
        fused.sort(key=lambda item: item[0] != vector[0])   # stable: the rest keep order
    return fused


def _terms(text: str) -> set[str]:
    """Content words as the keyword index holds them (CJK as character pairs)."""
    words = {w.lower() for w in _WORD.findall(index_text(text))}
    return {w for w in words if w not in _STOPWORDS} or words
