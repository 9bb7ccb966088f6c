"""The main window."""
from __future__ import annotations

from desktop.qt import QLabel, QMainWindow, Qt


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Deepdraft")
        self.resize(1200, 800)
        label = QLabel("Deepdraft: your private research-report writer")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(label)
