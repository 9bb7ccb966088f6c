"""A run's time left, kept from its events: what a window's progress line (or any other
viewer of a run) asks. It times each step from StepStarted to StepFinished (leaving out
the time a user spends on a proposal), hands engine.warp.eta the step's kind, validity,
tokens and the sections written when it ran, follows the outline's written and planned
sections, and at Done remembers the run's rates for the next run (engine.rates)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine import rates
from engine.warp import events as ev
from engine.warp.eta import RunEta, Tokens, kind_of


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
class RunTimer:
    eta: RunEta = field(default_factory=lambda: RunEta(0))
    rates_name: str = "run"
    steps_done: int = 0
    written: int = 0
    planned: int = 0
    first_plan: int = 0
    _started: float | None = None
    _kind: str = ""
    _written_then: int = 0
    # how the rates are saved at Done (a window passes rates.remember_in_background: the
    # write fsyncs); `saving` keeps what it returned
    remember: Callable = rates.remember
    saving: object = None

    @classmethod
    def start(cls, limit: int, steps_done: int = 0, max_extends: int = 12,
              model: str = "", remember: Callable = rates.remember) -> "RunTimer":
        """A run starts (or resumes after `steps_done` steps). `model` names the rates
        remembered from earlier runs (per model; "" shares one set for all)."""
        name = f"run:{model}" if model else "run"
        eta = RunEta(limit, max_extends=max_extends, remembered=rates.remembered(name))
        return cls(eta=eta, rates_name=name, steps_done=steps_done, remember=remember)

    def on_event(self, event: object, now: float) -> None:
        if isinstance(event, ev.OutlineChanged):
            self.written, self.planned = count_sections(event.outline)
            self.first_plan = self.first_plan or self.planned
        elif isinstance(event, ev.StepStarted):
            self._started, self._kind, self._written_then = now, event.action, self.written
        elif isinstance(event, ev.StepFinished) and self._started is not None:
            tokens = (Tokens(event.prompt_tokens, event.prompt_tokens_evaluated,
                             event.completion_tokens)
                      if event.prompt_tokens or event.completion_tokens else None)
            self.eta.observe(self._kind, now - self._started, event.valid,
                             event.summary.subsections, tokens, self._written_then)
            self.steps_done, self._started = event.step, None
        elif isinstance(event, ev.Proposal):
            self._started = None        # time spent deciding is the user's, not the model's
        elif isinstance(event, ev.Done):
            self.saving = self.remember(self.rates_name, self.eta.measured(self.first_plan))

    def remaining_seconds(self, now: float) -> float | None:
        """Time the steps still expected will take, less what the step in flight has
        already run of its own expected time; None while estimating. A step that runs
        past its expected time (a reply looping to the token cap) leaves the later steps'
        time as it was: they are no faster for it."""
        left = self.eta.seconds_left(self.steps_done, self.written, self.planned)
        if left is None or self._started is None:
            return left
        in_flight = min(self.eta.step_seconds(kind_of(self._kind), self._written_then)
                        or 0.0, left)
        return left - in_flight + max(in_flight - (now - self._started), 0.0)
