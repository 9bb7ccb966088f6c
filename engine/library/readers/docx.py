"""Word documents through python-docx: paragraphs, headings and tables in body order.

DOCX has no pages until Word lays it out, so positions are page-less: the heading path
and the paragraph number ("¶12", counted over body paragraphs) or table number.
"""
from __future__ import annotations

import re
from pathlib import Path

from engine.library.errors import CORRUPT, ENCRYPTED, ReadError
from engine.library.readers.base import HeadingTracker, ParsedDocument, Segment

SUFFIXES = {".docx"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Office wraps password-protected DOCX in an OLE container
_HEADING = re.compile(r"^(?:Heading\s*(\d)|Title)$", re.IGNORECASE)


def read_docx(path: Path) -> ParsedDocument:
    import docx

    with open(path, "rb") as handle:
        if handle.read(4) == _OLE_MAGIC:
            raise ReadError(ENCRYPTED, "password-protected Word file")
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise ReadError(CORRUPT, str(exc) or type(exc).__name__) from exc
    title = (document.core_properties.title or "").strip() or path.stem.replace("_", " ")
    return ParsedDocument(title=title, segments=_segments(document))


def _segments(document) -> list[Segment]:
    from docx.table import Table

    tracker, segments = HeadingTracker(), []
    current = Segment(text="")
    paragraphs = tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            tables += 1
            _append(current, _table_text(item), f"table {tables}")
            continue
        paragraphs += 1
        level = _heading_level(item)
        if level is not None and item.text.strip():
            segments.append(current)
            tracker.enter(level, item.text.strip())
            current = Segment(text="", heading_path=tracker.path)
        _append(current, item.text, f"¶{paragraphs}")
    segments.append(current)
    return [s for s in segments if s.text.strip()]


def _append(segment: Segment, text: str, label: str) -> None:
    text = text.strip()
    if not text:
        return
    if segment.text:
        segment.text += "\n"
    where = " > ".join(segment.heading_path)
    segment.anchors.append((len(segment.text), f"{where}, {label}" if where else label))
    segment.text += text


def _heading_level(paragraph) -> int | None:
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, AttributeError):
        return None
    match = _HEADING.match(name or "")
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else 0


def _table_text(table) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)
