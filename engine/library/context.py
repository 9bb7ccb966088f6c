"""A passage in its surrounding text, read from the library manifest (no vector store,
no embedding model: cheap enough for the window to call on a click).

The manifest keeps every chunk's text and its offsets into the document text, so the
chunks before and after a passage give its context; their overlaps are stitched by
offset, so no sentence shows twice.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from engine.library.types import Passage
from engine.paths import libraries_dir

NEIGHBOURS = 1   # chunks each side


@dataclass
class PassageContext:
    before: str
    passage: str
    after: str


def manifest_path(library: str) -> Path | None:
    """The library's manifest (an embedded store's, else a server library's)."""
    folder = libraries_dir() / library
    direct = folder / "manifest.sqlite"
    if direct.is_file():
        return direct
    return next(iter(sorted(folder.rglob("manifest.sqlite"))), None) if folder.is_dir() \
        else None


def _rows(path: Path, passage: Passage) -> list[tuple[int, int, int, str]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = db.execute("SELECT idx FROM chunks WHERE chunk_id = ?",
                           (passage.chunk_id,)).fetchone()
        if found is None:
            return []
        return db.execute("SELECT idx, char_start, char_end, text FROM chunks WHERE doc_id = ?"
                          " AND idx BETWEEN ? AND ? ORDER BY idx",
                          (passage.doc_id, found[0] - NEIGHBOURS,
                           found[0] + NEIGHBOURS)).fetchall()
    finally:
        db.close()


def passage_context(passage: Passage, library: str) -> PassageContext:
    """The passage with up to one chunk of text each side; the passage alone when the
    library no longer holds its document."""
    path = manifest_path(library)
    rows = _rows(path, passage) if path is not None else []
    if not rows:
        return PassageContext("", passage.text, "")
    start, end = passage.char_start, passage.char_end
    before = _stitch([r for r in rows if r[1] < start], stop=start)
    after = _stitch([r for r in rows if r[2] > end], begin=end)
    return PassageContext(before, passage.text, after)


def _stitch(rows, begin: int | None = None, stop: int | None = None) -> str:
    """Text covered by rows (chunk offsets into the document) between begin and stop;
    gaps between chunks (stripped whitespace, page breaks) become one space."""
    chars: dict[int, str] = {}
    for _, start, _, text in rows:
        for offset, char in enumerate(text):
            chars.setdefault(start + offset, char)
    positions = sorted(p for p in chars if (begin is None or p >= begin)
                       and (stop is None or p < stop))
    out, last = [], None
    for position in positions:
        if last is not None and position != last + 1:
            out.append(" ")
        out.append(chars[position])
        last = position
    return "".join(out)
