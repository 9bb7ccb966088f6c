"""What the main window gains beyond its panels, kept out of main_window.py: the status
bar's model/speed line, this computer's GPU (asked once at start), the Models page,
recent projects, remembered geometry and splitter sizes, the first-run guide, and
clearing a busy status once its job ends."""
from __future__ import annotations

import gc
import importlib
import threading
from pathlib import Path

from desktop.shell.first_run import FirstRunGuide
from desktop.common.messages import STATUS_MS
from desktop.models.cpu_notice import CpuEstimate, CpuNotice
from desktop.models.jobs import SystemInfo, system_job
from desktop.common.window_settings import window_settings
from engine.llm.cpu_estimate import LIMITED_STEPS
from desktop.qt import (QAction, QApplication, QKeySequence, QObject, QSplitter,
                        QTimer)
from desktop.shell.status_info import StatusInfo
from desktop.engine_link.worker import Worker

RECENT_MAX = 8
# Engine modules the window itself uses once a project exists (creating, reading, editing
# it). Imported on the GUI thread at the first Write they cost 150-270 ms of frozen
# window; imported by a background thread after the first paint they cost nothing seen
# (pure Python: the interpreter switches threads every few ms).
WINDOW_ENGINE_MODULES = ("engine.warp.run_factory", "engine.warp.stats", "engine.warp.coediting",
                         "engine.check.record")   # the Check tab reads flags on opening


def preload(modules: tuple[str, ...]) -> None:
    for name in modules:
        importlib.import_module(name)
    # Everything the window and its modules allocated so far lives as long as the window:
    # out of the collector's sight. A full collection over it took 35-37 ms, and when the
    # engine-pipe reader triggered one, the GUI thread waited that long for the
    # interpreter lock (bench_gui_stall.py saw 40-52 ms gaps with 6-18 ms of GUI CPU).
    gc.freeze()


