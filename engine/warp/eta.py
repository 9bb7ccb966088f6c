"""Time left for a WARP run, from measured rates: seconds per step by action kind (this
run's own steps, else what earlier runs of this model measured on this machine,
engine.rates), times the steps the run still expects in the order it will take them.

The expected steps come from the outline: each section left to write costs a search and a
write, each multiplied by the tries a valid reply of that kind has needed; once the draft
is complete the run deepens (an extend-plan, then a search and a write per new
subsection) until its extend attempts run out. The step limit cuts that sequence short, so
a run that will stop at the limit is priced by the kinds of steps it will really take.
Without a rate for a kind the sequence needs, there is no estimate (None: "estimating…").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.warp.actions import EXTEND_PLAN, INIT_PLAN, NOP, SEARCH, WRITE

SUBSECTIONS = 3.0       # per deepening until one is measured (the protocol allows 2 to 5)
PER_SECTION = ((SEARCH, 1.0), (WRITE, 1.0))
# A kind not yet measured is priced like its nearest measured kind: both plans are a JSON
# outline of similar length (the extend-plan's prompt is longer: the whole draft).
STAND_IN = {EXTEND_PLAN: INIT_PLAN}


def kind_of(action: str) -> str:
    return EXTEND_PLAN if action == NOP else action


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

    def observe(self, action: str, seconds: float, valid: bool, subsections: int = 0) -> None:
        """One finished step: its kind, its wall time (no time the user spent deciding),
        whether the reply was valid and how many subsections it added."""
        kind = kind_of(action)
        self.seconds.setdefault(kind, []).append(seconds)
        self.tried[kind] = self.tried.get(kind, 0) + 1
        self.valid[kind] = self.valid.get(kind, 0) + valid
        if kind == EXTEND_PLAN and valid and subsections:
            self.subsections.append(subsections)

    def step_seconds(self, kind: str) -> float | None:
        own = self.seconds.get(kind)
        if own:
            return sum(own) / len(own)
        remembered = self.remembered.get(f"seconds:{kind}")
        if remembered is None and kind in STAND_IN:
            return self.step_seconds(STAND_IN[kind])
        return remembered

    def tries(self, kind: str) -> float:
        """Steps per valid reply of this kind (retries included), at most max_retries:
        after that many invalid replies the run moves on (searches again)."""
        if self.tried.get(kind):
            return min(self.tried[kind] / max(self.valid.get(kind, 0), 1), self.max_retries)
        return self.remembered.get(f"tries:{kind}", 1.0)

    def _per_extend(self) -> float:
        if self.subsections:
            return sum(self.subsections) / len(self.subsections)
        return self.remembered.get("subsections", SUBSECTIONS)

    def expected_steps(self, written: int, planned: int) -> list[tuple[str, float]]:
        """(kind, steps) in the order the run will take them, ignoring the limit: a
        search and a write per section left, then each deepening (an extend-plan, then
        its subsections' searches and writes, lumped) until the extend attempts run out."""
        section = [(kind, count * self.tries(kind)) for kind, count in PER_SECTION]
        extends_left = max(self.max_extends - self.valid.get(EXTEND_PLAN, 0), 0)
        deepen = [(EXTEND_PLAN, self.tries(EXTEND_PLAN))] + [
            (kind, steps * self._per_extend()) for kind, steps in section]
        return section * max(planned - written, 0) + deepen * extends_left

    def seconds_left(self, steps_done: int, written: int, planned: int) -> float | None:
        """Seconds the steps after `steps_done` will take; None until the outline exists
        and every kind the remaining steps need has a measured or remembered rate."""
        budget = float(max(self.limit - steps_done, 0))
        if budget == 0:
            return 0.0
        if planned == 0:
            return self._before_outline(steps_done)
        total = 0.0
        for kind, steps in self.expected_steps(written, planned):
            steps = min(steps, budget)
            if steps <= 0:
                break
            rate = self.step_seconds(kind)
            if rate is None:
                return None
            total, budget = total + steps * rate, budget - steps
        return total

    def _before_outline(self, steps_done: int) -> float | None:
        """Before the first plan only earlier runs can say how many sections come."""
        sections, init = self.remembered.get("sections"), self.step_seconds(INIT_PLAN)
        if sections is None or init is None:
            return None
        rest = self.seconds_left(steps_done + 1, 0, max(round(sections), 1))
        return None if rest is None else init * self.tries(INIT_PLAN) + rest

    def measured(self, sections: int) -> dict[str, float]:
        """What this run measured, for engine.rates.remember()."""
        rates = {f"seconds:{k}": sum(v) / len(v) for k, v in self.seconds.items() if v}
        rates.update({f"tries:{k}": self.tries(k) for k in self.tried})
        if self.subsections:
            rates["subsections"] = sum(self.subsections) / len(self.subsections)
        if sections:
            rates["sections"] = float(sections)
        return rates
