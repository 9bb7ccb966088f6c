"""Open the real main window (run_app, as a user's start does) for a few seconds and
report when it first painted: `deepdraft --window-check SECONDS [--screenshot PNG]`.

`deepdraft self-test` runs this in a child process (the engine never imports Qt) and
reads `painted_at=<epoch seconds>` from stdout; the cold-start benchmark uses it too.
"""
from __future__ import annotations

import sys
import time

from desktop.qt import QApplication, QEvent, QMainWindow, QObject, QTimer


class FirstPaint(QObject):
    """Records the first paint of any widget inside a main window."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None
        self.window: QMainWindow | None = None

    def eventFilter(self, watched, event) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            window = watched.window() if hasattr(watched, "window") else None
            if isinstance(window, QMainWindow):
                self.at, self.window = time.time(), window
        return False


def main(args: list[str]) -> int:
    seconds = float(args[0]) if args else 2.0
    screenshot = args[args.index("--screenshot") + 1] if "--screenshot" in args else None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    painted = FirstPaint()
    app.installEventFilter(painted)
    QTimer.singleShot(int(seconds * 1000), lambda: _finish(app, painted, screenshot))
    from desktop.app import run_app

    code = run_app()
    if painted.at is None:
        print("the main window never painted", file=sys.stderr)
        return 1
    print(f"painted_at={painted.at:.3f}")
    return code


def _finish(app: QApplication, painted: FirstPaint, screenshot: str | None) -> None:
    if painted.window is not None:
        if screenshot:
            painted.window.grab().save(screenshot)
        painted.window.close()      # as a user would: its workers shut down before exit
    app.quit()
