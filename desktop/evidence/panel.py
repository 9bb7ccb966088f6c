"""The evidence for the selected section: every passage it cites (numbered as in the
export) and every passage the agent was shown for it, marked cited or not; the chosen one
in its surrounding text, with Open at page, Open with the system app and Show in folder."""
from __future__ import annotations

import html
from pathlib import Path

from desktop.qt import (QDesktopServices, QFont, QHBoxLayout, QLabel, QListWidget,
                        QListWidgetItem, QPushButton, QSplitter, Qt, QTextBrowser, QUrl,
                        Signal, QVBoxLayout, QWidget)
from desktop.report.render import RenderedReport
from desktop.evidence.page_renderer import page_renderer
from desktop.evidence.source_view import SourceView, context_html, passage_page
from desktop.common.words import plural
from engine.library.context import other_places, passage_context
from engine.library.types import Passage

KEY = Qt.ItemDataRole.UserRole
OPENING = 70     # characters of the passage shown under its source


def _entry_text(passage: Passage, number: int | None, cited: bool) -> str:
    where = ", ".join(p for p in (Path(passage.path).name, passage.where()) if p)
    mark = f"[{number}] " if number is not None else ""
    status = "cited" if cited else "shown, not cited"
    opening = " ".join(passage.text.split())
    opening = opening if len(opening) <= OPENING else opening[:OPENING].rsplit(" ", 1)[0] + "…"
    # Two passages on one page share a number (as in the export); their openings differ.
    repeats = f" · also in {plural(passage.repeats, 'other place')}" if passage.repeats \
        else ""
    return (f"{mark}{passage.title or Path(passage.path).name} — {where} · {status}{repeats}"
            f"\n“{opening}”")


def places_html(count: int, places) -> str:
    """The other places a repeated passage occurs (its text is stored once)."""
    if not count:
        return ""
    items = "".join(f"<li>{html.escape(p.title or Path(p.path).name)} — "
                    f"{html.escape(Path(p.path).name)}, {html.escape(p.where())}</li>"
                    for p in places)
    more = f"<p>… and {count - len(places)} more.</p>" if count > len(places) else ""
    return (f"<p><b>The same text is in {plural(count, 'other place')}:</b></p>"
            f"<ul>{items}</ul>{more}")


class EvidencePanel(QWidget):
    """`message(str)` fires on the GUI thread with a line for the status bar."""

    message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel("Select a written section to see its evidence.")
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.context = QTextBrowser()
        self.open_page_button = QPushButton("Open at page")
        self.open_page_button.setObjectName("primary")
        self.open_app_button = QPushButton("Open with the system app")
        self.folder_button = QPushButton("Show in folder")
        self.open_page_button.clicked.connect(self.open_at_page)
        self.open_app_button.clicked.connect(self.open_with_app)
        self.folder_button.clicked.connect(self.show_in_folder)
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self._layout()
        self.citations: dict[str, Passage] = {}
        self.library = "default"
        self.viewer: SourceView | None = None
        self._entries: tuple = ()      # (library, [(key, passage, number, cited)]) listed
        self._context_of: Passage | None = None    # the passage the context shows
        self._show_current()

    def _layout(self) -> None:
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.context)
        files = QHBoxLayout()           # two rows keep the pane narrow beside the draft
        files.addWidget(self.open_app_button)
        files.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addWidget(self.open_page_button)
        layout.addLayout(files)

    def show_section(self, node_id: str | None, title: str, report: RenderedReport,
                     shown_keys: list[str], library: str) -> None:
        """List the section's cited passages, then those shown but not cited. A run's
        update that leaves this list as it was keeps the list and the reader's choice."""
        self.citations, self.library = report.citations, library
        cited = report.cited_keys(node_id) if node_id else []
        numbers = {m.key: m.number for group in report.groups for m in group}
        entries = [(key, self.citations[key], numbers.get(key) if key in cited else None,
                    key in cited) for key in cited + [k for k in shown_keys if k not in cited]
                   if key in self.citations]
        shown = len([k for k in shown_keys if k in self.citations])
        self.heading.setText(f"<b>{title}</b>: cites {plural(len(cited), 'passage')}; the "
                             f"agent was shown {shown}." if node_id else
                             "Select a written section to see its evidence.")
        if (library, entries) == self._entries:
            return
        self._entries, self._context_of = (library, entries), None
        self.list.blockSignals(True)        # one context shown below, not one per row
        self.list.clear()
        for entry in entries:
            self._add(*entry)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._show_current()

    def _add(self, key: str, passage: Passage, number: int | None, cited: bool) -> None:
        item = QListWidgetItem(_entry_text(passage, number, cited))
        item.setData(KEY, key)
        font = QFont(item.font())
        font.setBold(cited)
        item.setFont(font)
        self.list.addItem(item)

    def select_key(self, key: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(KEY) == key:
                self.list.setCurrentRow(row)
                return True
        return False

    def current_passage(self) -> Passage | None:
        item = self.list.currentItem()
        return self.citations.get(item.data(KEY)) if item is not None else None

    def _show_current(self) -> None:
        passage = self.current_passage()
        for button in (self.open_page_button, self.open_app_button, self.folder_button):
            button.setEnabled(passage is not None)
        if passage is self._context_of and passage is not None:
            return                      # the same passage: its context is shown
        self._context_of = passage
        if passage is None:
            self.context.clear()
            return
        html = context_html(passage_context(passage, self.library))
        self.context.setHtml(html + places_html(*other_places(passage, self.library)))
        # Its page is rendered now, off the GUI thread: Open at page finds it ready.
        if (key := passage_page(passage)) is not None:
            page_renderer().request(self, key)

    def open_at_page(self) -> SourceView | None:
        passage = self.current_passage()
        if passage is None:
            return None
        if self.viewer is None:
            self.viewer = SourceView(self.window())
        self.viewer.show_passage(passage, passage_context(passage, self.library))
        self.viewer.show()
        self.viewer.raise_()
        return self.viewer

    def open_with_app(self) -> None:
        if (passage := self.current_passage()) is not None:
            self._open(Path(passage.path))

    def show_in_folder(self) -> None:
        if (passage := self.current_passage()) is not None:
            self._open(Path(passage.path).parent)

    def _open(self, path: Path) -> None:
        if not path.exists():
            self.message.emit(f"{path} is no longer there; it may have been moved or deleted.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

