"""Markdown through markdown-it-py: the heading path is kept for every block."""
from __future__ import annotations

from pathlib import Path

from engine.library.readers.base import HeadingTracker, ParsedDocument, Segment
from engine.library.readers.text import decode_bytes

SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_TEXT_BLOCKS = {"inline", "fence", "code_block", "html_block"}


def read_markdown(path: Path) -> ParsedDocument:
    from markdown_it import MarkdownIt

    source = decode_bytes(path.read_bytes())
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    tracker, segments, title = HeadingTracker(), [Segment(text="")], ""
    pending_level = None
    for token in tokens:
        if token.type == "heading_open":
            pending_level = int(token.tag[1])
            continue
        if token.type not in _TEXT_BLOCKS or not token.content.strip():
            continue
        if pending_level is not None:
            tracker.enter(pending_level, token.content.strip())
            title = title or (token.content.strip() if pending_level == 1 else "")
            segments.append(Segment(text="", heading_path=tracker.path))
            pending_level = None
            continue
        _add_block(segments[-1], token)
    kept = [s for s in segments if s.text.strip()]
    return ParsedDocument(title=title or path.stem.replace("_", " "), segments=kept)


def _add_block(segment: Segment, token) -> None:
    where = " > ".join(segment.heading_path)
    line = f"line {token.map[0] + 1}" if token.map else ""
    label = ", ".join(part for part in (where, line) if part)
    if segment.text:
        segment.text += "\n"
    segment.anchors.append((len(segment.text), label))
    segment.text += token.content.strip()
