"""Start the desktop application."""
from __future__ import annotations

import sys
from pathlib import Path

import engine
from desktop.shell.main_window import MainWindow
from desktop.qt import QApplication, QTimer

STYLE = Path(__file__).resolve().parents[2] / "resources" / "style.qss"


def apply_style(app: QApplication) -> None:
    """The app's small stylesheet; a missing file (odd packaging) leaves Qt's look."""
    if STYLE.is_file():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))


def run_app(argv: list[str] | None = None, project: str | None = None) -> int:
    """Open the window; `project` (a .ddproj the file manager passed) opens in it."""
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Deepdraft")
    app.setApplicationVersion(engine.__version__)
    apply_style(app)
    window = MainWindow()
    window.show()
    # After the window shows: the engine process starts, warms up and lists the library.
    QTimer.singleShot(0, window.extras.warm)
    QTimer.singleShot(0, window.refresh_library)
    if project:
        QTimer.singleShot(0, lambda: window.open_project(project))
    return app.exec()
