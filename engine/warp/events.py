"""Typed events a WARP run yields. Consumers: the CLI, tests, the desktop worker (which
re-emits each one as a Qt signal on the GUI thread)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class StepStarted:
    step: int
    action: str                 # "search" | "init-plan" | "write" | "extend-plan"
    cursor: str | None
    attempt: int = 1
    threads: int | None = None  # the model's CPU threads for this step (None: not ours)


@dataclass
class Token:
    text: str


@dataclass
class RetrievalHits:
    step: int
    keywords: list[str]
    keys: list[str]             # textidN shown, in order
    passages: list[Any]         # engine.library.types.Passage


@dataclass
class StepSummary:
    """What a step did, in the terms a reader needs (the activity feed's sentence)."""
    section: str = ""           # "2.1 Causes": the section written or searched for
    cited_keys: list[str] = field(default_factory=list)    # a write's citations
    cited_documents: int = 0    # distinct documents among them
    subsections: int = 0        # an extend-plan's new subsections
    parent: str = ""            # "3 Aftermath": the section that received them


@dataclass
class StepFinished:
    step: int
    action: str                 # the action actually taken (nop for a rejected extend)
    cursor: str | None
    valid: bool
    problems: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    prompt_tokens_evaluated: int = 0
    completion_tokens: int = 0
    model_seconds: float = 0.0
    retrieval_seconds: float = 0.0
    summary: StepSummary = field(default_factory=StepSummary)
    # The run's counters after this step (engine.warp.stats.run_counts): steps, writes,
    # expansions, retries, tokens. Viewers show these instead of counting events.
    counts: dict = field(default_factory=dict)
    threads: int | None = None  # the model's CPU threads in this step (None: not ours)


@dataclass
class OutlineChanged:
    outline: dict               # Outline.to_dict()
    cursor: str | None


@dataclass
class Warning:
    message: str


@dataclass
class EditRefused(Warning):
    """A co-editing command the run could not apply (its node is gone, the move is
    impossible); the outline is unchanged. `message` says why, `edit` names the command,
    `refused` is the command itself (the window takes it off its undo stack)."""
    edit: str = ""
    refused: object = None


@dataclass
class Error:
    message: str


@dataclass
class Done:
    stats: dict
    reason: str                 # "complete" | "step limit" | "cancelled"


@dataclass
class Proposal:
    """A review point: init-plan or extend-plan awaiting the user's decision.

    The caller decides with accept(), edit(payload) or reject() before resuming the
    run; a worker thread may block on wait() until the GUI thread decides. An
    undecided proposal counts as accepted (headless runs)."""

    step: int
    action: str                 # "init-plan" | "extend-plan"
    payload: dict               # the action as JSON
    decision: str | None = None
    edited: dict | None = None
    _decided: threading.Event = field(default_factory=threading.Event, repr=False)

    def accept(self) -> None:
        self._decide("accept")

    def edit(self, payload: dict) -> None:
        self.edited = payload
        self._decide("edit")

    def reject(self) -> None:
        self._decide("reject")

    def _decide(self, decision: str) -> None:
        self.decision = decision
        self._decided.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._decided.wait(timeout)


Event = (StepStarted | Token | RetrievalHits | StepFinished | OutlineChanged | Warning
         | EditRefused | Error | Done | Proposal)
