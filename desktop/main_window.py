"""The main window: library on the left, outline and section editor in the centre, the
live log below them, review and stats on the right. Every action calls the engine; the
long ones run on a Worker: one for runs and library jobs, so only one model job runs at
a time, and one for exports, so the draft can be saved while the agent writes."""
from __future__ import annotations

from pathlib import Path

from desktop.activity_panel import ActivityPanel
from desktop.draft_views import DraftViews
from desktop.engine_client import EngineProcess
from desktop.jobs import (Exported, JobSpec, LibraryListing, export_job, ingest_job,
                          list_library_job, remove_job, retry_job, warp_job)
from desktop.library_panel import LibraryPanel
from desktop.log_panel import LogPanel
from desktop.messages import job_failure, run_error
from desktop.outline_tree import OutlineTree
from desktop.qt import (QAction, QCloseEvent, QFileDialog, QKeySequence, QMainWindow, Qt,
                        QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget)
from desktop.review_panel import ReviewDialog, ReviewPanel
from desktop.run_bar import RunBar
from desktop.settings_dialog import SettingsDialog
from desktop.stats_panel import StatsPanel
from desktop.step_limit import limit_reached_text, room_for_agent, steps_used
from desktop.undo import EditHistory
from desktop.worker import Worker
from engine.app_settings import AppSettings, SettingsError, load_settings
from engine.warp import events as ev
from engine.warp.edits import Deepen, EditError, Rewrite

STATUS_MS = 8000


