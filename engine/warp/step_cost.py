"""Seconds a step of each kind will take, from the tokens it will evaluate and generate
and this run's measured seconds per token (engine.warp.eta prices a run's remaining steps
with it).

A step's time is its prompt (the tokens evaluated after prompt-cache reuse) plus its reply
(tokens generated one at a time). One pair of rates (seconds per prompt token, seconds
per generated token) serves every kind, so a search and the init-plan already price the
first write. The rates are a least-squares fit over the run's steps, the newest weighted
most (HALF_LIFE): the machine's load drifts within a run. Earlier runs' rates, scaled to
this run's speed, count as one step beside the run's own (StepCost.rates); without them,
one timed step puts all its time on its reply (a prompt token costs far less than a
generated one). The tokens a kind will need are the mean of its steps so far (a write's
mean includes the replies that looped to the token cap and those that stopped early),
blended with a prior: what earlier runs remembered, counting as REMEMBERED_WEIGHT steps,
else engine.llm.report_budget's sizes, counting as one; a prompt grows with each section
written (the outline in the search and write prompts, the report in the extend-plan),
by the growth measured so far, else the prior's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.llm import report_budget

HALF_LIFE = 4.0          # steps
PRIOR_WEIGHT = 1.0       # a prior from the token budget counts as one step of the kind
# What earlier runs of this model measured on this machine counts as 8 steps: a step's
# reply varies far more within a run than its mean does between runs (over 7 recorded
# demo runs: writes' replies sd 502 tokens within a run (an echo stops at 40, a loop runs
# to the cap at 1,028+), sd 131 between the runs' means; searches 66 and 28), so a few of
# this run's replies say little next to it (the empirical-Bayes weight, variance within
# over variance between: 15 for writes, 6 for searches).
REMEMBERED_WEIGHT = 8.0


@dataclass(frozen=True)
class StepRecord:
    kind: str
    seconds: float
    prompt: int          # tokens submitted
    evaluated: int       # tokens evaluated (the rest came from the prompt cache)
    completion: int
    written: int         # sections written when the step ran


def _solve(rows: list[tuple[float, float, float, float]]) -> tuple[float, float] | None:
    """Weighted least squares of seconds = p * evaluated + d * completion, both >= 0."""
    see = sum(w * e * e for w, e, c, s in rows)
    scc = sum(w * c * c for w, e, c, s in rows)
    sec = sum(w * e * c for w, e, c, s in rows)
    ses = sum(w * e * s for w, e, c, s in rows)
    scs = sum(w * c * s for w, e, c, s in rows)
    det = see * scc - sec * sec
    if det > 1e-9 * see * scc:
        p, d = (ses * scc - scs * sec) / det, (scs * see - ses * sec) / det
        if p >= 0 and d >= 0:
            return p, d
    if scc > 0:                           # one rate carries it: the reply's
        return 0.0, max(scs / scc, 0.0)
    return None


@dataclass
class StepCost:
    remembered: dict[str, float] = field(default_factory=dict)
    steps: list[StepRecord] = field(default_factory=list)

    def add(self, record: StepRecord) -> None:
        self.steps.append(record)

    def rates(self) -> tuple[float, float] | None:
        """(seconds per prompt token, seconds per generated token); None until a step
        with a reply was timed and nothing is remembered. Earlier runs' rates, scaled to
        this run's speed, count as PRIOR_WEIGHT steps beside this run's own fit: a few
        steps of mixed kinds fit the split poorly (a long plan's slow tokens can carry
        it alone), and one step cannot split it at all. The scale is itself one more
        sample of the machine's speed per step timed, against the remembered one (a
        weighted geometric mean: a single step slowed by a parallel job moves it only
        halfway)."""
        n = len(self.steps)
        rows = [(0.5 ** ((n - 1 - i) / HALF_LIFE), s.evaluated, s.completion, s.seconds)
                for i, s in enumerate(self.steps) if s.completion > 0]
        p, d = self.remembered.get("s_per_prompt_token"), self.remembered.get("s_per_token")
        if p is None or d is None:
            return _solve(rows) if rows else None
        if not rows:
            return p, d
        m, k = len(rows), PRIOR_WEIGHT
        predicted = sum(p * e + d * c for _, e, c, _ in rows)
        scale = (sum(s for *_, s in rows) / max(predicted, 1e-9)) ** (m / (m + k))
        prior = (p * scale, d * scale)
        own = _solve(rows) if m > 1 else None
        if own is None:
            return prior
        return ((m * own[0] + k * prior[0]) / (m + k), (m * own[1] + k * prior[1]) / (m + k))

    def _prior(self, kind: str) -> tuple[float, float, float]:
        """(prompt, evaluated share, completion) of one step of `kind`, nothing written."""
        budget = report_budget.step_tokens(kind, 0)
        share = self.remembered.get(f"evaluated_share:{kind}", 1.0)
        prompt = self.remembered.get(f"prompt:{kind}", budget.prompt)
        return prompt, share, self.remembered.get(f"completion:{kind}", budget.reply)

    def growth(self, kind: str) -> float:
        """Prompt tokens a written section adds to this kind's prompt: measured across
        this run's steps of the kind when `written` varied, else remembered or prior."""
        own = [s for s in self.steps if s.kind == kind]
        if len({s.written for s in own}) > 1:
            mw = sum(s.written for s in own) / len(own)
            mp = sum(s.prompt for s in own) / len(own)
            var = sum((s.written - mw) ** 2 for s in own)
            return max(sum((s.written - mw) * (s.prompt - mp) for s in own) / var, 0.0)
        prior = (report_budget.step_tokens(kind, 1).prompt
                 - report_budget.step_tokens(kind, 0).prompt)
        return self.remembered.get(f"growth:{kind}", float(prior))

    def tokens(self, kind: str, written: float) -> tuple[float, float]:
        """(evaluated, completion) expected of one step of `kind` at `written` sections:
        this run's mean, blended with the prior (REMEMBERED_WEIGHT steps when earlier
        runs measured it, else PRIOR_WEIGHT)."""
        own = [s for s in self.steps if s.kind == kind]
        prompt0, share0, completion0 = self._prior(kind)

        def blend(values: list[float], prior: float, key: str) -> float:
            weight = REMEMBERED_WEIGHT if f"{key}:{kind}" in self.remembered else PRIOR_WEIGHT
            return (sum(values) + weight * prior) / (len(values) + weight)

        completion = blend([s.completion for s in own], completion0, "completion")
        share = blend([s.evaluated / max(s.prompt, 1) for s in own], share0, "evaluated_share")
        at = sum(s.written for s in own) / len(own) if own else 0.0
        base = (sum(s.prompt for s in own) / len(own)) if own else prompt0
        prompt = base + self.growth(kind) * (written - at)
        return max(prompt, 0.0) * share, completion

    def seconds(self, kind: str, written: float) -> float | None:
        rates = self.rates()
        if rates is None:
            return None
        evaluated, completion = self.tokens(kind, written)
        return rates[0] * evaluated + rates[1] * completion

    def measured(self) -> dict[str, float]:
        """What the next run starts from (engine.rates.remember)."""
        out: dict[str, float] = {}
        rates = self.rates()
        if rates and self.steps:
            out["s_per_prompt_token"], out["s_per_token"] = rates
        for kind in {s.kind for s in self.steps}:
            own = [s for s in self.steps if s.kind == kind]
            out[f"completion:{kind}"] = sum(s.completion for s in own) / len(own)
            out[f"evaluated_share:{kind}"] = sum(
                s.evaluated / max(s.prompt, 1) for s in own) / len(own)
            first = [s for s in own if s.written == 0] or own
            out[f"prompt:{kind}"] = sum(s.prompt for s in first) / len(first)
            out[f"growth:{kind}"] = self.growth(kind)
        return {k: v for k, v in out.items() if v > 0}
