"""Keyword hits for hybrid search: BM25 (FTS5) over the texts that hold enough of the
query's words.

Hybrid fusion only trusts a keyword hit holding at least half of the query's words
(retrieval.MIN_COVERAGE). Ranking every text holding any one query word made FTS5 score
thousands of rows at 100,000 chunks (its bm25() costs microseconds a row), to drop most of
them afterwards. Here each word's rows are listed first (no scoring: a read of its
posting list), the rows holding enough words are counted out in numpy, and only those are
scored, with the same OR expression, so each keeps the BM25 score it had before.

Unless MAX_RANKED raised the bar, the result starts with exactly the hits the old ranking
(all matches, then the filter) kept, in the same order with the same scores, and goes on
with qualifying rows the old top-`limit` cut had left out.
"""
from __future__ import annotations

import math

# When more texts than this hold the required share of the query's words (common words:
# thousands of texts hold one of two), a hit must hold one word more, up to all of them:
# one common word shared is no keyword evidence, and ranking thousands of rows is what
# made hybrid search slow.
MAX_RANKED = 2_000


def needed(terms: list[str], share: float) -> int:
    """How many of the query's index terms a hit must hold."""
    return max(1, math.ceil(share * len(terms) - 1e-9))


def match_any(terms: list[str]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)


def ranked(db, terms: list[str], need: int, limit: int) -> list[tuple[str, float]]:
    """(text key, score) best first, higher better, of texts holding >= `need` terms
    (more when that many would be over MAX_RANKED texts)."""
    import numpy as np     # here: a re-scan that never searches does not pay its import

    terms = list(dict.fromkeys(terms))
    lists = [_rowids(db, term) for term in terms]
    if not any(len(part) for part in lists):
        return []
    rowids, counts = np.unique(np.concatenate(lists), return_counts=True)
    chosen = rowids[counts >= need]
    while len(chosen) > MAX_RANKED and need < len(terms):
        need += 1
        chosen = rowids[counts >= need]
    if need == 1:      # every match qualifies: FTS5 ranks them itself
        return bm25_all(db, match_any(terms), limit)
    if not len(chosen):
        return []
    found = db.execute(
        "SELECT f.rowid, f.rank, t.key FROM chunks_fts f JOIN texts t ON t.rowid = f.rowid "
        # "+" keeps the list out of FTS5's own rowid lookups, which rerun the whole match
        # per listed row; here it filters the OR match, and rank is computed only for rows
        # that pass
        f"WHERE chunks_fts MATCH ? AND +f.rowid IN ({','.join(map(str, chosen.tolist()))})",
        (match_any(terms),)).fetchall()
    found.sort(key=lambda row: (row[1], row[0]))     # FTS5's rank: lower is better
    return [(key, -rank) for _, rank, key in found[:limit]]


def _rowids(db, term: str):
    """The rowids holding `term`, as one string from SQLite: a Python row each cost ten
    times the posting list's own read at 100,000 chunks."""
    import numpy as np

    text = db.execute("SELECT group_concat(rowid) FROM chunks_fts WHERE chunks_fts MATCH ?",
                      (f'"{term}"',)).fetchone()[0]
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


def bm25_all(db, match: str, limit: int) -> list[tuple[str, float]]:
    rows = db.execute(
        # Rank inside FTS5 first (its ORDER BY rank LIMIT path), then join the few
        # survivors: about 20% faster at 100k chunks than joining every match.
        "SELECT t.key, f.s FROM (SELECT rowid, rank AS s FROM chunks_fts "
        "WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?) f "
        "JOIN texts t ON t.rowid = f.rowid ORDER BY f.s", (match, limit)).fetchall()
    return [(row[0], -row[1]) for row in rows]
