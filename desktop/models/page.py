"""The Models page: the bundled and imported models with size, quantization, context
length and whether they fit this computer; import a GGUF (button or drop); download
AgentCPM-Report with progress, speed and time left (pause, resume, cancel; the checksum is
verified by engine.llm.download, the CLI's code); choose the active model.

Imports and downloads run in the engine process on the page's own lane, so a download
goes on while the agent writes."""
from __future__ import annotations

from pathlib import Path

from desktop.models.download_progress import DownloadTracker
from desktop.models.fit import model_fit
from desktop.models.jobs import (DownloadDiscarded, ModelImported, SystemInfo, discard_job,
                                download_job, import_job)
from desktop.qt import (QAbstractItemView, QDialog, QFileDialog, QGroupBox, QHBoxLayout,
                        QHeaderView, QLabel, QProgressBar, QPushButton, QTableWidget,
                        QTableWidgetItem, QVBoxLayout, QWidget, Signal)
from desktop.models.download_progress import size_text
from desktop.engine_link.worker import Worker
from engine.llm import download as dl

DOWNLOADABLE = "agentcpm-report"
COLUMNS = ["Model", "Size", "Quantization", "Context", "This computer"]


class ModelsPage(QDialog):
    """`model_chosen(str)` fires with the name the user made active."""

    model_chosen = Signal(str)

    def __init__(self, engine, parent: QWidget | None = None, active: str = "demo") -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.resize(820, 520)
        self.setAcceptDrops(True)
        self.lane = Worker(engine, self)
        self.lane.event.connect(self.on_event)
        self.lane.failed.connect(self._on_failed)
        self.lane.finished.connect(self._refresh_buttons)
        self.system: SystemInfo | None = None
        self.active = active
        self.hub_url: str | None = None      # None: the real hub (or $DEEPDRAFT_HUB_URL)
        self.download_spec = download_job    # (name, base_url) -> JobSpec
        self.tracker: DownloadTracker | None = None
        self._stopping = ""                  # "pause" | "cancel" while a download stops
        self.detected = QLabel("Detecting this computer's GPU…")
        self.detected.setObjectName("hint")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._refresh_buttons)
        self.message = QLabel("Drop a .gguf file here to import it.")
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detected)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._model_buttons())
        layout.addWidget(self.message)
        layout.addWidget(self._download_box())
        self.reload()
        self._refresh_buttons()

    def add_notice(self, notice: QWidget) -> None:
        """Under the computer's line: the CPU build's time estimate for the 8B."""
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.detected) + 1, notice)

    def _model_buttons(self) -> QHBoxLayout:
        self.use_button = QPushButton("Use this model")
        self.use_button.setObjectName("primary")
        self.import_button = QPushButton("Import GGUF…")
        self.use_button.clicked.connect(self.use_selected)
        self.import_button.clicked.connect(self._choose_gguf)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        row.addWidget(self.use_button)
        return row

    def _download_box(self) -> QGroupBox:
        from engine.llm.catalog import DOWNLOADABLE as CATALOGUE

        box = QGroupBox("Download")
        self.download_about = QLabel(CATALOGUE[DOWNLOADABLE]["about"])
        self.download_button = QPushButton("Download")
        self.pause_button = QPushButton("Pause")
        self.cancel_button = QPushButton("Cancel")
        self.download_button.clicked.connect(self.start_download)
        self.pause_button.clicked.connect(lambda: self._stop_download("pause"))
        self.cancel_button.clicked.connect(lambda: self._stop_download("cancel"))
        self.download_bar = QProgressBar()
        self.download_bar.setRange(0, 1000)
        self.download_bar.hide()
        self.download_about.setWordWrap(True)
        self.download_text = QLabel("")
        self.download_text.setObjectName("hint")
        self.download_text.setWordWrap(True)    # an error must not widen the dialog
        row = QHBoxLayout()
        row.addWidget(self.download_about, 1)
        for button in (self.download_button, self.pause_button, self.cancel_button):
            row.addWidget(button)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.download_bar)
        layout.addWidget(self.download_text)
        return box

    # --- the list ---------------------------------------------------------------------------
    def reload(self) -> None:
        from engine.llm.catalog import list_models

        self.models = [m for m in list_models() if not m.get("missing")]
        self.table.setRowCount(len(self.models))
        for row, entry in enumerate(self.models):
            name = entry["name"] + ("  (active)" if entry["name"] == self.active else "")
            ctx = entry.get("context_length")
            for column, text in enumerate((name, size_text(entry.get("size_bytes") or 0),
                                           entry.get("quantization", ""),
                                           f"{ctx:,}" if ctx else "?", self._fit(entry))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _fit(self, entry: dict) -> str:
        if self.system is None:
            return "checking…"
        fit = model_fit(entry["path"], self.system)
        return fit.message

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.models[rows[0].row()]["name"] if rows else None

    def use_selected(self) -> None:
        name = self.selected_name()
        if name:
            self.active = name
            self.reload()
            self.model_chosen.emit(name)
            self.message.setText(f"{name} is the active model for new reports.")

    # --- importing ----------------------------------------------------------------------------
    def _choose_gguf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a GGUF model", "",
                                              "GGUF models (*.gguf)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> bool:
        """Import a GGUF, with the prompt templates found beside it (templates_beside)."""
        if not path.lower().endswith(".gguf"):
            self.message.setText(f"Not imported: {Path(path).name} is not a .gguf model file.")
            return False
        prompts = templates_beside(Path(path))
        if not self.lane.start(import_job(path, prompts and str(prompts)), "Importing"):
            self.message.setText("Wait for the current download or import to finish.")
            return False
        with_templates = f", with the prompt templates in {prompts.name}" if prompts else ""
        self.message.setText(f"Checking and copying {Path(path).name}{with_templates}…")
        self._refresh_buttons()
        return True

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_file(paths[0])

    # --- downloading ----------------------------------------------------------------------------
    def start_download(self) -> bool:
        if not self.lane.start(self.download_spec(DOWNLOADABLE, self.hub_url), "Downloading"):
            return False
        self.tracker, self._stopping = DownloadTracker(), ""
        self.download_bar.show()
        self.download_bar.setValue(0)
        self.download_text.setText("Connecting…")
        self._refresh_buttons()
        return True

    def _stop_download(self, how: str) -> None:
        if self.lane.busy and self.lane.label == "Downloading":
            self._stopping = how
            self.lane.cancel()
        elif how == "cancel" and not self.lane.busy:   # a paused or broken download
            self.lane.start(discard_job(DOWNLOADABLE), "Discarding")
            self._refresh_buttons()

    # --- engine events ----------------------------------------------------------------------------
    def on_event(self, event) -> None:
        if isinstance(event, SystemInfo):
            self.system = event
            self.detected.setText(system_text(event))
            self.reload()
        elif isinstance(event, ModelImported):
            prompts = ("its own prompt templates" if event.entry.get("prompts") else
                       "Deepdraft's built-in prompts")
            self.message.setText(f"Imported {event.entry['name']} "
                                 f"({event.entry.get('quantization', '')}); it uses {prompts}.")
            self.reload()
        elif isinstance(event, DownloadDiscarded):
            self.download_text.setText("Download cancelled; the partial file was deleted.")
        elif isinstance(event, dl.DownloadDone):
            self.download_text.setText(f"Downloaded and verified: {event.entry['name']} "
                                       f"(sha256 {event.entry.get('sha256', '')[:12]}…).")
            self.reload()
        elif self.tracker is not None and isinstance(event, (
                dl.DownloadStarted, dl.DownloadProgress, dl.DownloadVerifying)):
            self.tracker.on_event(event)
            self.download_bar.setValue(int(self.tracker.fraction() * 1000))
            self.download_text.setText(self.tracker.text())

    def _on_failed(self, message: str) -> None:
        what = "Download" if self.lane.label == "Downloading" else "Import"
        target = self.download_text if what == "Download" else self.message
        words = download_words(message)
        target.setText(words if words == OFFLINE_ROUTE else f"{what} failed: {words}")
        self.download_bar.hide()
        self.tracker = None

    def _refresh_buttons(self) -> None:
        downloading = self.lane.busy and self.lane.label == "Downloading"
        if not self.lane.busy and self._stopping:
            self._after_stop()
        self.download_button.setText("Resume" if self._has_part() and not downloading
                                     else "Download")
        self.download_button.setEnabled(not self.lane.busy)
        self.pause_button.setEnabled(downloading)
        self.cancel_button.setEnabled(downloading or (self._has_part() and not self.lane.busy))
        self.import_button.setEnabled(not self.lane.busy)
        self.use_button.setEnabled(self.selected_name() not in (None, self.active))

    def _after_stop(self) -> None:
        how, self._stopping = self._stopping, ""
        self.tracker = None
        if how == "pause":
            self.download_text.setText("Paused. Resume continues where it stopped.")
        elif how == "cancel":
            self.lane.start(discard_job(DOWNLOADABLE), "Discarding")

    def _has_part(self) -> bool:
        from engine.paths import models_dir

        return (models_dir() / f"{DOWNLOADABLE}.gguf.part").exists()


# What urllib and the OS say when there is no network (or no name service) at all.
OFFLINE_SIGNS = ("Temporary failure in name resolution", "Name or service not known",
                 "nodename nor servname", "getaddrinfo failed", "Network is unreachable",
                 "No route to host", "No address associated with hostname")
OFFLINE_ROUTE = ("This computer is offline, so the model cannot be downloaded here. "
                 "To use it without a network: on a computer that is online, get the model's "
                 ".gguf file and its prompt template folder (search.jinja, init_plan.jinja, "
                 "write.jinja, extend_plan.jinja); put the folder beside the .gguf, named "
                 "like the model with .prompts at the end (or the templates in the same "
                 "folder), bring both here and press Import GGUF…")


def download_words(message: str) -> str:
    """The engine's advice, in terms of this page's buttons; no network, in plain words
    with the offline route instead of the resolver's error and the URL."""
    if any(sign in message for sign in OFFLINE_SIGNS):
        return OFFLINE_ROUTE
    return message.replace("run the download again to resume", "press Resume to continue")


def templates_beside(gguf: Path) -> Path | None:
    """A folder of the four prompt templates beside a GGUF: `<stem>.prompts`, `prompts`,
    `templates`, or the GGUF's own folder; None when there is none (built-in prompts)."""
    from engine.warp.templates import TemplateError, load_template_dir

    folder = gguf.parent
    for candidate in (folder / f"{gguf.stem}.prompts", folder / "prompts",
                      folder / "templates", folder):
        try:
            load_template_dir(candidate)
        except TemplateError:
            continue
        return candidate
    return None


def system_text(info: SystemInfo) -> str:
    if not info.offload:
        return f"This computer: {info.backend} build of llama.cpp; models run on the CPU."
    memory = (f"{size_text(info.gpu_free)} free of {size_text(info.gpu_total)}"
              if info.gpu_total else "memory shared with the system")
    name = f" · {info.gpu_name}" if info.gpu_name else ""
    return f"This computer: {info.backend}{name} · GPU memory {memory}"
