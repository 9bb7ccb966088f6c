"""Honest progress for a run: step n of the limit, sections written of those planned,
elapsed time and an estimate of the time left (the engine's run timer, engine.warp.run_timer:
token rates measured in this run or remembered from earlier ones, times the steps the
outline and the limit still call for; "estimating…" until it has those rates). The
model's loading is a phase of its own (it can take minutes for a large model)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from engine import rates
from engine.warp import events as ev
from engine.warp.run_timer import RunTimer


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02}:{rest % 60:02}" if hours else f"{rest // 60}:{rest % 60:02}"


@dataclass
class RunProgress:
    limit: int = 0
    step: int = 0
    phase: str = "idle"              # "idle" | "loading" | "running" | "finished"
    complete: bool = False           # finished with the report complete (before the limit)
    started: float = 0.0
    loaded_after: float | None = None
    timer: RunTimer = field(default_factory=RunTimer)   # the engine's: steps, sections, eta

    def start(self, limit: int, steps_done: int, now: float | None = None,
              max_extends: int = 12, model: str = "") -> None:
        """A run starts (or resumes after `steps_done` steps). `model` names the rates
        remembered from earlier runs (per model; "" shares one set for all)."""
        self.limit, self.phase = limit, "loading"
        self.step, self.complete = steps_done, False
        self.started, self.loaded_after = now or time.monotonic(), None
        self.timer = RunTimer.start(limit, steps_done, max_extends, model,
                                    remember=rates.remember_in_background)

    @property
    def written(self) -> int:
        return self.timer.written

    @property
    def planned(self) -> int:
        return self.timer.planned

    @property
    def saving(self):
        """The thread remembering this run's rates, once done."""
        return self.timer.saving

    def on_event(self, event: object, now: float | None = None) -> None:
        now = now or time.monotonic()
        if self.phase == "loading" and not isinstance(event, ev.Token):
            self.phase, self.loaded_after = "running", now - self.started
        self.timer.on_event(event, now)
        if isinstance(event, ev.StepStarted):
            self.step = event.step
        elif isinstance(event, ev.Done):
            self.phase, self.complete = "finished", event.reason == "complete"

    def remaining_seconds(self, now: float | None = None) -> float | None:
        """Time the steps still expected will take, less what the step in flight has
        already run; None while estimating."""
        return self.timer.remaining_seconds(now or time.monotonic())

    def describe(self, now: float | None = None) -> str:
        now = now or time.monotonic()
        elapsed = _clock(now - self.started) if self.started else "0:00"
        if self.phase == "loading":
            return f"Loading the model… {elapsed}"
        if self.phase == "idle":
            return "No run in progress."
        parts = [f"Step {self.step} of {self.limit}",
                 f"{self.written} of {self.planned} sections written", f"{elapsed} elapsed"]
        left = self.remaining_seconds(now)
        if self.phase == "finished":
            parts[-1] = f"took {elapsed}"
        else:
            parts.append("estimating the time left…" if left is None
                         else f"about {_clock(left)} left")
        if self.loaded_after is not None:
            parts.append(f"model loaded in {self.loaded_after:.1f} s")
        return " · ".join(parts)

    def fraction(self) -> float:
        """Of the step limit; a report completed early shows a full bar."""
        if self.complete:
            return 1.0
        return self.step / self.limit if self.limit else 0.0
