"""The report as a whole: write a new one, resume, stop, open, start afresh, export."""
from __future__ import annotations

from pathlib import Path

from desktop.engine_link.jobs import export_job, warp_job
from desktop.qt import QFileDialog
from desktop.run.step_limit import steps_used
from desktop.common.messages import STATUS_MS
from engine.app_settings import AppSettings, SettingsError, load_settings


class ProjectOperations:
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
        from desktop.report.export_dialog import ExportDialog
        from desktop.report.export_folder import remember_export_folder, suggested_export_path

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

    def app_settings(self) -> AppSettings | None:
        """The app settings, or None after saying in the status bar what is wrong."""
        try:
            return load_settings()
        except SettingsError as exc:
            self.statusBar().showMessage(f"Settings not used: {exc}", STATUS_MS)
            return None
