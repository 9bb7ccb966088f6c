"""Sentence-aware chunking sized like the WARP model's training corpus.

The authors chunk by sentences into about 512 characters with about 50 overlap. A chunk
never crosses a segment (a page or a section), so every chunk has one exact page and
heading path. Overlap is whole trailing sentences when they fit in the overlap budget,
otherwise the last ~overlap characters starting at a word boundary.

`char_start`/`char_end` are offsets into the document text as the segments joined by
two newlines (see `document_text`), so a span can be shown in context later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.library.readers.base import ParsedDocument, Segment

SEGMENT_JOINER = "\n\n"
# A sentence ends at . ! ? (and CJK/ellipsis forms), maybe followed by closing quotes or
# brackets, then whitespace; a blank line or a line break also ends one (headings, lists).
_BOUNDARY = re.compile(r"(?<=[.!?。！？…])[\"'”’)\]]*\s+|\n+|(?<=[。！？])")


@dataclass(frozen=True)
class ChunkConfig:
    size: int = 512
    overlap: int = 50

    def __post_init__(self) -> None:
        if self.size < 32 or not 0 <= self.overlap < self.size // 2:
            raise ValueError("chunk size must be >= 32 and overlap in [0, size/2)")


@dataclass
class Chunk:
    index: int
    text: str
    page: int | None
    locator: str
    heading_path: tuple[str, ...]
    char_start: int
    char_end: int


def document_text(document: ParsedDocument) -> str:
    return SEGMENT_JOINER.join(s.text for s in document.segments)


def chunk_document(document: ParsedDocument, config: ChunkConfig = ChunkConfig()) -> list[Chunk]:
    chunks: list[Chunk] = []
    base = 0
    for segment in document.segments:
        for start, end in chunk_spans(segment.text, config):
            chunks.append(Chunk(index=len(chunks), text=segment.text[start:end],
                                page=segment.page, locator=_locator(segment, start),
                                heading_path=segment.heading_path,
                                char_start=base + start, char_end=base + end))
        base += len(segment.text) + len(SEGMENT_JOINER)
    return chunks


def chunk_spans(text: str, config: ChunkConfig) -> list[tuple[int, int]]:
    """(start, end) spans of chunks over `text`, stripped of surrounding whitespace."""
    units = _units(text, config.size)
    spans: list[tuple[int, int]] = []
    i, start = 0, units[0][0] if units else 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][1] - start <= config.size:
            j += 1
        spans.append(_strip(text, start, units[j][1]))
        if j == len(units) - 1:
            break
        i, start = _next_start(text, units, i, j, config.overlap)
    return [(s, e) for s, e in spans if e > s and any(c.isalnum() for c in text[s:e])]


def _next_start(text: str, units, i: int, j: int, overlap: int) -> tuple[int, int]:
    """Where the chunk after units[i..j] begins: trailing sentences, else a word boundary."""
    end = units[j][1]
    for k in range(i + 1, j + 1):
        if end - units[k][0] <= overlap:
            return k, units[k][0]
    start = max(units[j][0], end - overlap)
    space = text.find(" ", start, end)
    return j + 1, (space + 1 if space != -1 and overlap else units[j + 1][0])


def _units(text: str, size: int) -> list[tuple[int, int]]:
    """Sentence spans, with sentences longer than `size` cut at whitespace."""
    units, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if match.end() > start:
            units += _cut(text, start, match.end(), size)
            start = match.end()
    if start < len(text):
        units += _cut(text, start, len(text), size)
    return [(s, e) for s, e in units if text[s:e].strip()]


def _cut(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > size:
        split = text.rfind(" ", start + size // 2, start + size)
        split = split + 1 if split != -1 else start + size
        pieces.append((start, split))
        start = split
    pieces.append((start, end))
    return pieces


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _locator(segment: Segment, offset: int) -> str:
    label = ""
    for anchor, name in segment.anchors:
        if anchor > offset:
            break
        label = name
    if not label and segment.anchors:
        label = segment.anchors[0][1]
    return label or " > ".join(segment.heading_path)
