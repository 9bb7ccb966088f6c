"""The documents of one library as a table model (name, status), with each row's path and
whether it failed under roles of their own. Rows change one at a time as ingest events
arrive (dataChanged, rowsInserted, rowsRemoved), and a job's final listing is merged into
the rows already shown: only another library resets the model. So a 2,000-document
library never rebuilds while it is being indexed, and the selection and the scroll
position survive each job."""
from __future__ import annotations

from desktop.library.document_row import Row
from desktop.qt import QAbstractTableModel, QModelIndex, Qt, QTimer

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
PATH = int(Qt.ItemDataRole.UserRole)
FAILED = PATH + 1
HEADERS = ("Document", "Status")
WARM_SLICE, WARM_EVERY_MS = 250, 15   # ~1 ms of text-making per frame after a listing


class DocumentsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.library: str | None = None
        self._rows: list[Row] = []
        self._at: dict[str, int] = {}    # path -> row
        self._warm = QTimer(self)          # makes the filter's texts while the window idles
        self._warm.setInterval(WARM_EVERY_MS)
        self._warm.timeout.connect(self._warm_slice)
        self._warm_from = 0

    # --- what the views ask ------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's default argument)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index, role=DISPLAY):
        """Called for each cell painted, with a role each time: plain ints, no work."""
        row = self._rows[index.row()]
        if role == DISPLAY:
            return row.status if index.column() else row.name
        if role == TOOLTIP:
            return row.status if index.column() else row.path
        if role == PATH:
            return row.path
        if role == FAILED:
            return row.failed
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    # --- reading -----------------------------------------------------------------------------
    def paths(self) -> list[str]:
        return [row.path for row in self._rows]

    def row_of(self, path: str) -> int | None:
        return self._at.get(path)

    def search_text(self, row: int) -> str:
        return self._rows[row].search

    def status(self, path: str) -> str | None:
        at = self._at.get(path)
        return None if at is None else self._rows[at].status

    # --- changes -----------------------------------------------------------------------------
    def show(self, library: str, rows: list[Row]) -> None:
        """A library's listing: merged into the rows shown when it is the same library."""
        if library != self.library:
            self.library = library
            self.beginResetModel()
            self._rows = list(rows)
            self._reindex()
            self.endResetModel()
            self._warm_from = 0
            self._warm.start()
            return
        listed = {row.path for row in rows}
        self.remove_paths([path for path in self._at if path not in listed])
        self.set_rows(rows)

    def set_rows(self, rows: list[Row]) -> None:
        """Change the rows whose text changed; add the new ones at the end, in one go."""
        new = []
        for row in rows:
            at = self._at.get(row.path)
            if at is None:
                new.append(row)
                continue
            if self._rows[at].same(row):
                self._rows[at].adopt(row)      # its texts are made already
            else:
                self._rows[at] = row
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(HEADERS) - 1))
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self._at.update((row.path, start + i) for i, row in enumerate(new))
            self.endInsertRows()

    def set_row(self, path: str, status: str, failed: bool) -> None:
        """Update the row of `path`, adding it if new."""
        self.set_rows([Row(path, status, failed)])

    def remove_paths(self, paths: list[str]) -> None:
        """One removal per run of adjacent rows, last first, then one reindex."""
        rows = sorted((self._at[path] for path in paths if path in self._at), reverse=True)
        for first, last in _runs(rows):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        if rows:
            self._reindex()

    def _warm_slice(self) -> None:
        """The filter's texts of WARM_SLICE rows (about 1 ms): after a new listing, so the
        first key typed does not make 2,000 of them in one go."""
        end = min(self._warm_from + WARM_SLICE, len(self._rows))
        for row in self._rows[self._warm_from:end]:
            row.search
        self._warm_from = end
        if end >= len(self._rows):
            self._warm.stop()

    def _reindex(self) -> None:
        self._at = {row.path: i for i, row in enumerate(self._rows)}


def _runs(descending: list[int]):
    """(first, last) of each run of consecutive numbers in a descending list."""
    i = 0
    while i < len(descending):
        j = i
        while j + 1 < len(descending) and descending[j + 1] == descending[j] - 1:
            j += 1
        yield descending[j], descending[i]
        i = j + 1
