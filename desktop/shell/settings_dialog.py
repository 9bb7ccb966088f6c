"""Settings: author, default model, GPU offload, shared Chroma server, persisted by
engine.app_settings (one JSON file in the app data folder); and what this computer offers:
the detected backend, GPU memory, and the context and KV-cache type the default model
gets, with a clear message when it won't fit."""
from __future__ import annotations

from desktop.qt import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox,
                        QVBoxLayout, QWidget)
from engine.app_settings import load_settings, save_settings

AUTOMATIC = -1   # the spin box's floor stands for "let the engine decide" (None)


def computer_text(system, model: str) -> str:
    """The backend, GPU memory and what `model` gets here (SystemInfo may be None)."""
    from desktop.models.fit import model_fit
    from desktop.models.page import system_text

    if system is None:
        return "Still detecting this computer's GPU…"
    lines = [system_text(system)]
    path = model_path(model)
    if path is None:
        lines.append(f"{model}: not a local GGUF model (nothing to place).")
        return "\n".join(lines)
    fit = model_fit(path, system)
    attention = "flash attention on" if fit.flash_attn else "flash attention off"
    lines.append(f"{model}: context {fit.n_ctx:,} tokens, KV cache {fit.kv_type}, "
                 f"{attention}.")
    lines.append(fit.message)
    return "\n".join(lines)


def model_path(model: str) -> str | None:
    """The GGUF file a model spec names, if it names one."""
    from pathlib import Path

    from engine.bundled import demo_llm_path
    from engine.llm.catalog import find_model

    if model == "demo":
        path = demo_llm_path()
        return str(path) if path else None
    entry = find_model(model)
    if entry:
        return entry["path"]
    return model if model.lower().endswith(".gguf") and Path(model).is_file() else None


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, system=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.values = load_settings()
        self.author = QLineEdit(self.values.author)
        self.model = QLineEdit(self.values.model)
        self.model.setPlaceholderText("demo | model name | /path/model.gguf | http://host:port")
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setRange(AUTOMATIC, 999)
        self.gpu_layers.setSpecialValueText("automatic")
        layers = self.values.n_gpu_layers
        self.gpu_layers.setValue(AUTOMATIC if layers is None else layers)
        self.chroma = QLineEdit(self.values.chroma_server)
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
        self.computer = QLabel(computer_text(system, self.values.model or "demo"))
        self.computer.setWordWrap(True)
        self.computer.setObjectName("computer")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.computer)
        layout.addWidget(buttons)

    def accept(self) -> None:
        layers = self.gpu_layers.value()
        self.values = self.values.with_changes(
            author=self.author.text().strip(), model=self.model.text().strip() or "demo",
            n_gpu_layers=None if layers == AUTOMATIC else layers,
            chroma_server=self.chroma.text().strip())
        save_settings(self.values)
        super().accept()
