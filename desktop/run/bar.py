"""The top bar: the question, the model and library to use, and the run buttons."""
from __future__ import annotations

from desktop.qt import (QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                        QPushButton, QSpinBox, QVBoxLayout, QWidget)
from engine.warp.state import RunSettings

CHOOSE_GGUF = "GGUF file…"
CHOOSE_REPLAY = "Replay file…"


class ModelPicker(QComboBox):
    """Model spec as the engine takes it: demo | imported name | PATH.gguf | replay:FILE |
    http(s) URL. Editable, so a server URL can be typed in."""

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.setEditable(True)
        self.setMinimumContentsLength(16)
        # A long .gguf or replay path must not widen the window past the screen: the box
        # keeps its width and shows the path's tail (the tooltip has it whole).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip("demo, an imported model, a .gguf file, a replay file or a server URL")
        self.addItems(names + [CHOOSE_GGUF, CHOOSE_REPLAY])
        self._last = self.itemText(0)
        self.activated.connect(self._on_activated)

    def spec(self) -> str:
        return self.currentText().strip() or "demo"

    def set_spec(self, spec: str) -> None:
        """Select spec, adding it to the list when new."""
        index = self.findText(spec)
        if index < 0:
            self.insertItem(self.count() - 2, spec)
            index = self.findText(spec)
        self.setCurrentIndex(index)
        self._last = spec

    def _on_activated(self, index: int) -> None:
        text = self.itemText(index)
        if text == CHOOSE_GGUF:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a GGUF model", "",
                                                  "GGUF models (*.gguf)")
            self.set_spec(path or self._last)
        elif text == CHOOSE_REPLAY:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a replay transcript", "",
                                                  "Replay transcripts (*.jsonl *.txt)")
            self.set_spec(f"replay:{path}" if path else self._last)
        else:
            self._last = text


class RunBar(QWidget):
    def __init__(self, model_names: list[str], library_names: list[str]) -> None:
        super().__init__()
        self.setObjectName("runBar")
        self.question = QLineEdit()
        self.question.setPlaceholderText("What should the report answer?")
        self.question.setObjectName("question")
        self.model = ModelPicker(model_names)
        self.library = QComboBox()
        self.library.setEditable(True)
        self.library.setMinimumContentsLength(14)   # a library's whole name, not its tail
        self.library.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.library.addItems(library_names)
        self.library.setToolTip("The library to search (type a new name to start one)")
        self.interactive = QCheckBox("Interactive review")
        self.interactive.setToolTip("Stop at each outline proposal for your decision")
        self.max_steps = QSpinBox()
        self.max_steps.setRange(1, 1000)
        self.max_steps.setValue(RunSettings().max_steps)
        self.max_steps.setToolTip("Model calls this run may make (retries count)")
        self.write_button = QPushButton("Write")
        self.write_button.setObjectName("primary")
        self.resume_button = QPushButton("Resume")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("danger")
        self.export_button = QPushButton("Export .docx")
        top = QHBoxLayout()
        top.addWidget(self.question, 1)
        top.addWidget(self.write_button)
        top.addWidget(self.resume_button)
        top.addWidget(self.stop_button)
        top.addWidget(self.export_button)
        below = QHBoxLayout()
        for label, widget in (("Model", self.model), ("Library", self.library)):
            below.addWidget(QLabel(label))
            below.addWidget(widget)
        below.addWidget(QLabel("Step limit"))
        below.addWidget(self.max_steps)
        below.addWidget(self.interactive)
        below.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addLayout(below)

    def library_name(self) -> str:
        return self.library.currentText().strip() or "default"

    def run_overrides(self) -> dict:
        """The run settings chosen here, as engine RunSettings fields."""
        return {"interactive": self.interactive.isChecked(), "max_steps": self.max_steps.value()}

    def set_running(self, running: bool, busy: bool, has_project: bool,
                    exporting: bool = False) -> None:
        """Enable what makes sense: one engine job at a time, but the draft can be
        exported during a run (not during an ingest, which may not have a project);
        Stop only while something runs."""
        self.write_button.setEnabled(not busy)
        self.resume_button.setEnabled(not busy and has_project)
        self.export_button.setEnabled(has_project and not exporting
                                      and (running or not busy))
        self.stop_button.setEnabled(busy)
        self.model.setEnabled(not running)
