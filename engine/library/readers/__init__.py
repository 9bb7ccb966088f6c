"""Readers turn one file into a ParsedDocument (title + positioned text segments).

Dispatch is by file suffix. Readers raise ReadError with a user-facing reason for files
they cannot read; OSError (missing, permission) is left to the ingester to name.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from engine.library.errors import EMPTY, UNSUPPORTED, ReadError
from engine.library.readers import docx, html, markdown, mupdf, text
from engine.library.readers.base import ParsedDocument, Segment

_READERS: dict[str, Callable[[Path], ParsedDocument]] = {}
for _module, _reader in ((mupdf, mupdf.read_mupdf), (docx, docx.read_docx),
                         (markdown, markdown.read_markdown), (text, text.read_text),
                         (html, html.read_html)):
    for _suffix in _module.SUFFIXES:
        _READERS[_suffix] = _reader

SUPPORTED_SUFFIXES = frozenset(_READERS)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in _READERS


def read_document(path: Path) -> ParsedDocument:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(UNSUPPORTED, path.suffix or "no file extension")
    document = reader(path)
    if document.char_count == 0:
        raise ReadError(EMPTY, "no text")
    return document


__all__ = ["ParsedDocument", "Segment", "SUPPORTED_SUFFIXES", "is_supported", "read_document"]
