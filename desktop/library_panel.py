"""The library panel: the documents of the chosen library with their index status, and
the buttons to add or remove files. Ingest itself runs on the Worker."""
from __future__ import annotations

from pathlib import Path

from desktop.qt import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                        QProgressBar, QPushButton, Qt, QTreeWidget, QTreeWidgetItem, Signal,
                        QVBoxLayout, QWidget)

PATH = Qt.ItemDataRole.UserRole
def status_text(doc) -> str:
    """'indexed · 4 chunks', or the status with the reason a user can act on."""
    if doc.status == "indexed":
        return f"indexed · {doc.n_chunks} chunk{'s' if doc.n_chunks != 1 else ''}"
    return f"{doc.status}: {doc.reason}" if doc.reason else doc.status


DOCUMENT_FILTER = ("Documents (*.pdf *.docx *.md *.markdown *.txt *.html *.htm *.epub *.xps);;"
                   "All files (*)")


class LibraryPanel(QWidget):
    """Signals fire on the GUI thread with file paths: `add_requested(list)`,
    `remove_requested(list)`."""

    add_requested = Signal(list)
    remove_requested = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel("Library")
        self.heading.setObjectName("panelHeading")
        self.documents = QTreeWidget()
        self.documents.setColumnCount(2)
        self.documents.setHeaderLabels(["Document", "Status"])
        self.documents.setRootIsDecorated(False)
        self.documents.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.documents.header().setStretchLastSection(False)
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("hint")
        self.progress_label.setWordWrap(True)
        self.add_files_button = QPushButton("Add files…")
        self.add_folder_button = QPushButton("Add folder…")
        self.remove_button = QPushButton("Remove")
        self.add_files_button.clicked.connect(self._choose_files)
        self.add_folder_button.clicked.connect(self._choose_folder)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.documents, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addLayout(buttons)

    # --- user intent ---------------------------------------------------------------------
    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add documents", "", DOCUMENT_FILTER)
        if paths:
            self.add_requested.emit(paths)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder (searched recursively)")
        if folder:
            self.add_requested.emit([folder])

    def _remove_selected(self) -> None:
        paths = [item.data(0, PATH) for item in self.documents.selectedItems()]
        if paths:
            self.remove_requested.emit(paths)

    def set_enabled_actions(self, enabled: bool) -> None:
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            button.setEnabled(enabled)

    # --- showing ---------------------------------------------------------------------------
    def show_documents(self, library: str, documents: list) -> None:
        self.heading.setText(f"Library: {library} ({len(documents)} documents)")
        self.documents.clear()
        for doc in documents:
            item = QTreeWidgetItem(self.documents, [Path(doc.path).name, status_text(doc)])
            item.setData(0, PATH, doc.path)
            item.setToolTip(0, doc.path)
            item.setToolTip(1, status_text(doc))
        self.documents.resizeColumnToContents(1)

    def paths(self) -> list[str]:
        root = self.documents.invisibleRootItem()
        return [root.child(i).data(0, PATH) for i in range(root.childCount())]

    # --- ingest progress (events from engine.library.events) ---------------------------------
    def start_progress(self) -> None:
        self.progress.setRange(0, 0)    # busy until the scan says how many files
        self.progress.show()
        self.progress_label.setText("Scanning…")

    def finish_progress(self) -> None:
        self.progress.hide()

    def on_event(self, event) -> None:
        from engine.library import events as lib

        if isinstance(event, lib.IngestStarted):
            self.progress.setRange(0, max(1, event.total))
            self.progress.setValue(0)
        elif isinstance(event, lib.FileStarted):
            self.progress_label.setText(f"{event.index}/{event.total}: {Path(event.path).name}")
        elif isinstance(event, lib.Progress):
            self.progress.setRange(0, max(1, event.total))
            self.progress.setValue(event.done)
        elif isinstance(event, lib.IngestDone):
            self.progress_label.setText(_summary(event))


def _summary(done) -> str:
    if done.cancelled:
        return f"Stopped: {done.indexed} indexed before the stop."
    parts = [f"{done.indexed} indexed"]
    if done.skipped:
        parts.append(f"{done.skipped} unchanged or skipped")
    if done.failed:
        parts.append(f"{done.failed} failed (" + ", ".join(
            f"{n} {reason}" for reason, n in done.failures.items()) + ")")
    return "Done: " + ", ".join(parts) + f" in {done.seconds:.1f}s."
