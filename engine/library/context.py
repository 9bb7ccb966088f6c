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


@dataclass
class Place:
    title: str
    path: str
    page: int | None
    locator: str

    def where(self) -> str:
        return f"p. {self.page}" if self.page is not None else self.locator


def other_places(passage: Passage, library: str, limit: int = 50) -> tuple[int, list[Place]]:
    """How many other places in the library hold the passage's text (stored once, engine.
    library.dedup), and up to `limit` of them, in document order."""
    path = manifest_path(library)
    if path is None:
        return 0, []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        key = db.execute("SELECT text_key FROM chunks WHERE chunk_id = ?",
                         (passage.chunk_id,)).fetchone()
        if key is None:
            return 0, []
        count = db.execute("SELECT count(*) FROM chunks WHERE text_key = ? AND chunk_id != ?",
                           (key[0], passage.chunk_id)).fetchone()[0]
        rows = db.execute(
            "SELECT d.title, d.path, c.page, c.locator FROM chunks c JOIN documents d "
            "ON d.doc_id = c.doc_id WHERE c.text_key = ? AND c.chunk_id != ? "
            "ORDER BY d.path, c.idx LIMIT ?", (key[0], passage.chunk_id, limit)).fetchall()
    except sqlite3.OperationalError:      # a manifest from before texts were shared
        return 0, []
    finally:
        db.close()
    return count, [Place(*row) for row in rows]
