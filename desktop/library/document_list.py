"""The library's documents as a list a person can narrow: a filter box above a view of the
documents model, through a proxy that keeps the rows whose name or status contain what was
typed. The view asks only for the rows it paints, so 2,000 documents list and filter
without a pause."""
from __future__ import annotations

from desktop.library.document_filter import DocumentFilter
from desktop.library.documents_model import FAILED, PATH, DocumentsModel
from desktop.qt import (QAbstractItemView, QHeaderView, QItemSelectionModel, QLineEdit,
                        QModelIndex, Qt, QTableView, QTimer, QVBoxLayout, QWidget, Signal)

FIT_AFTER_MS = 50


class DocumentList(QWidget):
    """`selection_changed()` when the selected rows change, `shown_changed()` when the
    rows shown do (a filter typed, rows added or removed)."""

    selection_changed = Signal()
    shown_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.model = DocumentsModel(self)
        self.shown = DocumentFilter(self.model, self)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter by name or status")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.shown.set_typed)
        self.view = self._view()
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self._fit_status_column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.view, 1)
        for signal in (self.shown.rowsInserted, self.shown.rowsRemoved,
                       self.shown.modelReset, self.shown.layoutChanged):
            signal.connect(self.shown_changed)

    def _view(self) -> QTableView:
        """A table, not a tree: flat rows of one height, so the view lays out and paints
        only the rows in sight."""
        view = QTableView()
        view.setModel(self.shown)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 6)
        header = view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        view.selectionModel().selectionChanged.connect(self.selection_changed)
        return view

    def is_filtered(self) -> bool:
        return bool(self.shown.typed)

    # --- reading -----------------------------------------------------------------------------
    def paths(self) -> list[str]:
        """Every document of the library, shown or filtered out."""
        return self.model.paths()

    def shown_paths(self) -> list[str]:
        """The documents the list shows now, top to bottom."""
        return [self.shown.index(i, 0).data(PATH) for i in range(self.shown.rowCount())]

    def selected_paths(self, failed_only: bool = False) -> list[str]:
        rows = sorted(self.view.selectionModel().selectedRows(0), key=lambda i: i.row())
        return [index.data(PATH) for index in rows if index.data(FAILED) or not failed_only]

    def status(self, path: str) -> str | None:
        return self.model.status(path)

    # --- changing ----------------------------------------------------------------------------
    def select(self, paths: list[str]) -> None:
        """Select the rows of `paths` the list shows (as a click and ctrl-clicks would)."""
        selection = self.view.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | \
            QItemSelectionModel.SelectionFlag.Rows
        for path in paths:
            at = self.model.row_of(path)
            index = self.shown.mapFromSource(self.model.index(at, 0)) if at is not None \
                else QModelIndex()
            if index.isValid():               # filtered out: not selectable
                selection.select(index, flags)

    def fit_status_column(self) -> None:
        """Once the listing is painted: measured before, the fit lays the view out twice
        (6 ms more for a first listing of 2,000 rows)."""
        self._fit_timer.start(FIT_AFTER_MS)

    def _fit_status_column(self) -> None:
        """The status column as wide as the longest status in sight, at most 60% of the
        list. Qt's own fit asks the delegate for each cell's size: 40 ms for 30 rows."""
        view = self.view
        top = max(0, view.rowAt(0))
        in_sight = view.viewport().height() // max(1, view.rowHeight(top)) + 1
        metrics = view.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.shown.index(row, 1).data())
                      for row in range(top, min(top + in_sight, self.shown.rowCount()))),
                     default=0)
        if widest:
            view.setColumnWidth(1, min(widest + 2 * metrics.averageCharWidth(),
                                       view.viewport().width() * 3 // 5))
