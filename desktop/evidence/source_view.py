"""A source opened at the cited passage: a PDF (or other paged document) page rendered
with pymupdf, the passage's lines highlighted and scrolled into view; for documents
without pages (DOCX, Markdown, text, HTML) the passage in its surrounding text."""
from __future__ import annotations

import html
import re
import time
from pathlib import Path

from desktop.qt import (QBrush, QColor, QDialog, QImage, QLabel, QPainter, QPen, QPixmap,
                        QRectF, QScrollArea, QStackedWidget, Qt, QTextBrowser, QVBoxLayout)
from engine.library.context import PassageContext
from engine.library.pdf_locate import Box, passage_boxes
from engine.library.types import Passage

PAGED = {".pdf", ".epub", ".xps", ".oxps", ".fb2", ".mobi", ".cbz"}
ZOOM = 1.5                      # page pixels per PDF point
HIGHLIGHT = QColor(255, 214, 0, 90)
OUTLINE = QColor(230, 140, 0)


def context_html(context: PassageContext) -> str:
    """The passage highlighted inside its surrounding text."""
    def part(text: str) -> str:
        # Single line breaks are the source's layout (PDF lines); blank lines are paragraphs.
        text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)
        return html.escape(text).replace("\n\n", "<br><br>").replace("\n", "")
    return (f'<p><span style="color:#666">{part(context.before)}</span> '
            f'<span style="background-color:#ffe680">{part(context.passage)}</span> '
            f'<span style="color:#666">{part(context.after)}</span></p>')


def render_page(path: str, page_number: int, text: str) -> tuple[QImage, list[Box]]:
    """The page as an image and the passage's boxes in image pixels."""
    import pymupdf

    with pymupdf.open(path) as doc:
        page = doc.load_page(page_number - 1)
        boxes = passage_boxes(page, text)
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), alpha=False)
        image = QImage(pixmap.samples, pixmap.width, pixmap.height, pixmap.stride,
                       QImage.Format.Format_RGB888).copy()
    scaled = [Box(b.x0 * ZOOM, b.y0 * ZOOM, b.x1 * ZOOM, b.y1 * ZOOM) for b in boxes]
    return image, scaled


def _paint_boxes(image: QImage, boxes: list[Box]) -> QPixmap:
    pixmap = QPixmap.fromImage(image)
    painter = QPainter(pixmap)
    painter.setPen(QPen(OUTLINE, 2))
    painter.setBrush(QBrush(HIGHLIGHT))
    for box in boxes:
        painter.drawRect(QRectF(box.x0 - 2, box.y0 - 1, box.x1 - box.x0 + 4, box.y1 - box.y0 + 2))
    painter.end()
    return pixmap


class SourceView(QDialog):
    """Non-modal; `boxes` and `render_seconds` say what the last page showed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Source")
        self.resize(900, 1000)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page)
        self.scroll.setWidgetResizable(True)
        self.text = QTextBrowser()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.scroll)
        self.stack.addWidget(self.text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.stack, 1)
        self.boxes: list[Box] = []
        self.render_seconds = 0.0

    def show_passage(self, passage: Passage, context: PassageContext) -> None:
        """Show the passage where it is: its page when the document has pages."""
        started = time.perf_counter()
        name = Path(passage.path).name
        paged = passage.page is not None and Path(passage.path).suffix.lower() in PAGED
        if paged and Path(passage.path).is_file():
            image, self.boxes = render_page(passage.path, passage.page, passage.text)
            self.page.setPixmap(_paint_boxes(image, self.boxes))
            self.stack.setCurrentWidget(self.scroll)
            self.caption.setText(f"<b>{html.escape(passage.title)}</b> — {html.escape(name)}, "
                                 f"page {passage.page}"
                                 + ("" if self.boxes else " (passage not found on the page)"))
            self._scroll_to_boxes()
        else:
            self.boxes = []
            self.text.setHtml(context_html(context))
            self.stack.setCurrentWidget(self.text)
            self.caption.setText(f"<b>{html.escape(passage.title)}</b> — {html.escape(name)}"
                                 f"{', ' + passage.where() if passage.where() else ''}")
        self.setWindowTitle(f"Source — {name}")
        self.render_seconds = time.perf_counter() - started

    def _scroll_to_boxes(self) -> None:
        if self.boxes:
            top = min(b.y0 for b in self.boxes)
            bottom = max(b.y1 for b in self.boxes)
            self.page.adjustSize()
            self.scroll.ensureVisible(int(min(b.x0 for b in self.boxes)),
                                      int((top + bottom) / 2), 50, int((bottom - top) / 2) + 60)
