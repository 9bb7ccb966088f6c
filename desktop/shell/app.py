"""Start the desktop application."""
from __future__ import annotations

import sys
from pathlib import Path

import engine
from desktop.shell.main_window import MainWindow
from desktop.qt import QApplication, QTimer

STYLE = Path(__file__).resolve().parents[2] / "resources" / "style.qss"
# How long the window's helper threads (the report renderer, the engine pipe's reader) may
# keep the interpreter lock while the GUI thread waits for it. At Python's 5 ms the GUI
# thread waited up to 5 ms at each Qt call that lets the lock go: 24 ms of one run gap
# (tests/benchmarks/bench_gui_stall.py --threads) went by while the renderer ran 20 ms.
GUI_SWITCH_INTERVAL_S = 0.001


def prepare_process() -> None:
    """Process-wide settings of the window's process (the app and its benchmarks)."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def apply_style(app: QApplication) -> None:
    """The app's small stylesheet; a missing file (odd packaging) leaves Qt's look."""
    if STYLE.is_file():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))


def run_app(argv: list[str] | None = None, project: str | None = None) -> int:
    """Open the window; `project` (a .ddproj the file manager passed) opens in it."""
    prepare_process()
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
