"""Open the real main window (run_app, as a user's start does), keep it open a few seconds
after it first painted, and report when that was:
`deepdraft --window-check SECONDS [--screenshot PNG]`.

`deepdraft self-test` runs this in a child process (the engine never imports Qt) and
reads `painted_at=<epoch seconds>` from stdout; installers/linux/cold_start.sh too.
"""
from __future__ import annotations

import sys
import time

from desktop.qt import QApplication, QEvent, QMainWindow, QObject, QTimer

NEVER_PAINTED_S = 180       # a window that has not painted by then counts as broken


class FirstPaint(QObject):
    """Records the first paint of any widget inside a main window, then closes the window
    `seconds` later."""

    def __init__(self, seconds: float, screenshot: str | None) -> None:
        super().__init__()
        self.seconds, self.screenshot = seconds, screenshot
        self.at: float | None = None
        self.window: QMainWindow | None = None

    def eventFilter(self, watched, event) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            window = watched.window() if hasattr(watched, "window") else None
            if isinstance(window, QMainWindow):
                self.at, self.window = time.time(), window
                QTimer.singleShot(int(self.seconds * 1000), self.finish)
        return False

    def finish(self) -> None:
        if self.window is not None and self.screenshot:
            self.window.grab().save(self.screenshot)
        # Closing, as a user would, lets the window's workers shut down before exit.
        QApplication.closeAllWindows()
        QApplication.quit()


def main(args: list[str]) -> int:
    seconds = float(args[0]) if args else 2.0
    screenshot = args[args.index("--screenshot") + 1] if "--screenshot" in args else None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    painted = FirstPaint(seconds, screenshot)
    app.installEventFilter(painted)
    QTimer.singleShot(NEVER_PAINTED_S * 1000, painted.finish)
    from desktop.shell.app import run_app

    code = run_app()
    if painted.at is None:
        print("the main window never painted", file=sys.stderr)
        return 1
    print(f"painted_at={painted.at:.3f}")
    return code
