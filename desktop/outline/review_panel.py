"""The review point: the agent's proposed outline (init-plan) or subsections (extend-plan)
in an editable table whose plans wrap, beside the surrounding outline, named by title and
position. One Accept applies what the table shows (edited or not); Reject drops it.

The run waits on the proposal; the decision is made here, on the GUI thread. The panel
lives in a resizable, non-modal dialog (`ReviewDialog`).
"""
from __future__ import annotations

import copy
import html

from desktop.qt import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel,
                        QLineEdit, QPushButton, QSplitter, Qt, QTableWidget,
                        QTableWidgetItem, Signal, QVBoxLayout, QWidget)
from engine.warp.events import Proposal


def _rows_key(payload: dict) -> str:
    """The payload's list of {title, plan} rows: 'sections' or 'subsections'."""
    return "sections" if "sections" in payload else "subsections"


def _numbered(outline: dict):
    """(number, depth, node) depth-first, number like '2.1'."""
    def visit(nodes, prefix, depth):
        for index, node in enumerate(nodes, start=1):
            number = f"{prefix}{index}"
            yield number, depth, node
            yield from visit(node.get("subsections", []), number + ".", depth + 1)
    yield from visit(outline.get("sections", []), "", 0)


def section_name(outline: dict, position: str) -> str:
    """'3 Aftermath' for section-3 (the position alone if the outline lacks it)."""
    number = position.removeprefix("section-")
    for found, _, node in _numbered(outline):
        if found == number:
            return f"{number} {node.get('title', '')}"
    return number


def outline_context_html(outline: dict, position: str | None) -> str:
    """The outline as an indented list, the target section marked."""
    target = position.removeprefix("section-") if position else None
    lines = []
    for number, depth, node in _numbered(outline):
        text = html.escape(f"{number} {node.get('title', '')}")
        indent = "&nbsp;" * 4 * depth
        if number == target:
            text = f"<b>{text} ← the new subsections go here</b>"
        lines.append(f"{indent}{text}")
    return "<br>".join(lines) or "<i>No outline yet.</i>"


class ReviewPanel(QWidget):
    """`decided(str)` fires on the GUI thread with "accept", "edit" or "reject"."""

    decided = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.proposal: Proposal | None = None
        self.heading = QLabel()
        self.heading.setObjectName("reviewHeading")
        self.heading.setWordWrap(True)
        self.context = QLabel()
        self.context.setWordWrap(True)
        self.context.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Report title")
        self.table = self._make_table()
        self.add_row_button = QPushButton("Add row")
        self.remove_row_button = QPushButton("Remove row")
        self.accept_button = QPushButton("Accept")
        self.accept_button.setObjectName("primary")
        self.accept_button.setToolTip("Apply the plan as the table shows it, with your edits")
        self.reject_button = QPushButton("Reject")
        self.add_row_button.clicked.connect(lambda: self._add_row("", ""))
        self.remove_row_button.clicked.connect(self._remove_row)
        self.accept_button.clicked.connect(self.accept)
        self.reject_button.clicked.connect(self.reject)
        # Inside the dialog the first button would be the default one, so Enter in the
        # title field added an empty row; Enter only moves on to the table.
        for button in (self.add_row_button, self.remove_row_button, self.accept_button,
                       self.reject_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.title.returnPressed.connect(self.table.setFocus)
        self._layout()
        self.clear()

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, 2)
        table.setHorizontalHeaderLabels(["Title", "Plan"])
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, 220)
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Rows grow with their plans: after edits and when the columns change width.
        table.itemChanged.connect(lambda _: table.resizeRowsToContents())
        header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
        return table

    def _layout(self) -> None:
        rows = QHBoxLayout()
        rows.addWidget(self.add_row_button)
        rows.addWidget(self.remove_row_button)
        rows.addStretch(1)
        rows.addWidget(self.reject_button)
        rows.addWidget(self.accept_button)
        proposal = QWidget()
        proposal_layout = QVBoxLayout(proposal)
        proposal_layout.setContentsMargins(0, 0, 0, 0)
        proposal_layout.addWidget(self.title)
        proposal_layout.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.context)
        split.addWidget(proposal)
        split.setSizes([260, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addLayout(rows)

    def show_proposal(self, proposal: Proposal, outline: dict | None = None) -> None:
        self.proposal = proposal
        payload, outline = proposal.payload, outline or {}
        if "title" in payload:
            self.heading.setText("The agent proposes this outline for your question. Edit "
                                 "titles and plans in the table, then Accept (with your "
                                 "edits) or Reject.")
            self.context.setText("")
        else:
            position = payload.get("position", "")
            self.heading.setText(f"The agent proposes subsections for "
                                 f"<b>{html.escape(section_name(outline, position))}</b>. "
                                 "Edit them, then Accept (with your edits) or Reject.")
            self.context.setText(outline_context_html(outline, position))
        self.context.setVisible("title" not in payload)
        self.title.setVisible("title" in payload)
        self.title.setText(payload.get("title", ""))
        self.table.setRowCount(0)
        for row in payload.get(_rows_key(payload), []):
            self._add_row(row.get("title", ""), row.get("plan", ""))
        self.table.resizeRowsToContents()
        self.setEnabled(True)

    def _add_row(self, title: str, plan: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(title))
        self.table.setItem(row, 1, QTableWidgetItem(plan))

    def _remove_row(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows or [self.table.rowCount() - 1]:
            if row >= 0:
                self.table.removeRow(row)

    def edited_payload(self) -> dict:
        """The proposal's payload with the table's rows (and title) in place of the agent's."""
        assert self.proposal is not None
        payload = copy.deepcopy(self.proposal.payload)
        rows = []
        for row in range(self.table.rowCount()):
            title, plan = (self.table.item(row, c) for c in (0, 1))
            if title is not None and title.text().strip():
                rows.append({"title": title.text().strip(),
                             "plan": plan.text().strip() if plan else ""})
        payload[_rows_key(payload)] = rows
        if "title" in payload:
            payload["title"] = self.title.text().strip() or payload["title"]
        return payload

    def accept(self) -> None:
        """Apply what the table shows: the agent's plan, or the user's edit of it."""
        if self.proposal is None:
            return
        payload = self.edited_payload()
        if payload == self.proposal.payload:
            self._decide("accept", lambda p: p.accept())
        else:
            self._decide("edit", lambda p: p.edit(payload))

    def reject(self) -> None:
        self._decide("reject", lambda p: p.reject())

    def _decide(self, decision: str, apply) -> None:
        if self.proposal is None:
            return
        proposal, self.proposal = self.proposal, None
        apply(proposal)
        self.clear()
        self.decided.emit(decision)

    def clear(self) -> None:
        self.proposal = None
        self.heading.setText("No proposal waiting. With “Interactive review” on, the "
                             "agent stops here for your decision on each outline change.")
        self.context.setText("")
        self.title.clear()
        self.table.setRowCount(0)
        self.setEnabled(False)


class ReviewDialog(QDialog):
    """A resizable, non-modal window around the review panel; it hides once decided."""

    def __init__(self, panel: ReviewPanel, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review the agent's proposal")
        self.setModal(False)
        self.resize(980, 560)
        self.panel = panel
        layout = QVBoxLayout(self)
        layout.addWidget(panel)
        panel.decided.connect(lambda _: self.hide())
