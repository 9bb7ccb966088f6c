"""Honest progress for a run: step n of the limit, sections written of those planned,
elapsed time and an estimate of the time left (engine.warp.eta: seconds per step by
action kind, measured in this run or remembered from earlier ones, times the steps the
outline and the limit still call for; "estimating…" until it has those rates). The
model's loading is a phase of its own (it can take minutes for a large model)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from engine import rates
from engine.warp import events as ev
from engine.warp.eta import RunEta, Tokens


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
    eta: RunEta = field(default_factory=lambda: RunEta(0))
    steps_done: int = 0
    first_plan: int = 0              # sections of the first outline (remembered)
    rates_name: str = "run"
    _step_started: float | None = None
    _step_kind: str = ""
    saving: object = None            # the thread remembering this run's rates, once done
    _written_then: int = 0           # sections written when the step in flight started

    def start(self, limit: int, steps_done: int, now: float | None = None,
              max_extends: int = 12, model: str = "") -> None:
        """A run starts (or resumes after `steps_done` steps). `model` names the rates
        remembered from earlier runs (per model; "" shares one set for all)."""
        self.limit, self.phase = limit, "loading"
        self.step = self.steps_done = steps_done
        self.complete, self.first_plan = False, 0
        self.started, self.loaded_after = now or time.monotonic(), None
        self.rates_name = f"run:{model}" if model else "run"
        self.eta = RunEta(limit, max_extends=max_extends,
                          remembered=rates.remembered(self.rates_name))
        self._step_started = None

    def on_event(self, event: object, now: float | None = None) -> None:
        now = now or time.monotonic()
        if self.phase == "loading" and not isinstance(event, ev.Token):
            self.phase, self.loaded_after = "running", now - self.started
        if isinstance(event, ev.OutlineChanged):
            self.written, self.planned = count_sections(event.outline)
            self.first_plan = self.first_plan or self.planned
        elif isinstance(event, ev.StepStarted):
            self.step, self._step_started, self._step_kind = event.step, now, event.action
            self._written_then = self.written
        elif isinstance(event, ev.StepFinished) and self._step_started is not None:
            # priced per token: a write's prompt grows with the sections written before it
            tokens = (Tokens(event.prompt_tokens, event.prompt_tokens_evaluated,
                             event.completion_tokens)
                      if event.prompt_tokens or event.completion_tokens else None)
            self.eta.observe(self._step_kind, now - self._step_started, event.valid,
                             event.summary.subsections, tokens, self._written_then)
            self.steps_done, self._step_started = event.step, None
        elif isinstance(event, ev.Proposal):
            self._step_started = None   # time spent deciding is the user's, not the model's
        elif isinstance(event, ev.Done):
            self.phase, self.complete = "finished", event.reason == "complete"
            self.saving = rates.remember_in_background(self.rates_name,
                                                       self.eta.measured(self.first_plan))

    def remaining_seconds(self, now: float | None = None) -> float | None:
        """Time the steps still expected will take, less what the step in flight has
        already run; None while estimating."""
        left = self.eta.seconds_left(self.steps_done, self.written, self.planned)
        if left is None or self._step_started is None:
            return left
        return max(left - ((now or time.monotonic()) - self._step_started), 0.0)

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
