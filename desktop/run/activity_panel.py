"""Below the draft: the run's progress line and bar, the activity feed in words, and a
toggle to the raw model output (the log panel)."""
from __future__ import annotations

import time

from desktop.run.activity_feed import sentence
from desktop.common.elided_label import ElidedLabel
from desktop.run.log_panel import LogPanel
from desktop.qt import (QCheckBox, QHBoxLayout, QListWidget, QProgressBar,
                        QStackedWidget, QTimer, QVBoxLayout, QWidget)
from desktop.run.progress import RunProgress
from engine.warp import events as ev

MAX_FEED = 2000   # oldest lines drop off on a very long run


class ActivityPanel(QWidget):
    def __init__(self, log: LogPanel) -> None:
        super().__init__()
        self.log = log
        self.progress = RunProgress()
        self.status = ElidedLabel(self.progress.describe())
        self.status.setObjectName("runProgress")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(220)
        self.feed = QListWidget()
        self.feed.setObjectName("activityFeed")
        self.feed.setWordWrap(True)
        self.raw_toggle = QCheckBox("Raw model output")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.feed)
        self.stack.addWidget(log)
        self.raw_toggle.toggled.connect(
            lambda raw: self.stack.setCurrentWidget(log if raw else self.feed))
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._refresh)
        self._layout()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.bar)
        top.addWidget(self.raw_toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

    def start_run(self, limit: int, steps_done: int) -> None:
        """A run was started: the model loads first, and that shows."""
        self.progress.start(limit, steps_done)
        self.add_line("Loading the model…")
        self._timer.start()
        self._refresh()

    def on_event(self, event: object) -> None:
        was_loading = self.progress.phase == "loading"
        self.progress.on_event(event)
        if was_loading and self.progress.phase != "loading":
            self.add_line(f"Model loaded in {self.progress.loaded_after:.1f} s")
        if (line := sentence(event)) is not None:
            self.add_line(line)
        if isinstance(event, (ev.StepStarted, ev.StepFinished, ev.OutlineChanged, ev.Done)):
            self._refresh()
        if isinstance(event, ev.Done):
            self._timer.stop()

    def stop(self) -> None:
        """The job ended (also when it failed before any event)."""
        if self.progress.phase == "loading":
            self.progress.phase = "finished"
        self._timer.stop()
        self._refresh()

    def show_past(self, store) -> None:
        """A reopened report: the feed tells the steps it already has, with their times."""
        from engine.warp.past_steps import past_events

        self.clear()
        for past in past_events(store):
            if (line := sentence(past.event)) is not None:
                self.add_line(line, past.finished)

    def add_line(self, text: str, when: float | None = None) -> None:
        stamp = time.strftime("%H:%M:%S", time.localtime(when))
        self.feed.addItem(f"{stamp}  {text}")
        if self.feed.count() > MAX_FEED:
            self.feed.takeItem(0)
        self.feed.scrollToBottom()

    def lines(self) -> list[str]:
        """The feed's sentences without their time stamps."""
        return [self.feed.item(i).text().split("  ", 1)[-1] for i in range(self.feed.count())]

    def clear(self) -> None:
        self.feed.clear()
        self.log.clear()

    def _refresh(self) -> None:
        self.status.setText(self.progress.describe())
        self.bar.setValue(int(1000 * min(1.0, self.progress.fraction())))
