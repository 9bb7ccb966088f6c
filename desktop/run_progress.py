"""Honest progress for a run: step n of the limit, sections written of those planned,
elapsed time and an estimate of the time left from the measured step times. The model's
loading is a phase of its own (it can take minutes for a large model)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from engine.warp import events as ev

STEPS_PER_SECTION = 2     # a search, then the write


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02}:{rest % 60:02}" if hours else f"{rest // 60}:{rest % 60:02}"


def count_sections(outline: dict) -> tuple[int, int]:
    """(written, planned) over the whole outline."""
    written = planned = 0
    stack = list(outline.get("sections", []))
    while stack:
        node = stack.pop()
        planned += 1
        written += node.get("content") is not None
        stack += node.get("subsections", [])
    return written, planned


@dataclass
class RunProgress:
    limit: int = 0
    step: int = 0
    written: int = 0
    planned: int = 0
    phase: str = "idle"              # "idle" | "loading" | "running" | "finished"
    complete: bool = False           # finished with the report complete (before the limit)
    started: float = 0.0
    loaded_after: float | None = None
    step_seconds: list[float] = field(default_factory=list)
    _step_started: float | None = None

    def start(self, limit: int, steps_done: int, now: float | None = None) -> None:
        self.limit, self.step, self.phase = limit, steps_done, "loading"
        self.complete = False
        self.started, self.loaded_after = now or time.monotonic(), None
        self.step_seconds, self._step_started = [], None

    def on_event(self, event: object, now: float | None = None) -> None:
        now = now or time.monotonic()
        if self.phase == "loading" and not isinstance(event, ev.Token):
            self.phase, self.loaded_after = "running", now - self.started
        if isinstance(event, ev.OutlineChanged):
            self.written, self.planned = count_sections(event.outline)
        elif isinstance(event, ev.StepStarted):
            self.step, self._step_started = event.step, now
        elif isinstance(event, ev.StepFinished) and self._step_started is not None:
            self.step_seconds.append(now - self._step_started)
            self._step_started = None
        elif isinstance(event, ev.Proposal):
            self._step_started = None   # time spent deciding is the user's, not the model's
        elif isinstance(event, ev.Done):
            self.phase, self.complete = "finished", event.reason == "complete"

    def remaining_seconds(self) -> float | None:
        """Mean measured step time x steps still needed for the planned sections
        (capped by the limit); None before a step was measured."""
        if not self.step_seconds:
            return None
        needed = min(max(self.limit - self.step, 0),
                     STEPS_PER_SECTION * (self.planned - self.written) + 1)
        return needed * sum(self.step_seconds) / len(self.step_seconds)

    def describe(self, now: float | None = None) -> str:
        now = now or time.monotonic()
        elapsed = _clock(now - self.started) if self.started else "0:00"
        if self.phase == "loading":
            return f"Loading the model… {elapsed}"
        if self.phase == "idle":
            return "No run in progress."
        parts = [f"Step {self.step} of {self.limit}",
                 f"{self.written} of {self.planned} sections written", f"{elapsed} elapsed"]
        left = self.remaining_seconds()
        if self.phase == "finished":
            parts[-1] = f"took {elapsed}"
        elif left is not None:
            parts.append(f"about {_clock(left)} left for the planned sections")
        if self.loaded_after is not None:
            parts.append(f"model loaded in {self.loaded_after:.1f} s")
        return " · ".join(parts)

    def fraction(self) -> float:
        """Of the step limit; a report completed early shows a full bar."""
        if self.complete:
            return 1.0
        return self.step / self.limit if self.limit else 0.0
