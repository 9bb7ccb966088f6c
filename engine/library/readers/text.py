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
    """UTF-8/16/32 by BOM, else UTF-8, else the legacy code page charset-normalizer finds
    (cp1251, Shift-JIS, GB18030...), else Windows-1252 (never fails)."""
    for bom, encoding in _BOMS:  # UTF-32 LE starts with the UTF-16 LE BOM: test it first
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise ReadError(CORRUPT, "binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return data.decode(legacy_encoding(data), errors="replace")


# Code pages that decode the same bytes equally plausibly (cp1250 and cp1252 for a short
# Spanish text, cp932 and GB18030 for four kanji) are settled by how common they are.
_COMMON = ("cp1252", "cp1251", "cp932", "gb18030")


def legacy_encoding(data: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return "cp1252"
    tied = [m for m in matches if m.chaos <= best.chaos + 0.01
            and m.coherence >= best.coherence - 0.05]
    for encoding in _COMMON:
        if any(encoding in m.could_be_from_charset for m in tied):
            return encoding
    return best.encoding


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
