"""The selected section: its text rendered (numbered citations that answer the mouse),
and, while editing, its Markdown source beside a live preview. Saving hands the text to
the engine as the user's own (the agent never overwrites it). Nothing typed is dropped:
leaving the section saves it, and the window saves it on close."""
from __future__ import annotations

from typing import Callable

from desktop.cited_browser import CitedBrowser
from desktop.qt import (QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSplitter, Qt,
                        QTimer, Signal, QVBoxLayout, QWidget)

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
        self.split.addWidget(self.view)
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
            self.split.setSizes([1, 1])

    def _set_text(self, text: str) -> None:
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
            self.view.show_html("", None)
            return
        draft = self.text.toPlainText() if self.dirty else None
        html, report = self.renderer(self.node_id, draft)
        self.view.show_html(html, report)

    def save(self) -> None:
        if self.dirty:
            node_id, text = self.node_id, self.text.toPlainText()
            self._shown = text
            self._update_buttons()
            self.save_requested.emit(node_id, text)

    def revert(self) -> None:
        self._set_text(self._shown)

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)
