"""A rich-text view whose citation markers answer the mouse: hovering one shows the
document, page and passage; clicking one asks for the evidence pane at that passage.
The section view, the live preview and the reading view are all this widget."""
from __future__ import annotations

from desktop.qt import QCursor, QPoint, QTextBrowser, QToolTip, QUrl, Signal
from desktop.report.parted_document import PartedDocument
from desktop.report.render import CITE_SCHEME, Part, RenderedReport, passage_tooltip


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
        self.parted = PartedDocument()   # the shown report's parts (show_parts)
        self.anchorClicked.connect(self._on_click)
        self.highlighted.connect(self._on_hover)

    def show_html(self, text: str, report: RenderedReport | None,
                  keep_scroll: bool = True) -> None:
        """Replace the content; the scroll position stays (live updates while reading)."""
        self.report = report
        self.parted.forget()
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

    def show_parts(self, parts: list[Part], report: RenderedReport | None,
                   flags: list, document=None) -> None:
        """Show a report from its parts (desktop.report.render.report_parts), the flagged
        sentences underlined. Only the parts that changed since the last call are
        replaced, keeping the reader's place; the whole document is replaced (by
        `document` when one was built elsewhere) when there is no earlier one, the flags
        changed or most of the report did."""
        plan = None if document is not None or list(flags) != self.flags else \
            self.parted.plan(parts)
        if plan is not None:
            self.report = report
            replaced = self._patch(plan, parts)
            if replaced is not None:
                self._mark(within=[(r.start, r.end) for r in replaced])
                return
        if document is not None:
            self.show_document(document, report)
        else:
            self.show_html("\n".join(part.html for part in parts), report)
        self.document().setUndoRedoEnabled(False)   # else each change's old text is kept
        self.parted.adopt(self.document(), parts)
        self.mark_flags(flags)

    def patchable(self, parts: list[Part], flags: list) -> bool:
        """Whether show_parts() would only replace some parts (no new document needed)."""
        return list(flags) == self.flags and self.parted.plan(parts) is not None

    def _patch(self, plan, parts):
        """Replace the planned parts; what the reader sees stays put when the change was
        above it (the scroll bar moves by the height it gained or lost)."""
        if not plan:
            return []
        bar = self.verticalScrollBar()
        value = bar.value()
        top = self.cursorForPosition(QPoint(0, 0)).position()
        # cursorRect(), not documentLayout(): wrapping the layout cost PySide ~14 ms of
        # type set-up on the GUI thread the first time.
        seen = self._y_of(top)
        replaced = self.parted.apply(self.document(), plan, parts)
        if replaced is None:
            return None
        moved = shifted = 0        # `replaced` is in the new positions, in order
        for change in replaced:
            shifted += change.shift
            if change.end - shifted <= top:
                moved += change.shift
        bar.setValue(value)
        if moved:
            bar.setValue(value + self._y_of(top + moved) - seen)
        return replaced

    def _y_of(self, position: int) -> int:
        cursor = self.textCursor()
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        return self.cursorRect(cursor).top()

    def mark_flags(self, flags: list) -> int:
        """Underline the flagged sentences in what is shown (again after each render)."""
        self.flags = list(flags)
        return self._mark()

    def _mark(self, within: list[tuple[int, int]] | None = None) -> int:
        """Underline the flags' sentences; `within`: only those inside these ranges (the
        rest of the document kept its underlines)."""
        if not self.flags:
            return 0     # before the import: it loads the claim check (~30 ms the first time)
        from desktop.check.marks import mark_flags

        return mark_flags(self.document(), self.flags, within)

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
