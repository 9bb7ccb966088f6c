"""Settings: author, default model, GPU offload, shared Chroma server. Persisted by
engine.settings (one JSON file in the app data folder)."""
from __future__ import annotations

from desktop.qt import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox,
                        QVBoxLayout, QWidget)
from engine.settings import load_settings, save_settings

AUTOMATIC = -1   # the spin box's floor stands for "let the engine decide" (None)


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.values = load_settings()
        self.author = QLineEdit(self.values.get("author", ""))
        self.model = QLineEdit(self.values.get("model", "demo"))
        self.model.setPlaceholderText("demo | model name | /path/model.gguf | http://host:port")
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setRange(AUTOMATIC, 999)
        self.gpu_layers.setSpecialValueText("automatic")
        layers = self.values.get("n_gpu_layers")
        self.gpu_layers.setValue(AUTOMATIC if layers is None else int(layers))
        self.chroma = QLineEdit(self.values.get("chroma_server", ""))
        self.chroma.setPlaceholderText("host:port of a shared Chroma server (empty: on this "
                                       "computer)")
        form = QFormLayout()
        form.addRow("Author", self.author)
        form.addRow("Default model", self.model)
        form.addRow("GPU layers", self.gpu_layers)
        form.addRow("Chroma server", self.chroma)
        note = QLabel("0 GPU layers runs on the CPU only. A Chroma server is used by "
                      "libraries opened after saving.")
        note.setWordWrap(True)
        note.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self) -> None:
        layers = self.gpu_layers.value()
        self.values.update(author=self.author.text().strip(),
                           model=self.model.text().strip() or "demo",
                           n_gpu_layers=None if layers == AUTOMATIC else layers,
                           chroma_server=self.chroma.text().strip())
        save_settings(self.values)
        super().accept()
