"""Repeated text stored once: chunks whose text is the same after folding whitespace and
case share one key, and the vector store holds one vector per key.

The manifest keeps every chunk row (every place the text occurs) with its key; a
`texts` table counts the rows per key and the keyword index holds each key once. A
search hit is a key; `best_location` picks which of its places a passage shows.
"""
from __future__ import annotations

import hashlib


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def text_key(text: str) -> str:
    """The vector id of a chunk text: sha1 of its folded form (40 hex digits, no colon,
    so it never looks like a chunk id "<doc_id>:<n>")."""
    return hashlib.sha1(normalise(text).encode("utf-8", "surrogatepass")).hexdigest()


def best_location(rows: list, doc_rank: dict[str, int]):
    """Of the chunk rows holding one text, the one in the best-ranked document of this
    result list (`doc_rank`: doc_id -> rank of its best other passage); else the
    earliest stored, so the choice never depends on chance."""
    ranked = [r for r in rows if r.doc_id in doc_rank]
    if ranked:
        return min(ranked, key=lambda r: (doc_rank[r.doc_id], r.idx))
    return rows[0]
