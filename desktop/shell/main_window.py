"""The main window: library on the left, outline and section editor in the centre, the
live log below them, review and stats on the right. This module only assembles: what the
window does lives in desktop.operations (one mixin per concern). Every action calls the
engine; the long ones run on a Worker: one for runs and library jobs, so only one model
job runs at a time, and one for exports, so the draft can be saved while the agent writes."""
from __future__ import annotations

from desktop.common.messages import STATUS_MS
from desktop.engine_link.client import EngineProcess
from desktop.engine_link.jobs import JobSpec
from desktop.engine_link.worker import Worker
from desktop.library.panel import LibraryPanel
from desktop.operations.edits import EditOperations
from desktop.operations.events import EventRouting
from desktop.operations.library import LibraryOperations
from desktop.operations.project import ProjectOperations
from desktop.outline.review_panel import ReviewDialog, ReviewPanel
from desktop.outline.tree import OutlineTree
from desktop.qt import (QAction, QCloseEvent, QKeySequence, QMainWindow, QSplitter,
                        QTabWidget, QToolBar, QVBoxLayout, QWidget, Qt)
from desktop.report.undo import EditHistory
from desktop.run.activity_panel import ActivityPanel
from desktop.run.bar import RunBar
from desktop.run.log_panel import LogPanel
from desktop.run.stats_panel import StatsPanel
from desktop.shell.draft_views import DraftViews
from desktop.shell.settings_dialog import SettingsDialog
from engine.app_settings import AppSettings, SettingsError, load_settings


