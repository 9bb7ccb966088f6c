"""Start the desktop application."""
from __future__ import annotations

import sys

import engine
from desktop.qt import QApplication
from desktop.main_window import MainWindow


def run_app(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Deepdraft")
    app.setApplicationVersion(engine.__version__)
    window = MainWindow()
    window.show()
    return app.exec()
