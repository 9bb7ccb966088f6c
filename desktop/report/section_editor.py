"""The selected section: its text rendered (numbered citations that answer the mouse).
Clicking into it and typing (or double-clicking) edits it in place, formatted, with each
citation an atomic chip (desktop.report.rich_section); "Edit source" shows the Markdown beside a
live preview instead. Saving hands the text to the engine as the user's own (the agent
never overwrites it). Nothing typed is dropped: leaving the section saves it, and the
window saves it on close."""
from __future__ import annotations

from typing import Callable

from desktop.report.cited_browser import CitedBrowser
from desktop.qt import (QApplication, QEvent, QHBoxLayout, QKeyEvent, QLabel,
                        QPlainTextEdit, QPushButton, QSplitter, QStackedWidget, Qt, QTimer,
                        Signal, QTextCursor, QVBoxLayout, QWidget)
from desktop.report.rich_section import RichSectionEdit

PREVIEW_DELAY_MS = 150   # typing pauses this long before the preview re-renders
# renderer(node_id, draft text or None) -> (html, RenderedReport)
Renderer = Callable[[str, "str | None"], tuple]


class SectionEditor(QWidget):
    """Signals fire on the GUI thread: `save_requested(node_id, text)` when text is saved
    (by the user or on leaving the section); `citation_clicked(keys)`; `history_requested
    (node_id)`."""

    save_requested = Signal(str, str)
    citation_clicked = Signal(list)
    history_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel("Select a section in the outline")
        self.heading.setObjectName("sectionHeading")
        self.plan = QLabel("")
        self.plan.setObjectName("sectionPlan")
        self.plan.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Not written yet. Type Markdown here to write it "
                                     "yourself; the agent will leave your text alone.")
        self.view = CitedBrowser()
        self.view.citation_clicked.connect(self.citation_clicked)
        self.view.setToolTip("")
        self.rich = RichSectionEdit()
        self.rich.citation_clicked.connect(self.citation_clicked)
        self.rich.textChanged.connect(self._on_rich_typing)
        self.display = QStackedWidget()     # the rendered view, or the in-place editor
        self.display.addWidget(self.view)
        self.display.addWidget(self.rich)
        for widget in (self.view, self.view.viewport(), self.rich):
            widget.installEventFilter(self)
        self.report = None                  # the RenderedReport last shown
        self._view_html = ""                # the section's rich text last shown
        self.flags: dict[str, list] = {}    # node_id -> claim-check flags to underline
        self.renderer: Renderer | None = None
        self._build_buttons()
        self._layout()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_view)
        self.text.textChanged.connect(self._on_typing)
        self.node_id: str | None = None
        self._shown = ""
        self.show_node(None, "")

    def _build_buttons(self) -> None:
        self.edit_button = QPushButton("Edit source")
        self.edit_button.setCheckable(True)
        self.edit_button.toggled.connect(self.set_editing)
        self.history_button = QPushButton("History…")
        self.history_button.clicked.connect(
            lambda: self.node_id and self.history_requested.emit(self.node_id))
        self.save_button = QPushButton("Save section")
        self.save_button.setObjectName("primary")
        self.revert_button = QPushButton("Revert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)

    def _layout(self) -> None:
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.text)
        self.split.addWidget(self.display)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.plan)
        layout.addWidget(self.split, 1)
        layout.addLayout(buttons)

    @property
    def dirty(self) -> bool:
        """True while the text differs from what the engine last had."""
        return self.node_id is not None and self.text.toPlainText() != self._shown

    def unsaved(self) -> tuple[str, str] | None:
        """(node_id, text) of typing not yet saved."""
        return (self.node_id, self.text.toPlainText()) if self.dirty else None

    def show_node(self, node: dict | None, position: str) -> None:
        """Show a node. Unsaved typing in the same node survives an outline refresh;
        leaving a node with unsaved typing saves it first."""
        same = node is not None and node.get("node_id") == self.node_id
        if same and self.dirty:
            return
        if not same:
            self.save()
        self.node_id = node.get("node_id") if node else None
        self.text.setEnabled(node is not None)
        for button in (self.edit_button, self.history_button):
            button.setEnabled(node is not None)
        if node is None:
            self.heading.setText("Select a section in the outline")
            self.plan.setText("")
            self._set_text("")
            return
        self.heading.setText(f"{position.removeprefix('section-')}  {node.get('title', '')}")
        self.plan.setText(f"Plan: {node.get('plan') or '—'}")
        self._set_text(node.get("content") or "")
        if not same:
            self.set_editing(node.get("content") is None)

    def set_editing(self, editing: bool) -> None:
        """Show the Markdown source beside the preview (editing) or the rendered text."""
        self.edit_button.blockSignals(True)
        self.edit_button.setChecked(editing)
        self.edit_button.blockSignals(False)
        self.text.setVisible(editing)
        if editing:
            self.leave_in_place()
            self.split.setSizes([1, 1])

    def _set_text(self, text: str) -> None:
        self.leave_in_place()
        self._shown = text
        self.text.blockSignals(True)
        self.text.setPlainText(text)
        self.text.blockSignals(False)
        self._update_buttons()
        self.refresh_view()

    def _on_typing(self) -> None:
        self._update_buttons()
        self._preview_timer.start()

    def refresh_view(self) -> None:
        """Re-render the section (the draft while it differs from the saved text)."""
        if self.node_id is None or self.renderer is None:
            self._view_html = ""
            self.view.show_html("", None)
            return
        draft = self.text.toPlainText() if self.dirty else None
        html, report = self.renderer(self.node_id, draft)
        self.report = report
        # The flags were found in the saved text; a draft's sentences may have moved.
        flags = [] if draft is not None else list(self.flags.get(self.node_id, []))
        if html == self._view_html and flags == self.view.flags:
            self.view.report = report   # a run's update elsewhere: no new layout here
            return
        self._view_html = html
        self.view.show_html(html, report)
        self.view.mark_flags(flags)

    def save(self) -> None:
        if self.dirty:
            node_id, text = self.node_id, self.text.toPlainText()
            self._shown = text
            self._update_buttons()
            self.save_requested.emit(node_id, text)
        self.leave_in_place()

    def revert(self) -> None:
        self._set_text(self._shown)

    # --- editing in place -------------------------------------------------------------------
    @property
    def in_place(self) -> bool:
        return self.display.currentWidget() is self.rich

    def edit_in_place(self, block: int = 0, column: int = 0) -> bool:
        """Swap the rendered view for the in-place editor, the cursor at (block, column)."""
        if self.node_id is None or self.text.isVisible() or self.in_place:
            return False
        report = self.report
        numbers = {m.key: m.number for group in (report.groups if report else [])
                   for m in group}
        self.rich.tooltip_for = lambda keys: self._chip_tooltip(keys)
        self.rich.load(self.text.toPlainText(), numbers)
        self.display.setCurrentWidget(self.rich)
        cursor = QTextCursor(self.rich.document())
        target = self.rich.document().findBlockByNumber(block)
        if target.isValid():
            cursor.setPosition(target.position() + min(column, max(0, target.length() - 1)))
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        self.rich.setTextCursor(cursor)
        self.rich.setFocus()
        return True

    def leave_in_place(self) -> None:
        """Back to the rendered view (what was typed is already in the source text)."""
        if self.in_place:
            self.display.setCurrentWidget(self.view)
            self.refresh_view()

    def _chip_tooltip(self, keys: list[str]) -> str:
        from desktop.report.render import passage_tooltip

        report = self.report
        if report is None:
            return ""
        markers = {m.key: m for group in report.groups for m in group}
        return passage_tooltip([markers[k] for k in keys if k in markers],
                               report.citations, report.references)

    def _on_rich_typing(self) -> None:
        if self.in_place and self.rich.document().isModified():
            self.text.blockSignals(True)
            self.text.setPlainText(self.rich.markdown())
            self.text.blockSignals(False)
            self._update_buttons()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        """Typing into (or double-clicking) the rendered text edits it in place; Escape
        in the editor goes back to the rendered view, keeping what was typed."""
        kind = event.type()
        if watched is self.rich:
            if kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.leave_in_place()
                return True
            return False
        if kind == QEvent.Type.KeyPress and event.text() and event.text().isprintable() \
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier |
                                             Qt.KeyboardModifier.AltModifier):
            at = self.view.textCursor()
            # Keys still on their way to the view once it gave way go on to the editor.
            if self.in_place or self.edit_in_place(at.blockNumber(), at.positionInBlock()):
                QApplication.sendEvent(self.rich, QKeyEvent(
                    event.type(), event.key(), event.modifiers(), event.text()))
                return True
        elif kind == QEvent.Type.MouseButtonDblClick:
            at = self.view.cursorForPosition(event.position().toPoint())
            return self.edit_in_place(at.blockNumber(), at.positionInBlock())
        return False

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)
