"""On a build without a GPU backend: how long AgentCPM-Report 8B would take on this
computer, said before anyone downloads 5 GB for it, with a shorter run offered and the
GPU builds' recipe one click away. The figure comes from engine.llm.cpu_estimate: a short
measured prefill and decode of the active model (else the bundled demo) in the engine
process, scaled to the 8B. It is measured when the Models page opens (where downloads
start) or when the user asks from the first-run guide, then remembered in the window's
settings; the Models page can measure again."""
from __future__ import annotations

import json
from pathlib import Path

from desktop.common.window_settings import window_settings
from desktop.engine_link.jobs import JobSpec
from desktop.engine_link.worker import Worker
from desktop.qt import (QDialog, QFrame, QHBoxLayout, QLabel, QObject, QPushButton,
                        QSizePolicy, Qt, QTextBrowser, QVBoxLayout, Signal)
from engine.cancel import CancelToken
from engine.llm.cpu_estimate import ReportEstimate

SETTING = "cpu_estimate"
UNMEASURED = "This build runs models on the CPU, where an 8B model is slow."
MEASURING = ("This build runs models on the CPU. Measuring how fast this computer runs a "
             "model, to say how long a report takes…")
RECIPE = Path(__file__).resolve().parents[2] / "resources" / "gpu_builds.md"


def cpu_estimate_job(step_limit: int) -> JobSpec:
    return JobSpec.of(_estimate, step_limit)


def _estimate(step_limit: int):   # in the engine process
    def job(cancel: CancelToken):
        from engine.llm.cpu_estimate import estimate_cpu_report

        yield estimate_cpu_report(step_limit=step_limit)
    return job


class CpuEstimate(QObject):
    """The estimate for this computer: `changed(text)` whenever it is known anew;
    `step_limit` the shorter run it offers."""

    changed = Signal(str)

    def __init__(self, engine, step_limit: int, parent=None) -> None:
        super().__init__(parent)
        self.lane = Worker(engine, self)
        self.lane.event.connect(self._on_event)
        self.lane.failed.connect(lambda message: self._say(
            f"This build runs models on the CPU (measuring its speed failed: {message})."))
        self.step_limit, self.text = step_limit, ""
        self.cpu_only = False

    def system_known(self, cpu_only: bool) -> None:
        self.cpu_only = cpu_only
        if not cpu_only:
            return
        remembered = window_settings().value(SETTING)
        if remembered:
            saved = json.loads(remembered)
            self.step_limit = saved["step_limit"]
            self._say(saved["text"])
        else:
            self._say(UNMEASURED)

    @property
    def measured(self) -> bool:
        return self.text not in ("", UNMEASURED, MEASURING)

    def measure(self) -> bool:
        if not self.cpu_only or not self.lane.start(cpu_estimate_job(self.step_limit),
                                                    "Measuring the CPU"):
            return False
        self._say(MEASURING)
        return True

    def _on_event(self, event) -> None:
        if isinstance(event, ReportEstimate):
            text = event.text()
            settings = window_settings()
            settings.setValue(SETTING, json.dumps({"text": text,
                                                   "step_limit": event.step_limit}))
            settings.sync()
            self._say(text)

    def _say(self, text: str) -> None:
        self.text = text
        self.changed.emit(text)


class CpuNotice(QFrame):
    """The estimate in words, a button for the shorter run, and the GPU recipe. Hidden
    until the build is known to be CPU-only."""

    def __init__(self, estimate: CpuEstimate, use_step_limit, on_models_page: bool = False):
        super().__init__()
        self.setObjectName("cpuNotice")
        self.estimate = estimate
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.limit_button = QPushButton()
        self.limit_button.clicked.connect(lambda: use_step_limit(estimate.step_limit))
        recipe = QPushButton("GPU builds…")
        recipe.clicked.connect(lambda: show_recipe(self))
        row = QHBoxLayout(self)            # one line: it sits under the first-run steps
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.limit_button)
        row.addWidget(recipe)
        self.measure_button = QPushButton("Measure again" if on_models_page else
                                          "How long would AgentCPM-Report 8B take here?")
        self.measure_button.clicked.connect(estimate.measure)
        self.on_models_page = on_models_page
        row.addWidget(self.measure_button)
        estimate.changed.connect(self.show_text)
        self.show_text(estimate.text)

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        measured = self.estimate.measured
        self.limit_button.setText(f"Use a {self.estimate.step_limit}-step limit")
        self.limit_button.setVisible(measured)
        self.measure_button.setVisible(text != MEASURING and (measured == self.on_models_page))
        self.setVisible(bool(text))


def show_recipe(parent) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Deepdraft with a GPU")
    dialog.resize(720, 480)
    view = QTextBrowser()
    view.setMarkdown(RECIPE.read_text(encoding="utf-8"))
    view.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    QVBoxLayout(dialog).addWidget(view)
    dialog.show()
    return dialog
