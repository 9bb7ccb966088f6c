"""PDF, EPUB, XPS, FB2, MOBI through PyMuPDF: text per page in reading order.

Reading order: PyMuPDF's own `sort=True` sorts blocks by line, and MuPDF often merges
side-by-side lines of two columns into one block, so both interleave the columns. We
order text lines ourselves: lines spanning the middle split the page into bands, and
inside a band the left column is read before the right one.
"""
from __future__ import annotations

from pathlib import Path

from engine.library.errors import CORRUPT, EMPTY, ENCRYPTED, NO_TEXT_LAYER, ReadError
from engine.library.readers.base import HeadingTracker, ParsedDocument, Segment

SUFFIXES = {".pdf", ".epub", ".xps", ".oxps", ".fb2", ".mobi", ".cbz"}
# Share of U+FFFD among letters above which a page's fonts are unreadable (no usable text).
_GARBLED_SHARE = 0.5


def read_mupdf(path: Path) -> ParsedDocument:
    import pymupdf

    doc = _open(pymupdf, path)
    try:
        if doc.needs_pass:
            raise ReadError(ENCRYPTED, "needs a password")
        if doc.page_count == 0:
            raise ReadError(EMPTY, "no pages")
        headings = _page_headings(doc)
        segments = _page_segments(pymupdf, doc, headings)
        if not any(s.text.strip() for s in segments):
            raise ReadError(*_why_textless(doc))
        return ParsedDocument(title=_title(doc, path), segments=segments, pages=doc.page_count)
    finally:
        doc.close()


def _open(pymupdf, path: Path):
    try:
        return pymupdf.open(path)
    except OSError:
        raise  # missing / permission: the ingester names those
    except pymupdf.EmptyFileError as exc:
        raise ReadError(EMPTY, str(exc)) from exc
    except Exception as exc:  # FileDataError and friends: the bytes are not a document
        raise ReadError(CORRUPT, str(exc) or type(exc).__name__) from exc


def _page_segments(pymupdf, doc, headings: dict[int, tuple[str, ...]]) -> list[Segment]:
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_DEHYPHENATE
    segments, failures = [], 0
    for index in range(doc.page_count):
        try:
            page = doc.load_page(index)
            lines = _lines(page.get_text("dict", flags=flags))
            width = page.rect.width
        except Exception:  # one broken page must not lose the rest of the document
            failures += 1
            continue
        text = "\n".join(line[4] for line in reading_order(lines, width))
        if _garbled(text):
            text = ""
        segments.append(Segment(text=text, page=index + 1, heading_path=headings.get(index + 1, ())))
    if failures == doc.page_count:
        raise ReadError(CORRUPT, "no page could be read")
    return segments


def _lines(page_dict: dict) -> list[tuple]:
    """(x0, y0, x1, y1, text) for every non-blank text line on the page."""
    lines = []
    for block in page_dict.get("blocks", []):
        for line in block.get("lines", []):
            text = "".join(span.get("text", "") for span in line.get("spans", [])).strip()
            if text:
                lines.append((*line["bbox"], text))
    return lines


def reading_order(blocks: list, width: float) -> list:
    """Text lines or blocks (x0, y0, x1, y1, ...) in reading order, column-aware."""
    ordered, band = [], []
    for block in sorted(blocks, key=lambda b: (b[1], b[0])):
        if _column(block, width) is None:
            ordered += _by_column(band, width)
            band = []
            ordered.append(block)
        else:
            band.append(block)
    return ordered + _by_column(band, width)


def _column(block, width: float) -> int | None:
    """0 = left half, 1 = right half, None = spans the middle (a full-width block)."""
    if block[2] <= width * 0.55:
        return 0
    if block[0] >= width * 0.45:
        return 1
    return None


def _by_column(band: list, width: float) -> list:
    return sorted(band, key=lambda b: (_column(b, width), b[1], b[0]))


def _garbled(text: str) -> bool:
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and letters.count("\ufffd") / len(letters) > _GARBLED_SHARE


def _why_textless(doc) -> tuple[str, str]:
    for index in range(doc.page_count):
        try:
            if doc.load_page(index).get_images():
                return NO_TEXT_LAYER, "pages are images; OCR them first"
        except Exception:
            continue
    return EMPTY, "no text on any page"


def _page_headings(doc) -> dict[int, tuple[str, ...]]:
    """Heading path in force at the end of each page, from the document's outline."""
    try:
        toc = doc.get_toc(simple=True)
    except Exception:
        return {}
    by_page: dict[int, list[tuple[int, str]]] = {}
    for level, title, page in toc:
        if 1 <= page <= doc.page_count and str(title).strip():
            by_page.setdefault(page, []).append((level, str(title).strip()))
    tracker, headings = HeadingTracker(), {}
    for page in range(1, doc.page_count + 1):
        for level, title in by_page.get(page, []):
            tracker.enter(level, title)
        headings[page] = tracker.path
    return headings


def _title(doc, path: Path) -> str:
    title = ((doc.metadata or {}).get("title") or "").strip()
    if title and "\ufffd" not in title and len(title) < 300:
        return title
    return path.stem.replace("_", " ")
