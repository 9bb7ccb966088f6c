"""A source opened at the cited passage: a PDF (or other paged document) page, the
passage's lines highlighted and scrolled into view, rendered off the GUI thread
(desktop.evidence.page_renderer) with the passage in its surrounding text shown meanwhile;
for documents without pages (DOCX, Markdown, text, HTML) that text alone."""
from __future__ import annotations

import html
import re
import time
from pathlib import Path

from desktop.evidence.page_renderer import PageKey, PageResult, page_key, page_renderer
from desktop.qt import (QDialog, QEventLoop, QLabel, QScrollArea, QStackedWidget, Qt,
                        QTextBrowser, QTimer, QVBoxLayout, Signal)
from engine.library.context import PassageContext
from engine.library.pdf_locate import Box
from engine.library.types import Passage

PAGED = {".pdf", ".epub", ".xps", ".oxps", ".fb2", ".mobi", ".cbz"}
WAIT_S = 120.0                  # the longest a script's read of `boxes` waits for its page


def context_html(context: PassageContext) -> str:
    """The passage highlighted inside its surrounding text."""
    def part(text: str) -> str:
        # Single line breaks are the source's layout (PDF lines); blank lines are paragraphs.
        text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)
        return html.escape(text).replace("\n\n", "<br><br>").replace("\n", "")
    return (f'<p><span style="color:#666">{part(context.before)}</span> '
            f'<span style="background-color:#ffe680">{part(context.passage)}</span> '
            f'<span style="color:#666">{part(context.after)}</span></p>')


def passage_page(passage: Passage) -> PageKey | None:
    """The key of the passage's page; None for a document without pages, or gone."""
    paged = passage.page is not None and Path(passage.path).suffix.lower() in PAGED
    return page_key(passage.path, passage.page, passage.text) if paged else None


class SourceView(QDialog):
    """Non-modal. The passage in its text shows at once; a paged document's page follows
    when the page renderer has it (at once from its cache), then `page_shown(PageResult)`
    fires. A page that arrives for an older passage is never shown. `boxes` and
    `render_seconds` say what the last page showed (reading them while a page is on its
    way waits for it: scripts read them right after Open at page)."""

    page_shown = Signal(object)

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
        self.renderer = page_renderer()
        self.renderer.rendered.connect(self._on_rendered)
        self.wanted: PageKey | None = None       # the page on its way
        self._boxes: list[Box] = []
        self._seconds = 0.0
        self._started = 0.0
        self._title = ""

    @property
    def pending(self) -> bool:
        return self.wanted is not None

    @property
    def boxes(self) -> list[Box]:
        self.wait_for_page()
        return self._boxes

    @property
    def render_seconds(self) -> float:
        """From show_passage until its page (or text) was shown."""
        self.wait_for_page()
        return self._seconds

    def show_passage(self, passage: Passage, context: PassageContext) -> None:
        """Show the passage where it is: its page when the document has pages."""
        self._started = time.perf_counter()
        name = Path(passage.path).name
        self.setWindowTitle(f"Source — {name}")
        self._title = f"<b>{html.escape(passage.title)}</b> — {html.escape(name)}"
        self._boxes = []
        self.text.setHtml(context_html(context))
        self.stack.setCurrentWidget(self.text)
        self.wanted = key = passage_page(passage)
        if key is None:
            where = passage.where()
            self.caption.setText(self._title + (f", {where}" if where else ""))
            self._seconds = time.perf_counter() - self._started
        elif (cached := self.renderer.cached(key)) is not None:
            self._show_page(cached)
        else:
            self.caption.setText(f"{self._title}, page {passage.page} (the page is on its "
                                 "way; the passage meanwhile)")
            self.renderer.request(self, key)

    def wait_for_page(self, timeout_s: float = WAIT_S) -> bool:
        """Wait (running the event loop) until the page on its way is shown; True if none
        is on its way any more."""
        if self.pending:
            self.renderer.request(self, self.wanted)     # asked again if dropped while hidden
            loop = QEventLoop()
            self.page_shown.connect(loop.quit)
            QTimer.singleShot(int(timeout_s * 1000), loop.quit)
            loop.exec()
            self.page_shown.disconnect(loop.quit)
        return not self.pending

    def _on_rendered(self, result: PageResult) -> None:
        if result.key == self.wanted:
            self._show_page(result)

    def _show_page(self, result: PageResult) -> None:
        self.wanted = None
        page = result.key.request.page
        if result.pixmap is None:
            self.caption.setText(f"{self._title}, page {page} (the page could not be shown: "
                                 f"{html.escape(result.error)})")
        else:
            self._boxes = result.boxes
            self.page.setPixmap(result.pixmap)
            self.stack.setCurrentWidget(self.scroll)
            self.caption.setText(f"{self._title}, page {page}"
                                 + ("" if self._boxes else " (passage not found on the page)"))
            self._scroll_to_boxes()
        self._seconds = time.perf_counter() - self._started
        self.page_shown.emit(result)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.wanted is not None:            # dropped while hidden: asked again
            self.renderer.request(self, self.wanted)

    def hideEvent(self, event) -> None:
        """Closed (or hidden): its waiting request is dropped, not rendered for nobody."""
        self.renderer.forget(self)
        super().hideEvent(event)

    def _scroll_to_boxes(self) -> None:
        if self._boxes:
            top = min(b.y0 for b in self._boxes)
            bottom = max(b.y1 for b in self._boxes)
            self.page.adjustSize()
            self.scroll.ensureVisible(int(min(b.x0 for b in self._boxes)),
                                      int((top + bottom) / 2), 50, int((bottom - top) / 2) + 60)
