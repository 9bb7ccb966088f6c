"""The page process: renders a document page with the cited passage's boxes, away from
the window (no Qt here). desktop.evidence.page_renderer starts it and talks to it over one
pipe.

Why a process and not a thread: pymupdf holds the interpreter lock for most of its work.
Imported on a thread of the window's process it froze the window for 312-359 ms (its C
extensions load under the lock); a page rendered on a thread still cost event-loop gaps
of 28-81 ms on a busy 2-core machine, 11-40 ms of them blocked on the lock. Here neither
touches the window's interpreter.

Messages from the window: a PageRequest, or None to quit (so is a closed pipe).
Messages to the window: ("page", RenderedPage) or ("failed", reason), one per request.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from engine.library.pdf_locate import Box, passage_boxes


@dataclass(frozen=True)
class PageRequest:
    path: str
    page: int                   # 1-based
    text: str                   # the passage, found again on the page by its words
    zoom: float                 # image pixels per PDF point


@dataclass(frozen=True)
class RenderedPage:
    width: int
    height: int
    stride: int
    samples: bytes              # RGB, 8 bits a channel
    boxes: list[Box]            # the passage's lines, in image pixels


def _pymupdf():
    """pymupdf without pymupdf.layout: importing that loads an ONNX layout model (1.4 s
    of 2 s, 0.44 s of 0.68 s of CPU here), used only by Page.get_layout(), never here."""
    sys.modules.setdefault("pymupdf.layout", None)     # its import then fails, as if absent
    import pymupdf

    return pymupdf


def render(request: PageRequest) -> RenderedPage:
    pymupdf = _pymupdf()

    with pymupdf.open(request.path) as doc:
        page = doc.load_page(request.page - 1)
        boxes = passage_boxes(page, request.text)
        zoom = request.zoom
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        return RenderedPage(pixmap.width, pixmap.height, pixmap.stride, bytes(pixmap.samples),
                            [Box(b.x0 * zoom, b.y0 * zoom, b.x1 * zoom, b.y1 * zoom)
                             for b in boxes])


def main(conn) -> None:
    """Serve requests until None or the window closes the pipe."""
    _pymupdf()                   # loaded at once: the window starts this before a click

    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            reply = ("page", render(request))
        except Exception as error:        # a damaged file, a page gone: said, not fatal
            reply = ("failed", f"{type(error).__name__}: {error}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
