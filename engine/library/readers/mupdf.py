"""PDF, EPUB, XPS, FB2, MOBI through PyMuPDF: text per page in reading order
(engine.library.readers.columns), running headers, footers and page numbers left out
(engine.library.readers.running_heads)."""
from __future__ import annotations

from pathlib import Path

from engine.library.errors import CORRUPT, EMPTY, ENCRYPTED, NO_TEXT_LAYER, ReadError
from engine.library.readers.base import HeadingTracker, ParsedDocument, Segment
from engine.library.readers.columns import reading_order
from engine.library.readers.running_heads import running_head_lines

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
        segments, header_pages = _page_segments(pymupdf, doc, headings)
        if not any(s.text.strip() for s in segments):
            raise ReadError(*_why_textless(doc))
        return ParsedDocument(title=_title(doc, path), segments=segments, pages=doc.page_count,
                              header_pages=header_pages)
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


def _page_segments(pymupdf, doc, headings: dict[int, tuple[str, ...]]):
    """One segment per page, running heads left out; also how many pages lost one."""
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_DEHYPHENATE
    pages = []
    for index in range(doc.page_count):
        try:
            page = doc.load_page(index)
            pages.append((_lines(page.get_text("dict", flags=flags)), page.rect))
        except Exception:  # one broken page must not lose the rest of the document
            pages.append(None)
    if all(p is None for p in pages):
        raise ReadError(CORRUPT, "no page could be read")
    heads = running_head_lines([(p[0], p[1].height) if p else ([], 1.0) for p in pages])
    segments = []
    for index, (page, drop) in enumerate(zip(pages, heads)):
        if page is None:
            continue
        lines = [line for i, line in enumerate(page[0]) if i not in drop]
        text = "\n".join(line[4] for line in reading_order(lines, page[1].width))
        segments.append(Segment(text="" if _garbled(text) else text, page=index + 1,
                                heading_path=headings.get(index + 1, ())))
    return segments, sum(bool(d) for d in heads)


def _lines(page_dict: dict) -> list[tuple]:
    """(x0, y0, x1, y1, text) for every non-blank text line on the page."""
    lines = []
    for block in page_dict.get("blocks", []):
        for line in block.get("lines", []):
            text = "".join(span.get("text", "") for span in line.get("spans", [])).strip()
            if text:
                lines.append((*line["bbox"], text))
    return lines


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
