"""The screen tour's stages, in the real app on the virtual screen (desktop.tour.screen
starts the screen): each stage brings the window to a state a user meets, grabs the
whole screen and records what does not fit."""
from __future__ import annotations

import sys
import time
from typing import Callable

from desktop.tour.screen_fit import cut_texts, open_windows, windows_off_screen


class Stages:
    def __init__(self, run) -> None:
        from desktop.qt import QApplication

        self.run = run
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.window = None

    def wait_until(self, done: Callable[[], bool], what: str) -> None:
        """Run the event loop until done() holds (the app's own events drive it)."""
        from desktop.qt import QApplication, QEventLoop

        deadline = time.monotonic() + 600
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError(f"screen tour: gave up waiting for {what}")
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

    def settle(self, ms: int = 300) -> None:
        """Let the window manager map, place and paint what just changed."""
        from desktop.qt import QApplication, QEventLoop

        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def stage(self, name: str, shows: Callable[[], str] | None = None) -> None:
        """Grab the screen and check every open window; `shows()` names what the shot
        fails to show of its stage ("" when it shows it)."""
        from desktop.qt import QApplication

        self.settle()
        shot = f"{len(self.run.stages) + 1}-{name}.png"
        screen = QApplication.primaryScreen()
        if not screen.grabWindow(0).save(str(self.run.outdir / shot)):
            raise OSError(f"screen tour: could not write {shot}")
        missing = shows() if shows is not None else ""
        problems = windows_off_screen() + ([missing] if missing else [])
        for window in open_windows():
            problems += [f"{window.windowTitle()}: {p}" for p in cut_texts(window)]
        self.run.stages.append({"name": name, "shot": shot, "problems": problems,
                                "window": _size(self.window)})


def _size(window) -> list[int]:
    frame = window.frameGeometry()
    return [frame.x(), frame.y(), frame.width(), frame.height()]


def drive(run) -> None:
    from desktop.shell.app import apply_style
    from desktop.shell.main_window import MainWindow

    stages = Stages(run)
    apply_style(stages.app)
    window = stages.window = MainWindow()
    window.show()
    window.extras.warm()
    try:
        stages.wait_until(lambda: window.windowHandle() is not None and
                          window.windowHandle().isExposed(), "the window to show")
        stages.stage("first-run")
        _type_question(stages)
        _index(stages)
        _write(stages)
        _models_offline(stages)
    finally:
        window.close()


def _type_question(stages: Stages) -> None:
    from desktop.qt import QTest

    question = stages.window.run_bar.question
    question.setFocus()
    QTest.keyClicks(question, stages.run.question)     # one key event per letter
    stages.stage("question-typed")


def _index(stages: Stages) -> None:
    window = stages.window
    assert window.add_documents([str(stages.run.library)])
    stages.wait_until(lambda: window.library.paths() or not window.worker.busy,
                      "the first document indexed")
    stages.stage("indexing")
    stages.wait_until(lambda: not window.worker.busy, "the library to be indexed")


def _write(stages: Stages) -> None:
    from engine.warp import events as ev

    window, run = stages.window, stages.run
    window.run_bar.model.set_spec(f"replay:{run.transcript}")
    window.run_bar.interactive.setChecked(True)
    window.run_bar.max_steps.setValue(run.max_steps)
    writes: list[object] = []
    window.worker.event.connect(lambda e: writes.append(e) if isinstance(
        e, ev.StepFinished) and e.action == "write" else None)
    window.run_bar.write_button.click()
    for review in range(2):                         # the outline, then one deepening
        stages.wait_until(lambda: window.review.proposal is not None or
                          not window.worker.busy, "a proposal to review")
        if window.review.proposal is None:
            raise RuntimeError("screen tour: the run ended before its review points")
        if review == 0:
            stages.stage("review")
        window.review.accept_button.click()
    stages.wait_until(lambda: writes or not window.worker.busy, "a section written")
    stages.stage("mid-run", lambda: "" if window.worker.busy else
                 "not mid-run: the run had finished before the shot")
    stages.wait_until(lambda: not window.worker.busy, "the run to finish")
    stages.stage("finished")


def _models_offline(stages: Stages) -> None:
    page = stages.window.extras.open_models()
    page.hub_url = stages.run.offline_hub
    page.download_button.click()
    stages.wait_until(lambda: not page.lane.busy, "the download to fail")
    stages.stage("models-offline")
    page.hide()
