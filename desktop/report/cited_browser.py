"""A rich-text view whose citation markers answer the mouse: hovering one shows the
document, page and passage; clicking one asks for the evidence pane at that passage.
The section view, the live preview and the reading view are all this widget."""
from __future__ import annotations

from desktop.qt import QCursor, QTextBrowser, QToolTip, QUrl, Signal
from desktop.report.render import CITE_SCHEME, RenderedReport, passage_tooltip


def _group_index(url: QUrl) -> int | None:
    if url.scheme() != CITE_SCHEME:
        return None
    try:
        return int(url.path())
    except ValueError:
        return None


class CitedBrowser(QTextBrowser):
    """`citation_clicked(list)` fires on the GUI thread with the clicked marker's keys."""

    citation_clicked = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.report: RenderedReport | None = None
        self.flags: list = []  # claim-check flags marked in the shown document
        self._adopted = None   # the last document show_document() handed this view
        self.anchorClicked.connect(self._on_click)
        self.highlighted.connect(self._on_hover)

    def show_html(self, text: str, report: RenderedReport | None,
                  keep_scroll: bool = True) -> None:
        """Replace the content; the scroll position stays (live updates while reading)."""
        self.report = report
        bar = self.verticalScrollBar()
        position = bar.value()
        self.setHtml(text)
        if keep_scroll:
            bar.setValue(position)

    def show_document(self, document, report: RenderedReport | None) -> None:
        """Swap in a document built elsewhere (desktop.report.background_render), keeping the
        scroll position; the document it replaces, if this view adopted it, goes."""
        self.report = report
        bar = self.verticalScrollBar()
        position = bar.value()
        # Not previous.parent(): wrapping Qt's private text control cost PySide ~60 ms of
        # enum set-up on the GUI thread the first time.
        previous, self._adopted = self._adopted, document
        document.setParent(self)
        self.setDocument(document)   # deletes the view's own first document itself
        if previous is not None and previous is not document:
            previous.deleteLater()
        bar.setValue(position)

    def mark_flags(self, flags: list) -> int:
        """Underline the flagged sentences in what is shown (again after each render)."""
        from desktop.check.marks import mark_flags

        self.flags = list(flags)
        return mark_flags(self.document(), self.flags) if self.flags else 0

    def flag_at(self, point):
        """The flag whose sentence is under a viewport point, if any."""
        from desktop.check.marks import FLAG_INDEX

        if not self.flags:
            return None
        index = self.cursorForPosition(point).charFormat().property(FLAG_INDEX)
        return self.flags[index] if isinstance(index, int) and index < len(self.flags) \
            else None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().mouseMoveEvent(event)
        if self.anchorAt(event.position().toPoint()):
            return                            # a citation's own tooltip (highlighted)
        flag = self.flag_at(event.position().toPoint())
        if flag is not None:
            from desktop.check.marks import flag_tooltip

            citations = self.report.citations if self.report is not None else {}
            QToolTip.showText(QCursor.pos(), flag_tooltip(flag, citations), self.viewport())

    def tooltip_for(self, url: QUrl) -> str:
        index = _group_index(url)
        if index is None or self.report is None:
            return ""
        return passage_tooltip(self.report.group(index), self.report.citations,
                               self.report.references)

    def _on_hover(self, url: QUrl) -> None:
        text = self.tooltip_for(url) if not url.isEmpty() else ""
        if text:
            QToolTip.showText(QCursor.pos(), text, self.viewport())
        else:
            QToolTip.hideText()

    def _on_click(self, url: QUrl) -> None:
        index = _group_index(url)
        if index is not None and self.report is not None:
            keys = [m.key for m in self.report.group(index)]
            if keys:
                self.citation_clicked.emit(keys)

    def marker_urls(self) -> list[str]:
        """Every citation link in the document, in order (tests and the tour find
        markers this way)."""
        found, block = [], self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                href = fragment.charFormat().anchorHref()
                if href.startswith(CITE_SCHEME + ":") and (not found or found[-1][0] != href):
                    found.append((href, fragment.position()))
                iterator += 1
            block = block.next()
        return [href for href, _ in found]

    def marker_position(self, href: str):
        """The viewport point at the middle of a marker (to hover or click it)."""
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.charFormat().anchorHref() == href:
                    cursor = self.textCursor()
                    cursor.setPosition(fragment.position() + max(1, fragment.length() // 2))
                    rect = self.cursorRect(cursor)
                    return rect.center()
                iterator += 1
            block = block.next()
        return None