class MainWindow(QMainWindow):
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
        from desktop.window_extras import WindowExtras

        self.extras = WindowExtras(self)   # status line, models, recent, geometry, guide
        self._refresh_buttons()
        self.statusBar().showMessage(problem or "Ready.")

    # --- construction ----------------------------------------------------------------------
    def _build(self, settings: AppSettings) -> None:
        from desktop.models import library_names, model_names

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

    # --- library -----------------------------------------------------------------------------
    def refresh_library(self) -> bool:
        return self._start(list_library_job(self.run_bar.library_name()), "Opening library")

    def add_documents(self, paths: list[str]) -> bool:
        started = self._start(ingest_job(self.run_bar.library_name(), paths),
                              "Indexing documents")
        if started:
            self.library.start_progress(self.run_bar.library_name())
        return started

    def retry_documents(self, paths: list[str]) -> bool:
        started = self._start(retry_job(self.run_bar.library_name(), paths),
                              "Indexing documents")
        if started:
            self.library.start_progress(self.run_bar.library_name())
        return started

    def remove_documents(self, paths: list[str]) -> bool:
        return self._start(remove_job(self.run_bar.library_name(), paths), "Removing documents")

    # --- project -----------------------------------------------------------------------------
    def write(self) -> bool:
        """Create a project for the question and start the agent on it."""
        from engine.warp.run_factory import create_project, default_project_path
        from engine.warp.state import RunSettings

        question = self.run_bar.question.text().strip()
        if not question:
            self.statusBar().showMessage("Type a question first.", STATUS_MS)
            return False
        if self.worker.busy:
            self._say_busy()
            return False
        settings = self.app_settings()
        if settings is None:
            return False
        run = RunSettings.from_dict(self.run_bar.run_overrides())
        store = create_project(default_project_path(question), question,
                               model=self.run_bar.model.spec(),
                               library=self.run_bar.library_name(),
                               author=settings.author, run=run)
        self._set_project(store)
        self.activity.clear()
        return self._start_run()

    def resume(self) -> bool:
        if self.store is None:
            return False
        if self.extras.follow.active:
            self.statusBar().showMessage(self.extras.follow.refusal(), STATUS_MS)
            return False
        return self._start_run()

    def _start_run(self) -> bool:
        overrides = self.run_bar.run_overrides()
        job = warp_job(str(self.store.path), self.run_bar.model.spec(), overrides)
        if not self._start(job, "Loading the model"):
            return False
        self.activity.start_run(int(overrides.get("max_steps") or 0),
                                steps_used(self.store))
        self.job = job
        self._refresh_buttons()
        return True

    def stop(self) -> None:
        if self.worker.busy:
            self.worker.cancel()
            self.review.reject()
            self.statusBar().showMessage("Stopping…")

    def open_project(self, path: str) -> None:
        from engine.project.project_store import ProjectError, ProjectStore

        if self.running:
            self.statusBar().showMessage("Stop the run before opening another project.",
                                         STATUS_MS)
            return
        from engine.project.run_lock import holder_of

        if holder_of(path) is not None:   # another process writes it: follow, read-only
            self.extras.follow.follow(path)
            return
        try:
            store = ProjectStore.open(path)
        except ProjectError as exc:
            self.statusBar().showMessage(str(exc), STATUS_MS)
            return
        self.extras.follow.stop()
        self.show_project(store)
        self.statusBar().showMessage(f"Opened {path}. Press Resume to continue it.", STATUS_MS)

    def show_project(self, store) -> None:
        """Show an opened project (writable, or read-only while another process writes
        it): outline, views, its past steps and its run settings in the run bar."""
        from engine.warp.state import RunSettings

        self._set_project(store)
        self.activity.show_past(store)
        settings = store.settings
        self.run_bar.question.setText(store.query)
        self.run_bar.model.set_spec(settings.get("model", "demo"))
        self.run_bar.library.setCurrentText(settings.get("library", "default"))
        run = settings.get("run", {})
        self.run_bar.interactive.setChecked(bool(run.get("interactive")))
        self.run_bar.max_steps.setValue(int(run.get("max_steps") or RunSettings().max_steps))

    def new_report(self) -> bool:
        """Close the open report (it stays on disk) for a new question."""
        if self.running:
            self.statusBar().showMessage("Stop the run before starting a new report.",
                                         STATUS_MS)
            return False
        self.extras.follow.stop()
        self.draft.keep_unsaved(self.editor.unsaved())
        self._swap_store(None)
        self.outline.show_outline({"title": "", "sections": []}, None)
        self.activity.clear()
        self.run_bar.question.clear()
        self.run_bar.question.setFocus()
        self.setWindowTitle("Deepdraft")
        self._refresh_buttons()
        self.extras.guide.refresh()
        return True

    def _swap_store(self, store) -> None:
        """The window's project becomes `store` (None: none); the old one is closed."""
        if self.store is not None:
            self.store.close()
        self.store = store
        self.history.clear()
        self.draft.set_store(store)
        self.extras.checks.set_store(store)

    def _set_project(self, store) -> None:
        from engine.warp.stats import run_stats

        self._swap_store(store)
        self.setWindowTitle(f"Deepdraft — {Path(store.path).stem}")
        self.reload_outline()
        self.stats.show_stats(run_stats(store))
        self._refresh_buttons()
        self.extras.project_opened(str(store.path))

    def reload_outline(self) -> None:
        if self.store is not None:
            outline = self.store.load_outline()
            self.outline.show_outline(outline.to_dict(), outline.cursor())
            self.draft.show_outline(outline.to_dict())

    def choose_project(self) -> None:
        from engine.paths import projects_dir

        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(projects_dir()),
                                              "Deepdraft projects (*.ddproj)")
        if path:
            self.open_project(path)

    def choose_export(self) -> None:
        if self.store is None:
            return
        from desktop.export_dialog import ExportDialog
        from desktop.export_folder import remember_export_folder, suggested_export_path

        suggested = suggested_export_path(Path(self.store.path).stem)
        path, comments = ExportDialog.ask(self, suggested, self.extras.checks.panel.count() > 0)
        if path:
            remember_export_folder(path)
            self.export(path, comments)

    def export(self, path: str, comments: bool = False) -> bool:
        """Export the project as it stands; allowed while the agent runs. `comments`: the
        claim check's flags as Word comments."""
        if self.store is None:
            return False
        if not self.exporter.start(export_job(str(self.store.path), path, comments),
                                   "Exporting"):
            self.statusBar().showMessage("An export is already running.", STATUS_MS)
            return False
        self.statusBar().showMessage("Exporting…")
        return True

    def open_settings(self) -> None:
        if self.app_settings() is not None:   # a damaged value is never saved over
            SettingsDialog(self, system=self.extras.system).exec()

    def app_settings(self) -> AppSettings | None:
        """The app settings, or None after saying in the status bar what is wrong."""
        try:
            return load_settings()
        except SettingsError as exc:
            self.statusBar().showMessage(f"Settings not used: {exc}", STATUS_MS)
            return None

    # --- edits --------------------------------------------------------------------------------
    def submit_edit(self, edit) -> None:
        """A user edit, made undoable where it can be (Edit > Undo)."""
        self.history.push(edit)

    def _apply_edit(self, edit) -> bool:
        """Route an edit: to the running agent, or straight into the project. False
        when it was refused (or declined at the step limit)."""
        if self.running:
            self.worker.submit(edit)
            if getattr(edit, "node_id", None):
                self.outline.mark_pending(edit.node_id)
            self.statusBar().showMessage("Edit sent; the agent applies it after its "
                                         "current step.", STATUS_MS)
            return True
        if self.store is None:
            return False
        if self.extras.follow.active:
            self.statusBar().showMessage(self.extras.follow.refusal(), STATUS_MS)
            return False
        asks_agent = isinstance(edit, (Deepen, Rewrite))
        if asks_agent and not self._extend_limit_if_needed(edit):
            return False
        from engine.project.errors import ProjectBusy, ProjectError
        from engine.warp.coediting import commit_edit

        try:
            description = commit_edit(self.store, edit)
        except ProjectBusy as exc:       # another process started writing it: follow it
            self.statusBar().showMessage(f"Edit not applied: {exc}", STATUS_MS)
            self.extras.follow.follow(str(self.store.path))
            return False
        except (EditError, KeyError, ProjectError) as exc:
            self.statusBar().showMessage(f"Edit refused: {exc}", STATUS_MS)
            self.log.append_line(f"      ! edit refused: {exc}\n")
            return False
        self.reload_outline()
        self.statusBar().showMessage(description[:1].upper() + description[1:], STATUS_MS)
        node_id = getattr(edit, "node_id", "")
        if node_id and getattr(edit, "content", None) is not None:
            self.extras.checks.text_changed(node_id)   # its sentences are checked again
        if asks_agent:
            self._start_run()   # the user asked the agent to act now
        return True

    def _extend_limit_if_needed(self, edit) -> bool:
        """At the step limit, ask whether (and by how much) to extend it."""
        if room_for_agent(self, self.store, self.run_bar.max_steps, edit):
            return True
        self.statusBar().showMessage("Not started: the report has used its step limit.",
                                     STATUS_MS)
        return False

    # --- events (GUI thread) ---------------------------------------------------------------------
    def on_event(self, event: object) -> None:
        self.log.on_event(event)
        self.activity.on_event(event)
        self.stats.on_event(event)
        if isinstance(event, ev.OutlineChanged):
            self.outline.show_outline(event.outline, event.cursor)
            self.draft.outline_streamed(event.outline)
        elif isinstance(event, ev.Proposal):
            self.review.show_proposal(event, self.outline.outline)
            self._show_review()
            self.statusBar().showMessage(f"Review the proposed {event.action}.")
        elif isinstance(event, ev.StepStarted):
            self.statusBar().showMessage(f"Step {event.step}: {event.action} "
                                         f"{event.cursor or ''}")
        elif isinstance(event, ev.EditRefused):
            self.outline.clear_pending()
            kept = self.history.refused(event.refused) if event.refused is not None \
                else False
            self.statusBar().showMessage(
                f"Your edit was not applied: {event.message.removeprefix('edit refused: ')}"
                + (" (Undo no longer lists it)." if kept else "."), STATUS_MS)
        elif isinstance(event, ev.Error):
            self.statusBar().showMessage(run_error(event.message))
        elif isinstance(event, ev.Done):
            self.outline.clear_pending()
            if event.reason == "step limit":
                self.statusBar().showMessage(limit_reached_text(self.outline.outline))
            elif event.reason != "error":   # the Error before it said what went wrong
                self.statusBar().showMessage(f"Run finished: {event.reason}.", STATUS_MS)
            self.side_tabs.setCurrentWidget(self.stats)
        elif isinstance(event, LibraryListing):
            self.library.show_documents(event.library, event.documents)
            self.extras.guide.refresh()
        elif isinstance(event, Exported):
            note = f" ({'; '.join(event.warnings)})" if event.warnings else ""
            self.statusBar().showMessage(f"Exported {event.path}{note}", STATUS_MS)
        else:
            self.library.on_event(event)

    def _on_review_decided(self, decision: str) -> None:
        self.statusBar().showMessage(f"Proposal {decision}ed; the agent continues."
                                     if decision != "edit" else
                                     "Your edited proposal was sent; the agent continues.",
                                     STATUS_MS)

    def _show_review(self) -> None:
        self.review_dialog.show()
        self.review_dialog.raise_()

    def _on_failed(self, message: str) -> None:
        text = job_failure(message, during_run=self.running)
        self.log.append_line(f"! {text}\n")
        self.statusBar().showMessage(text)   # stays until the next action replaces it

    def _on_finished(self) -> None:
        was_run, self.job = self.job is not None, None
        self.review.clear()
        self.review_dialog.hide()
        self.activity.stop()
        self.library.finish_progress()
        if was_run:
            self.reload_outline()
        self._refresh_buttons()

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
