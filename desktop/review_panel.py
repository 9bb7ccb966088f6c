"""The review point: the agent's proposed outline (init-plan) or subsections
(extend-plan) in an editable table, decided with Accept / Accept edited / Reject.

The run's thread waits on the proposal; the decision is made here, on the GUI thread.
"""
from __future__ import annotations

import copy

from desktop.qt import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                        QPushButton, QTableWidget, QTableWidgetItem, Signal, QVBoxLayout,
                        QWidget)
from engine.warp.events import Proposal


def _rows_key(payload: dict) -> str:
    """The payload's list of {title, plan} rows: 'sections' or 'subsections'."""
    return "sections" if "sections" in payload else "subsections"


class ReviewPanel(QWidget):
    """`decided(str)` fires on the GUI thread with "accept", "edit" or "reject"."""

    decided = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.proposal: Proposal | None = None
        self.heading = QLabel()
        self.heading.setObjectName("reviewHeading")
        self.heading.setWordWrap(True)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Report title")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Title", "Plan"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 200)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_row_button = QPushButton("Add row")
        self.remove_row_button = QPushButton("Remove row")
        self.accept_button = QPushButton("Accept")
        self.accept_button.setObjectName("primary")
        self.accept_edited_button = QPushButton("Accept edited")
        self.reject_button = QPushButton("Reject")
        self.add_row_button.clicked.connect(lambda: self._add_row("", ""))
        self.remove_row_button.clicked.connect(self._remove_row)
        self.accept_button.clicked.connect(self.accept)
        self.accept_edited_button.clicked.connect(self.accept_edited)
        self.reject_button.clicked.connect(self.reject)
        self._layout()
        self.clear()

    def _layout(self) -> None:
        rows = QHBoxLayout()
        rows.addWidget(self.add_row_button)
        rows.addWidget(self.remove_row_button)
        rows.addStretch(1)
        decide = QHBoxLayout()
        decide.addStretch(1)
        for button in (self.reject_button, self.accept_edited_button, self.accept_button):
            decide.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(rows)
        layout.addLayout(decide)

    def show_proposal(self, proposal: Proposal) -> None:
        self.proposal = proposal
        payload = proposal.payload
        if "title" in payload:
            self.heading.setText("The agent proposes this outline. Edit it, then accept "
                                 "or reject.")
        else:
            self.heading.setText(f"The agent proposes subsections for "
                                 f"{payload.get('position', '')}. Edit, accept or reject.")
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
        self._decide("accept", lambda p: p.accept())

    def accept_edited(self) -> None:
        payload = self.edited_payload() if self.proposal else {}
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
        self.title.clear()
        self.table.setRowCount(0)
        self.setEnabled(False)
