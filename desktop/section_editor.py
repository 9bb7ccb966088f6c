"""The editor for the selected section's text. Saving hands the text to the engine as
the user's own (the agent never overwrites it)."""
from __future__ import annotations

from desktop.qt import (QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, Signal,
                        QVBoxLayout, QWidget)


class SectionEditor(QWidget):
    """`save_requested(node_id, text)` fires on the GUI thread when the user saves."""

    save_requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel("Select a section in the outline")
        self.heading.setObjectName("sectionHeading")
        self.plan = QLabel("")
        self.plan.setObjectName("sectionPlan")
        self.plan.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Not written yet. Type here to write it yourself; "
                                     "the agent will leave your text alone.")
        self.save_button = QPushButton("Save section")
        self.save_button.setObjectName("primary")
        self.revert_button = QPushButton("Revert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.text.textChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.plan, self.text):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.node_id: str | None = None
        self._shown = ""
        self.show_node(None, "")

    @property
    def dirty(self) -> bool:
        """True while the text differs from what the engine last had."""
        return self.node_id is not None and self.text.toPlainText() != self._shown

    def show_node(self, node: dict | None, position: str) -> None:
        """Show a node; unsaved typing in the same node is kept when the outline refreshes."""
        same = node is not None and node.get("node_id") == self.node_id
        if same and self.dirty:
            return
        self.node_id = node.get("node_id") if node else None
        self.text.setEnabled(node is not None)
        if node is None:
            self.heading.setText("Select a section in the outline")
            self.plan.setText("")
            self._set_text("")
            return
        number = position.removeprefix("section-")
        self.heading.setText(f"{number}  {node.get('title', '')}")
        self.plan.setText(f"Plan: {node.get('plan') or '—'}")
        self._set_text(node.get("content") or "")

    def _set_text(self, text: str) -> None:
        self._shown = text
        self.text.setPlainText(text)
        self._update_buttons()

    def save(self) -> None:
        if self.dirty:
            text = self.text.toPlainText()
            self._shown = text
            self._update_buttons()
            self.save_requested.emit(self.node_id, text)

    def revert(self) -> None:
        self._set_text(self._shown)

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)
