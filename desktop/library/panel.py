"""The library panel: the documents of the chosen library with their index status, the
buttons to add or remove files (or drop them on the panel), indexing progress in pages
and chunks with the time left, and Retry / Open / Show in folder for a failed file.
Ingest itself runs in the engine process."""
from __future__ import annotations

from pathlib import Path

from desktop.library.document_list import DocumentList
from desktop.library.document_row import Row
from desktop.library.ingest_progress import IngestProgress
from desktop.library.texts import failure_text, heading_text, indexed_text, summary
from desktop.qt import (QDesktopServices, QFileDialog, QHBoxLayout, QLabel, QProgressBar,
                        QPushButton, QToolButton, QUrl, QVBoxLayout, QWidget, Signal)
from engine.library import events as lib

BAR_STEPS = 1000


def document_filter() -> str:
    """Every type the readers take, for the Add files dialog."""
    from engine.library.readers import SUPPORTED_SUFFIXES

    patterns = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))
    return f"Documents ({patterns});;All files (*)"


def dropped_paths(mime) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] \
        if mime.hasUrls() else []


class LibraryPanel(QWidget):
    """Signals fire on the GUI thread with file paths: `add_requested(list)`,
    `remove_requested(list)`, `retry_requested(list)`."""

    add_requested = Signal(list)
    remove_requested = Signal(list)
    retry_requested = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.heading = QLabel("Library")
        self.heading.setObjectName("panelHeading")
        self.libraries_button = QToolButton()
        self.libraries_button.setText("Libraries")
        self.libraries_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.documents = DocumentList()
        self.documents.selection_changed.connect(self._update_row_actions)
        self.documents.shown_changed.connect(self._show_count)
        self.filter_box = self.documents.filter_box
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.progress_label = QLabel("Drop files or folders here, or use Add files.")
        self.progress_label.setObjectName("hint")
        self.progress_label.setWordWrap(True)
        self.tracker: IngestProgress | None = None
        self.library_name = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.libraries_button)
        layout.addLayout(top)
        layout.addWidget(self.documents, 1)
        layout.addLayout(self._row_actions())
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addLayout(self._add_buttons())
        self._update_row_actions()

    def _add_buttons(self) -> QHBoxLayout:
        self.add_files_button = QPushButton("Add files…")
        self.add_folder_button = QPushButton("Add folder…")
        self.remove_button = QPushButton("Remove")
        self.add_files_button.clicked.connect(self._choose_files)
        self.add_folder_button.clicked.connect(self._choose_folder)
        self.remove_button.clicked.connect(self._remove_selected)
        return _row(self.add_files_button, self.add_folder_button, self.remove_button)

    def _row_actions(self) -> QHBoxLayout:
        self.retry_button = QPushButton("Retry")
        self.open_button = QPushButton("Open")
        self.show_button = QPushButton("Show in folder")
        self.retry_button.setToolTip("Index the selected failed files again")
        self.retry_button.clicked.connect(
            lambda: self.retry_requested.emit(self.selected_paths(failed_only=True)))
        self.open_button.clicked.connect(lambda: self._open(self.selected_paths()[:1]))
        self.show_button.clicked.connect(
            lambda: self._open([str(Path(p).parent) for p in self.selected_paths()[:1]]))
        return _row(self.retry_button, self.open_button, self.show_button)

    # --- user intent ---------------------------------------------------------------------
    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add documents", "", document_filter())
        if paths:
            self.add_requested.emit(paths)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder (searched recursively)")
        if folder:
            self.add_requested.emit([folder])

    def _remove_selected(self) -> None:
        paths = self.selected_paths()
        if paths:
            self.remove_requested.emit(paths)

    def _open(self, paths: list[str]) -> None:
        for path in paths:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def dragEnterEvent(self, event) -> None:
        if dropped_paths(event.mimeData()) and self.add_files_button.isEnabled():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths and self.add_files_button.isEnabled():
            event.acceptProposedAction()
            self.add_requested.emit(paths)

    def selected_paths(self, failed_only: bool = False) -> list[str]:
        return self.documents.selected_paths(failed_only)

    def select(self, paths: list[str]) -> None:
        """Select the rows of `paths` the list shows (as a user's clicks would)."""
        self.documents.select(paths)

    def set_enabled_actions(self, enabled: bool) -> None:
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            button.setEnabled(enabled)
        self._update_row_actions()

    def _update_row_actions(self) -> None:
        selected = bool(self.selected_paths())
        idle = self.add_files_button.isEnabled()
        self.retry_button.setEnabled(idle and bool(self.selected_paths(failed_only=True)))
        self.open_button.setEnabled(selected)
        self.show_button.setEnabled(selected)

    # --- showing ---------------------------------------------------------------------------
    def show_documents(self, library: str, documents: list) -> None:
        """A library's listing (each job ends with one): merged row by row into the list
        when it is the library shown, so nothing is rebuilt."""
        self.library_name = library
        self.documents.model.show(library, [Row.of(doc) for doc in documents])
        self.documents.fit_status_column()
        self._update_row_actions()
        self._show_count()

    def _show_count(self) -> None:
        """The heading counts the documents, so it grows as each file finishes indexing."""
        self.heading.setText(heading_text(
            self.library_name, self.documents.model.rowCount(),
            self.documents.shown.rowCount(), self.documents.is_filtered()))

    def paths(self) -> list[str]:
        """Every document of the library, whatever the filter shows."""
        return self.documents.paths()

    def shown_paths(self) -> list[str]:
        return self.documents.shown_paths()

    def status(self, path: str) -> str | None:
        """The status column's text for `path` ('indexed · 4 chunks', 'failed: …')."""
        return self.documents.status(path)

    # --- ingest progress (events from engine.library.events) ---------------------------------
    def start_progress(self, library: str) -> None:
        self.library_name = library
        self.tracker = IngestProgress()
        self.progress.setRange(0, 0)    # busy until the scan says how many files
        self.progress.show()
        self.progress_label.setText("Scanning…")
        # Room for the two lines of progress now: one layout as the bar appears.
        label = self.progress_label
        label.setMinimumHeight(2 * label.fontMetrics().lineSpacing())

    def finish_progress(self) -> None:
        self.progress.hide()
        self.progress_label.setMinimumHeight(0)

    def on_event(self, event) -> None:
        if self.tracker is not None:
            self.tracker.on_event(event)
        if isinstance(event, lib.IngestDone):
            self.tracker = None
            self.progress_label.setText(summary(event))
            return
        self._show_outcome(event)
        if self.tracker is not None and isinstance(event, (
                lib.IngestStarted, lib.FileStarted, lib.Phase, lib.FileRead,
                lib.ChunksEmbedded, lib.Progress, lib.FileIndexed, lib.FileSkipped,
                lib.FileFailed)):   # a finished file changes the count at once
            self.progress.setRange(0, BAR_STEPS)
            self.progress.setValue(int(self.tracker.fraction() * BAR_STEPS))
            self.progress_label.setText(self.tracker.text())
            self._hold_label_height()

    def _hold_label_height(self) -> None:
        """While files index, the progress text's height only grows: were it to follow
        the lines of each text (one to three), the list above would be resized, laid out
        and painted again at almost every event."""
        label = self.progress_label
        label.setMinimumHeight(max(label.minimumHeight(), label.heightForWidth(label.width())))

    def _show_outcome(self, event) -> None:
        """Each row changes as its file finishes, not after the whole batch: one row of
        the model, never a rebuild."""
        model = self.documents.model
        if isinstance(event, lib.FileIndexed):
            model.set_row(event.path, indexed_text(event.chunks), False)
        elif isinstance(event, lib.FileFailed):
            model.set_row(event.path, failure_text(event.reason, event.detail), True)
        elif isinstance(event, lib.FileRemoved):
            model.remove_paths([event.path])   # the count follows the rows (shown_changed)


def _row(*buttons) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    return row
