"""Plain text in any common encoding; `#` heading lines (as in FreshWiki) start sections."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from engine.library.errors import CORRUPT, ReadError
from engine.library.readers.base import HeadingTracker, ParsedDocument, Segment

SUFFIXES = {".txt", ".text", ".rst", ".log", ".csv"}
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
_HEADING_LINE = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")


def decode_bytes(data: bytes) -> str:
    """UTF-8/16/32 by BOM, else UTF-8, else Windows-1252, else Latin-1 (never fails)."""
    for bom, encoding in _BOMS:  # UTF-32 LE starts with the UTF-16 LE BOM: test it first
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise ReadError(CORRUPT, "binary data, not text")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_text(path: Path) -> ParsedDocument:
    text = decode_bytes(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    return ParsedDocument(title=path.stem.replace("_", " "), segments=split_headings(text))


def split_headings(text: str) -> list[Segment]:
    """One segment per `#` section; anchors give the 1-based line each paragraph starts on."""
    tracker, segments = HeadingTracker(), [Segment(text="")]
    paragraph_start = True
    for number, line in enumerate(text.split("\n"), start=1):
        match = _HEADING_LINE.match(line)
        if match:
            tracker.enter(len(match.group(1)), match.group(2))
            segments.append(Segment(text="", heading_path=tracker.path))
            paragraph_start = True
            continue
        segment = segments[-1]
        if not line.strip():
            paragraph_start = True
            segment.text += "\n" if segment.text else ""
            continue
        if paragraph_start:
            where = " > ".join(segment.heading_path)
            label = f"line {number}"
            segment.anchors.append((len(segment.text), f"{where}, {label}" if where else label))
            paragraph_start = False
        segment.text += line + "\n"
    return [s for s in segments if s.text.strip()]