class MainWindow(ProjectOperations, LibraryOperations, EditOperations, EventRouting,
                 QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Deepdraft")
        self.resize(1360, 860)
        try:
            settings, problem = load_settings(), None
        except SettingsError as exc:   # shown below; the file stays as the user wrote it
            settings, problem = AppSettings(), f"Settings not used: {exc}"
        # All engine work runs in one separate process; the lanes share it.
        self.engine = EngineProcess(self)
        self.worker = Worker(self.engine, self)
        # Exports read a committed snapshot of the project (SQLite WAL), so they get their
        # own lane and can save the draft so far while the agent keeps writing.
        self.exporter = Worker(self.engine, self)
        self.store = None            # engine.project.project_store.ProjectStore of the open project
        self.job: JobSpec | None = None   # the WARP run in progress
        self._build(settings)
        self._connect()
        self._build_menus()
        from desktop.shell.window_extras import WindowExtras

        self.extras = WindowExtras(self)   # status line, models, recent, geometry, guide
        self._refresh_buttons()
        self.statusBar().showMessage(problem or "Ready.")

    # --- construction ----------------------------------------------------------------------
    def _build(self, settings: AppSettings) -> None:
        from desktop.run.choices import library_names, model_names

        self.run_bar = RunBar(model_names(), library_names())
        self.run_bar.model.set_spec(settings.model or "demo")
        self.run_bar.library.setCurrentText(settings.library or "default")
        self.library = LibraryPanel()
        self.outline = OutlineTree()
        self.draft = DraftViews(self)
        self.editor, self.evidence = self.draft.editor, self.draft.evidence
        self.log = LogPanel()
        self.activity = ActivityPanel(self.log)
        self.review = ReviewPanel()
        self.review_dialog = ReviewDialog(self.review, self)
        self.history = EditHistory(self._apply_edit, lambda: self.outline.outline, self)
        self.stats = StatsPanel()
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.evidence, "Evidence")
        self.side_tabs.addTab(self.stats, "Run stats")
        main = QSplitter(Qt.Orientation.Horizontal)
        for widget in (self.library, self._build_centre(), self.side_tabs):
            main.addWidget(widget)
        main.setSizes([260, 760, 380])
        main.setStretchFactor(1, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.run_bar)
        layout.addWidget(main, 1)
        self.setCentralWidget(body)

    def _build_centre(self) -> QWidget:
        """Outline toolbar over [tree | reading view and section editor], activity below."""
        self.outline_tools = QToolBar("Outline")
        for name, action in self.outline.actions_by_name.items():
            if name in ("delete", "lock", "deepen"):
                self.outline_tools.addSeparator()
            self.outline_tools.addAction(action)
        work = QSplitter(Qt.Orientation.Horizontal)
        work.addWidget(self.outline)
        work.addWidget(self.draft.pages)
        work.setSizes([400, 560])
        work_box = QWidget()   # the outline's toolbar spans the tree and the editor
        work_layout = QVBoxLayout(work_box)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.addWidget(self.outline_tools)
        work_layout.addWidget(work, 1)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(work_box)
        centre.addWidget(self.activity)
        centre.setSizes([560, 220])
        return centre

    def _connect(self) -> None:
        self.worker.event.connect(self.on_event)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self.worker.started.connect(lambda label: self._refresh_buttons())
        self.exporter.event.connect(self.on_event)
        self.exporter.failed.connect(self._on_failed)
        self.exporter.started.connect(lambda label: self._refresh_buttons())
        self.exporter.finished.connect(self._refresh_buttons)
        self.run_bar.write_button.clicked.connect(self.write)
        self.run_bar.resume_button.clicked.connect(self.resume)
        self.run_bar.stop_button.clicked.connect(self.stop)
        self.run_bar.export_button.clicked.connect(self.choose_export)
        self.run_bar.question.returnPressed.connect(self.write)
        self.run_bar.library.activated.connect(lambda _: self.refresh_library())
        self.library.add_requested.connect(self.add_documents)
        self.library.remove_requested.connect(self.remove_documents)
        self.library.retry_requested.connect(self.retry_documents)
        self.outline.edit_requested.connect(self.submit_edit)
        self.outline.node_selected.connect(self.draft.select)
        self.outline.node_activated.connect(self.draft.open_section)
        self.draft.edit_requested.connect(self.submit_edit)
        self.draft.evidence_wanted.connect(lambda: self.side_tabs.setCurrentWidget(self.evidence))
        self.draft.message.connect(lambda text: self.statusBar().showMessage(text, STATUS_MS))
        self.review.decided.connect(self._on_review_decided)

    def _build_menus(self) -> None:
        self.file_menu = file_menu = self.menuBar().addMenu("&File")
        for text, shortcut, handler in (
                ("&Open project…", QKeySequence.StandardKey.Open, self.choose_project),
                ("&Export .docx…", QKeySequence("Ctrl+E"), self.choose_export),
                ("&Settings…", QKeySequence("Ctrl+,"), self.open_settings),
                ("&Quit", QKeySequence.StandardKey.Quit, self.close)):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.triggered.connect(handler)
            file_menu.addAction(action)
        edit_menu = self.menuBar().addMenu("&Edit")
        for action in self.history.actions(self):
            edit_menu.addAction(action)
        outline_menu = self.menuBar().addMenu("&Outline")
        for action in self.outline.actions_by_name.values():
            outline_menu.addAction(action)
        review = QAction("&Review proposal…", self)
        review.triggered.connect(self._show_review)
        outline_menu.addAction(review)

    # --- state -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A WARP run is in progress (edits go to the run, not the store)."""
        return self.job is not None

    def _refresh_buttons(self) -> None:
        self.run_bar.set_running(self.running, self.worker.busy, self.store is not None,
                                 exporting=self.exporter.busy)
        self.library.set_enabled_actions(not self.worker.busy)

    def _start(self, job, label: str) -> bool:
        if not self.worker.start(job, label):
            self._say_busy()
            return False
        self.statusBar().showMessage(label + "…")
        return True

    def _say_busy(self) -> None:
        self.statusBar().showMessage(f"Busy: {self.worker.label}. Wait or press Stop.",
                                     STATUS_MS)

    def open_settings(self) -> None:
        if self.app_settings() is not None:   # a damaged value is never saved over
            SettingsDialog(self, system=self.extras.system).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = self.editor.unsaved()
        self.extras.save()
        self.extras.follow.stop()
        self.worker.shutdown()
        self.exporter.shutdown()
        self.engine.shutdown()
        self.draft.shutdown()
        self.draft.keep_unsaved(unsaved)   # the run has stopped: straight into the project
        if self.store is not None:
            self.store.close()
            self.store = None
        super().closeEvent(event)
