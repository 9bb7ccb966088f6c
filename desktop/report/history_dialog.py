"""History of one section: every version of its text (the agent's and the user's), each
compared with the current text word by word, and restorable."""
from __future__ import annotations

import difflib
import html
import re
import time

from desktop.qt import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem,
                        QPushButton, QSplitter, Qt, QTextBrowser, QVBoxLayout)
from desktop.report.render import word_count
from desktop.common.words import plural
from engine.project.versions import SectionVersion

ADDED = "background-color:#c9f2c9"
REMOVED = "background-color:#f8caca;text-decoration:line-through"


def _tokens(text: str) -> list[str]:
    """Words, with line breaks as tokens of their own (so paragraphs stay paragraphs)."""
    return re.findall(r"\n|[^\s]+", text)


def _show(tokens: list[str]) -> str:
    return " ".join(tokens).replace(" \n ", "<br>").replace("\n", "<br>")


def word_diff_html(old: str, new: str) -> str:
    """`new` against `old`: removed words struck in red, added ones in green."""
    a, b = [html.escape(t) for t in _tokens(old)], [html.escape(t) for t in _tokens(new)]
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f'<span style="{REMOVED}">{_show(a[i1:i2])}</span>')
        if op in ("insert", "replace"):
            parts.append(f'<span style="{ADDED}">{_show(b[j1:j2])}</span>')
        if op == "equal":
            parts.append(_show(a[i1:i2]))
    return "<p>" + " ".join(parts) + "</p>"


def version_label(version: SectionVersion) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(version.created))
    who = "you" if version.author == "user" else "the agent"
    if version.content is None:
        return f"{when} · cleared for a rewrite (step {version.step})"
    return f"{when} · by {who} · step {version.step} · {plural(word_count(version.content), 'word')}"


class HistoryDialog(QDialog):
    """`chosen` holds the text to restore after exec() returns Accepted."""

    def __init__(self, title: str, versions: list[SectionVersion], current: str,
                 parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History — {title}")
        self.resize(900, 600)
        self.versions = [v for v in reversed(versions)]       # newest first
        self.current, self.chosen = current, None
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for version in self.versions:
            self.list.addItem(QListWidgetItem(version_label(version)))
        self.diff = QTextBrowser()
        self.note = QLabel("Compared with the current text: removed words struck through "
                           "in red, added words in green.")
        self.note.setWordWrap(True)
        self.restore_button = QPushButton("Restore this version")
        self.restore_button.setObjectName("primary")
        self.restore_button.clicked.connect(self._restore)
        self.list.currentRowChanged.connect(self._show)
        self._layout()
        if self.versions:
            self.list.setCurrentRow(0)
        self._show(self.list.currentRow())

    def _layout(self) -> None:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(self.diff)
        split.setSizes([340, 560])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

    def _show(self, row: int) -> None:
        version = self.versions[row] if 0 <= row < len(self.versions) else None
        restorable = version is not None and version.content not in (None, self.current)
        self.restore_button.setEnabled(restorable)
        if version is None:
            self.diff.setHtml("<p>No saved versions yet.</p>")
        else:
            self.diff.setHtml(word_diff_html(version.content or "", self.current))

    def select(self, row: int) -> None:
        self.list.setCurrentRow(row)

    def _restore(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.versions) and self.versions[row].content is not None:
            self.chosen = self.versions[row].content
            self.accept()