def fit_to_screen(window) -> None:
    """A window never opens larger than its screen's free area (a first start on a
    1366 x 768 laptop, or geometry remembered from a bigger monitor)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    # Leave room for the window manager's title bar and borders.
    width = min(window.width(), free.width() - 16)
    height = min(window.height(), free.height() - 48)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 400), max(height, 300))


class WindowExtras(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.system: SystemInfo | None = None
        self.models_page = None
        self._opened: str | None = None   # a project opened, not yet in the recent list
        self.status_info = StatusInfo(window.run_bar.model.spec())
        window.statusBar().addPermanentWidget(self.status_info)
        window.worker.event.connect(self.status_info.on_event)
        window.worker.finished.connect(self._clear_busy_status)
        window.run_bar.model.currentTextChanged.connect(self.status_info.set_model)
        self.system_lane = Worker(window.engine, self)
        self.system_lane.event.connect(self._on_system)
        self.cpu = CpuEstimate(window.engine, LIMITED_STEPS, self)
        self.guide = FirstRunGuide(window, self.recent_projects)
        self.guide.add_notice(CpuNotice(self.cpu, self.use_step_limit))
        window.centralWidget().layout().insertWidget(1, self.guide)
        self._add_menus()
        from desktop.library.manager import LibraryManager

        self.libraries = LibraryManager(window)
        from desktop.engine_link.trouble import EngineTrouble

        self.engine_trouble = EngineTrouble(window)
        from desktop.check.link import ClaimCheckLink

        self.checks = ClaimCheckLink(window)
        from desktop.shell.read_only import FollowMode

        self.follow = FollowMode(window)
        self.restore()

    # --- start and end ------------------------------------------------------------------------
    def warm(self) -> None:
        """Start the engine process and ask it about the GPU, and import the window's
        own engine modules off the GUI thread (after the window shows)."""
        self.system_lane.start(system_job(), "Detecting the GPU")
        threading.Thread(target=preload, args=(WINDOW_ENGINE_MODULES,), name="preload",
                         daemon=True).start()

    def _on_system(self, event) -> None:
        if isinstance(event, SystemInfo):
            self.system = event
            self.cpu.system_known(cpu_only=not event.offload)
            if self.models_page is not None and self.models_page.isVisible():
                self._measure_before_a_download()
            if self.models_page is not None:
                self.models_page.on_event(event)

    def restore(self) -> None:
        settings = window_settings()
        geometry = settings.value("geometry")
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        fit_to_screen(self.window)
        for index, splitter in enumerate(self._splitters()):
            sizes = settings.value(f"splitter{index}")
            if sizes:
                splitter.setSizes([int(s) for s in sizes])

    def save(self) -> None:
        self._remember()
        settings = window_settings()
        settings.setValue("geometry", self.window.saveGeometry())
        for index, splitter in enumerate(self._splitters()):
            settings.setValue(f"splitter{index}", [int(s) for s in splitter.sizes()])
        settings.sync()

    def _splitters(self) -> list[QSplitter]:
        return self.window.findChildren(QSplitter)

    def _clear_busy_status(self) -> None:
        """'Opening library…' must not outlive the job that said it."""
        bar = self.window.statusBar()
        if bar.currentMessage().endswith("…"):
            bar.clearMessage()
        self.guide.refresh()

    # --- menus ---------------------------------------------------------------------------------
    def _add_menus(self) -> None:
        file_menu = self.window.file_menu
        new = QAction("&New report", self.window)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(self.window.new_report)
        file_menu.insertAction(file_menu.actions()[0], new)
        first = file_menu.actions()[2] if len(file_menu.actions()) > 2 else None
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.insertMenu(first, self.recent_menu)
        models = QAction("&Models…", self.window)
        models.triggered.connect(self.open_models)
        file_menu.insertAction(first, models)
        help_menu = self.window.menuBar().addMenu("&Help")
        about = QAction("&About Deepdraft", self.window)
        about.triggered.connect(self.open_about)
        help_menu.addAction(about)
        self._fill_recent()

    def open_about(self):
        from desktop.shell.about import show_about

        return show_about(self.window)

    def recent_projects(self) -> list[str]:
        value = window_settings().value("recent") or []
        value = [value] if isinstance(value, str) else list(value)
        return [p for p in value if Path(p).is_file()]

    def project_opened(self, path: str) -> None:
        # On the next turn of the event loop: opening (or writing) a project already fills
        # this one with the outline, the report and the run's start.
        # (closing the window first still remembers it: save() does it then)
        self._opened = str(path)
        self.guide.refresh()          # a report is open: the guide steps aside now
        QTimer.singleShot(0, self, self._remember)

    def _remember(self) -> None:
        path, self._opened = self._opened, None
        if path is None:
            return
        recent = [path] + [p for p in self.recent_projects() if p != path]
        settings = window_settings()
        settings.setValue("recent", recent[:RECENT_MAX])
        settings.sync()
        self._fill_recent()
        self.guide.refresh()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = self.recent_projects()
        for path in paths:
            action = self.recent_menu.addAction(Path(path).stem)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.window.open_project(p))
        self.recent_menu.setEnabled(bool(paths))

    # --- models ----------------------------------------------------------------------------------
    def open_models(self):
        from desktop.models.page import ModelsPage

        if self.models_page is None:
            self.models_page = ModelsPage(self.window.engine, self.window,
                                          active=self.window.run_bar.model.spec())
            self.models_page.model_chosen.connect(self.choose_model)
            self.models_page.add_notice(CpuNotice(self.cpu, self.use_step_limit,
                                                  on_models_page=True))
            if self.system is not None:
                self.models_page.on_event(self.system)
        self._measure_before_a_download()
        self.models_page.show()
        self.models_page.raise_()
        return self.models_page

    def _measure_before_a_download(self) -> None:
        """The Models page is where 5 GB downloads start: say first how slow it runs."""
        if self.cpu.cpu_only and not self.cpu.measured and not self.cpu.lane.busy:
            self.cpu.measure()

    def use_step_limit(self, steps: int) -> None:
        self.window.run_bar.max_steps.setValue(steps)
        self.window.statusBar().showMessage(f"Step limit set to {steps}: a shorter report.",
                                            STATUS_MS)

    def choose_model(self, name: str) -> None:
        from engine.app_settings import SettingsError, update_settings

        self.window.run_bar.model.set_spec(name)
        try:
            update_settings(model=name)
        except SettingsError as exc:   # the file keeps what the user wrote
            self.window.statusBar().showMessage(f"Model not saved as the default: {exc}")
