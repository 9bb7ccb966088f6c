"""When the engine process keeps dying (desktop.engine_link.client gave up respawning it): a
window-terms message with the cause and the engine's last lines, and Retry."""
from __future__ import annotations

from desktop.qt import QMessageBox, QObject

ADVICE = ("The writing engine stopped three times within a minute, so Deepdraft stopped "
          "restarting it. Your report and your text are kept. Common causes: a damaged "
          "model file (choose another in File > Models…), too little memory for the model, "
          "or a missing part of the installation.")


class EngineTrouble(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.box: QMessageBox | None = None
        window.engine.gave_up.connect(self.show)

    def show(self, reason: str, lines: str) -> QMessageBox:
        self.window.statusBar().showMessage(f"{reason} Deepdraft stopped restarting it; "
                                            "press Retry in the message to try again.")
        box = self.box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("The writing engine keeps stopping")
        box.setText(f"{reason}\n\n{ADVICE}")
        if lines:
            box.setDetailedText("The engine's last lines:\n" + lines)
        retry = box.addButton("Retry", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        retry.clicked.connect(self.retry)
        box.open()
        return box

    def retry(self) -> None:
        self.window.statusBar().showMessage("Starting the writing engine again…")
        self.window.engine.retry()
