"""Time left for a WARP run, from measured rates: seconds per step by action kind (this
run's own steps, else what earlier runs of this model measured on this machine,
engine.rates), times the steps the run still expects in the order it will take them.

Where steps report their tokens (observe(tokens=...)), a step's seconds come from
engine.warp.step_cost: the tokens a step of its kind evaluates and generates, its prompt
grown by the sections written before it, times this run's seconds per token, so one
search and the init-plan already price the writes, and a later write is priced with the
longer outline it will show. Without tokens: the kind's seconds per step, the newest
steps weighted most (HALF_LIFE), since the machine's load drifts within a run.

The expected steps come from the outline: each section left to write costs a search and a
write, each multiplied by the tries a valid reply of that kind has needed; once the draft
is complete the run deepens (an extend-plan, then a search and a write per new
subsection) until its extend attempts run out. The step limit cuts that sequence short, so
a run that will stop at the limit is priced by the kinds of steps it will really take.
Without a rate for a kind the sequence needs, there is no estimate (None: "estimating…").
Before the first outline the run's sections come from earlier runs, else the published
average (SECTIONS); a run its step limit cuts short barely depends on that guess.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.warp.actions import EXTEND_PLAN, INIT_PLAN, NOP, SEARCH, WRITE
from engine.warp.step_cost import HALF_LIFE, StepCost, StepRecord

SUBSECTIONS = 3.0       # per deepening until one is measured (the protocol allows 2 to 5)
SECTIONS = 6.5          # level-1 sections of the published model's outlines
PER_SECTION = ((SEARCH, 1.0), (WRITE, 1.0))
# A kind not yet measured is priced like its nearest measured kind: both plans are a JSON
# outline of similar length (the extend-plan's prompt is longer: the whole draft).
STAND_IN = {EXTEND_PLAN: INIT_PLAN}


def kind_of(action: str) -> str:
    return EXTEND_PLAN if action == NOP else action


@dataclass(frozen=True)
class Tokens:
    """A step's tokens, as its StepFinished event reports them."""
    prompt: int
    evaluated: int
    completion: int


@dataclass
class RunEta:
    limit: int
    max_extends: int = 12
    max_retries: int = 3
    remembered: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    tried: dict[str, int] = field(default_factory=dict)
    valid: dict[str, int] = field(default_factory=dict)
    subsections: list[int] = field(default_factory=list)
    cost: StepCost | None = None
    last_kind: str = ""

    def __post_init__(self) -> None:
        if self.cost is None:
            self.cost = StepCost(remembered=self.remembered)

    def observe(self, action: str, seconds: float, valid: bool, subsections: int = 0,
                tokens: Tokens | None = None, written: int = 0) -> None:
        """One finished step: its kind, its wall time (no time the user spent deciding),
        whether the reply was valid, how many subsections it added, and (when known) its
        tokens and the sections written when it ran."""
        kind = self.last_kind = kind_of(action)
        self.seconds.setdefault(kind, []).append(seconds)
        self.tried[kind] = self.tried.get(kind, 0) + 1
        self.valid[kind] = self.valid.get(kind, 0) + valid
        if kind == EXTEND_PLAN and valid and subsections:
            self.subsections.append(subsections)
        if tokens is not None:
            self.cost.add(StepRecord(kind, seconds, tokens.prompt, tokens.evaluated,
                                     tokens.completion, written))

    def _uses_tokens(self) -> bool:
        return bool(self.cost.steps) or "s_per_token" in self.remembered

    def step_seconds(self, kind: str, written: float = 0.0) -> float | None:
        """One step of `kind` when `written` sections are written."""
        if self._uses_tokens():
            return self.cost.seconds(kind, written)
        own = self.seconds.get(kind)
        if own:
            weights = [0.5 ** ((len(own) - 1 - i) / HALF_LIFE) for i in range(len(own))]
            return sum(w * x for w, x in zip(weights, own)) / sum(weights)
        remembered = self.remembered.get(f"seconds:{kind}")
        if remembered is None and kind in STAND_IN:
            return self.step_seconds(STAND_IN[kind], written)
        return remembered

    def tries(self, kind: str) -> float:
        """Steps per valid reply of this kind (retries included), at most max_retries:
        after that many invalid replies the run moves on (searches again). This run's
        count with one remembered valid reply added (rule of succession: a first reply
        that failed does not promise that the next one passes)."""
        prior = self.remembered.get(f"tries:{kind}", 1.0)
        tried, valid = self.tried.get(kind, 0), self.valid.get(kind, 0)
        return min((tried + prior) / (valid + 1), self.max_retries)

    def _per_extend(self) -> float:
        if self.subsections:
            return sum(self.subsections) / len(self.subsections)
        return self.remembered.get("subsections", SUBSECTIONS)

    def expected_steps(self, written: int, planned: int,
                       searched: bool = False) -> list[tuple[str, float, float]]:
        """(kind, steps, sections written by then) in the order the run will take them,
        ignoring the limit: a search and a write per section left, then each deepening
        (an extend-plan, then its subsections' searches and writes, lumped) until the
        extend attempts run out. `searched`: the next section's search is done."""
        def section(at: float, count: float = 1.0) -> list[tuple[str, float, float]]:
            return [(kind, n * count * self.tries(kind), at) for kind, n in PER_SECTION]

        steps, at = [], float(written)
        for _ in range(max(planned - written, 0)):
            steps += section(at)
            at += 1
        if planned > written and searched:
            steps.pop(0)                  # its write comes next
        per_extend = self._per_extend()
        for _ in range(max(self.max_extends - self.valid.get(EXTEND_PLAN, 0), 0)):
            steps.append((EXTEND_PLAN, self.tries(EXTEND_PLAN), at))
            steps += section(at + (per_extend - 1) / 2, per_extend)
            at += per_extend
        return steps

    def seconds_left(self, steps_done: int, written: int, planned: int,
                     searched: bool | None = None) -> float | None:
        """Seconds the steps after `steps_done` will take; None until every kind the
        remaining steps need has a measured or remembered rate, and (before the first
        outline) a rate for the plan. `searched` (default: the last step was a search):
        the next section's search is done."""
        budget = float(max(self.limit - steps_done, 0))
        if budget == 0:
            return 0.0
        if planned == 0:
            return self._before_outline(steps_done)
        total = 0.0
        if searched is None:
            searched = self.last_kind == SEARCH
        for kind, steps, at in self.expected_steps(written, planned, searched):
            steps = min(steps, budget)
            if steps <= 0:
                break
            rate = self.step_seconds(kind, at)
            if rate is None:
                return None
            total, budget = total + steps * rate, budget - steps
        return total

    def _before_outline(self, steps_done: int) -> float | None:
        """Before the first plan: earlier runs' section count, else the published
        average (a run the limit cuts short hardly depends on it)."""
        sections = self.remembered.get("sections", SECTIONS)
        init = self.step_seconds(INIT_PLAN)
        if init is None:
            return None
        rest = self.seconds_left(steps_done + 1, 0, max(round(sections), 1), searched=False)
        return None if rest is None else init * self.tries(INIT_PLAN) + rest

    def measured(self, sections: int) -> dict[str, float]:
        """What this run measured, for engine.rates.remember()."""
        rates = {f"seconds:{k}": sum(v) / len(v) for k, v in self.seconds.items() if v}
        rates.update({f"tries:{k}": self.tries(k) for k in self.tried})
        rates.update(self.cost.measured())
        if self.subsections:
            rates["subsections"] = sum(self.subsections) / len(self.subsections)
        if sections:
            rates["sections"] = float(sections)
        return rates
