"""The run's time-left estimator (engine.warp.eta, step_cost, run_timer): seconds per
token fitted over the run's steps, tokens per step of each kind with the prompt grown by
the sections written, the step limit, and the rates a run leaves for the next one."""
from __future__ import annotations

import json

import pytest

from engine import rates
from engine.warp import events as ev
from engine.warp.eta import RunEta, Tokens
from engine.warp.run_factory import create_project, open_run
from engine.warp.run_timer import RunTimer
from engine.warp.state import RunSettings
from engine.llm import report_budget
from engine.warp.step_cost import PRIOR_WEIGHT, REMEMBERED_WEIGHT, StepCost, StepRecord
from tests.warp.test_run_close import QUESTION, transcript

P, D = 0.02, 0.25        # seconds per prompt token, per generated token


def record(kind, evaluated, completion, written=0, prompt=None, slow=1.0):
    return StepRecord(kind, slow * (P * evaluated + D * completion), prompt or evaluated,
                      evaluated, completion, written)


def test_the_fit_recovers_the_seconds_per_token_of_two_kinds():
    cost = StepCost()
    cost.add(record("search", 300, 80))
    cost.add(record("init-plan", 3400, 250))
    assert cost.rates() == pytest.approx((P, D))


def test_one_step_puts_its_time_on_its_reply_until_a_second_separates_them():
    cost = StepCost()
    cost.add(record("search", 300, 80))
    p, d = cost.rates()
    assert p == 0 and d == pytest.approx((P * 300 + D * 80) / 80)


def test_the_newest_steps_weigh_most_when_the_machine_slows_down():
    cost = StepCost()
    for slow in (1, 1, 1, 3, 3):
        cost.add(record("write", 1500, 400, slow=slow))
        cost.add(record("search", 300, 60, slow=slow))
    assert cost.rates()[1] > 2 * D          # a plain mean over all steps says 1.8 x D


def test_a_search_and_the_plan_price_a_write_before_any_write():
    eta = RunEta(limit=20)
    eta.observe("search", P * 300 + D * 80, True, tokens=Tokens(300, 300, 80))
    eta.observe("init-plan", P * 3400 + D * 250, True, tokens=Tokens(3400, 3400, 250))
    assert "write" not in eta.seconds
    write = eta.step_seconds("write", 0)
    assert write == pytest.approx(P * 2000 + D * 600)     # report_budget's write, no data yet
    assert eta.seconds_left(2, 0, 3) is not None


def test_a_prompt_grows_with_the_sections_written():
    eta = RunEta(limit=40)
    for written, prompt in ((0, 300), (1, 1200), (2, 2100)):
        eta.observe("search", P * prompt + D * 60, True, tokens=Tokens(prompt, prompt, 60),
                    written=written)
    assert eta.cost.growth("search") == pytest.approx(900)
    assert eta.step_seconds("search", 5) - eta.step_seconds("search", 0) == \
        pytest.approx(P * 900 * 5)


def test_the_step_limit_cuts_the_steps_priced():
    eta = RunEta(limit=100)
    for kind, e, c in (("search", 300, 80), ("init-plan", 3400, 250), ("search", 300, 80),
                       ("write", 2000, 600)):
        eta.observe(kind, P * e + D * c, True, tokens=Tokens(e, e, c))
    unlimited = eta.seconds_left(4, 1, 4)
    eta.limit = 6                        # two steps left: a search and a write
    assert eta.seconds_left(4, 1, 4) == pytest.approx(
        eta.step_seconds("search", 1) + eta.step_seconds("write", 1))
    assert eta.seconds_left(4, 1, 4) < unlimited


def test_after_a_search_the_next_step_priced_is_its_write():
    eta = RunEta(limit=4)
    for kind, e, c in (("search", 300, 80), ("init-plan", 3400, 250), ("search", 300, 80)):
        eta.observe(kind, P * e + D * c, True, tokens=Tokens(e, e, c))
    assert eta.seconds_left(3, 0, 3) == pytest.approx(eta.step_seconds("write", 0))


def test_without_tokens_each_kind_needs_its_own_seconds():
    eta = RunEta(limit=20)
    eta.observe("search", 10.0, True)
    eta.observe("init-plan", 60.0, True)
    assert eta.seconds_left(2, 0, 3) is None             # no write timed: estimating
    eta.observe("search", 10.0, True)
    eta.observe("write", 40.0, True)
    assert eta.seconds_left(4, 1, 3) is not None


def _real_run(tmp_path, replay_file) -> list[tuple[float, object]]:
    """A real run (engine, library, replay model): its events with made-up times, one
    second per prompt token / 100 and per generated token / 10."""
    store = create_project(tmp_path / "eta.ddproj", QUESTION, model=replay_file(transcript()),
                           library="warp-tests", run=RunSettings(constrained=False))
    timed, now = [], 0.0
    try:
        with open_run(store) as run:
            for event in run.events():
                if isinstance(event, ev.StepFinished):
                    now += event.prompt_tokens_evaluated / 100 + event.completion_tokens / 10
                timed.append((now, event))
    finally:
        store.close()
    return timed


def test_a_real_runs_events_carry_the_tokens_and_leave_rates(tmp_path, small_library,
                                                            replay_file, deepdraft_home):
    timed = _real_run(tmp_path, replay_file)
    assert isinstance(timed[-1][1], ev.Done)
    timer = RunTimer.start(limit=20)
    for now, event in timed:
        timer.on_event(event, now)
    steps = timer.eta.cost.steps
    assert len(steps) == sum(isinstance(e, ev.StepFinished) for _, e in timed)
    assert all(s.prompt > 0 and s.completion > 0 for s in steps)
    assert [s.written for s in steps if s.kind == "write"] == [0, 1, 2]
    assert timer.eta.cost.rates() == pytest.approx((0.01, 0.1), rel=1e-6)
    saved = json.loads((deepdraft_home / "rates.json").read_text())["run"]
    assert saved["s_per_token"] == pytest.approx(0.1) and saved["sections"] == 3
    # the next run estimates from its first step on, with this run's rates and sizes
    again = RunTimer.start(limit=20)
    assert again.eta.cost.rates() == pytest.approx((0.01, 0.1))
    assert again.remaining_seconds(0.0) is not None and rates.remembered("run")


def test_time_spent_on_a_proposal_is_not_the_models(deepdraft_home):
    timer = RunTimer.start(limit=10)
    timer.on_event(ev.StepStarted(1, "search", None), 0.0)
    timer.on_event(ev.Proposal(step=1, action="init-plan", payload={}), 5.0)
    timer.on_event(ev.StepFinished(1, "search", None, True, prompt_tokens=10,
                                   completion_tokens=5), 500.0)
    assert timer.eta.seconds.get("search") is None and timer.steps_done == 0


def test_a_step_running_past_its_expected_time_leaves_the_later_steps_time(deepdraft_home):
    """A reply that loops to the token cap overruns its write's expected time; the steps
    after it are no faster for that (run_dugina16: the estimate fell to 73 s of 232 s
    left while such a write ran)."""
    outline = {"sections": [{"title": t, "plan": "p", "subsections": []}
                            for t in ("A", "B", "C")]}
    timer = RunTimer.start(limit=10)
    timer.on_event(ev.OutlineChanged(outline, None), 0.0)
    timer.on_event(ev.StepStarted(1, "search", None), 0.0)
    timer.on_event(ev.StepFinished(1, "search", None, True, prompt_tokens=300,
                                   prompt_tokens_evaluated=300, completion_tokens=100), 10.0)
    timer.on_event(ev.StepStarted(2, "write", None), 10.0)
    expected_write = timer.eta.step_seconds("write", 0)
    at_start = timer.remaining_seconds(10.0)
    halfway = timer.remaining_seconds(10.0 + expected_write / 2)
    assert halfway == pytest.approx(at_start - expected_write / 2)
    overrun = timer.remaining_seconds(10.0 + 5 * expected_write)
    assert overrun == pytest.approx(at_start - expected_write) and overrun > 0


def test_one_step_with_remembered_rates_keeps_their_split_moved_toward_its_speed():
    """One timed step is one sample: the remembered speed counts as one step beside it
    (run_floods12's first search ran 5x slow beside a parallel run; its scale alone
    priced the rest at twice the time really left)."""
    cost = StepCost(remembered={"s_per_prompt_token": P, "s_per_token": D})
    cost.add(record("search", 300, 80, slow=4))          # this step ran 4x slower
    assert cost.rates() == pytest.approx((2 * P, 2 * D))  # the geometric mean of 1 and 4


def test_remembered_rates_count_as_one_step_beside_a_few_steps_own_fit():
    """Three steps of mixed kinds: their own fit is blended with the remembered rates
    scaled to their speed, weighted 3 to 1 (run_idalia16: a long plan's slow tokens
    alone carried its fit and priced each write 47% too high)."""
    cost = StepCost(remembered={"s_per_prompt_token": P, "s_per_token": D})
    for prompt, reply in ((300, 80), (3000, 600), (500, 60)):
        cost.add(record("search", prompt, reply, slow=2))  # this run: twice as slow
    own = StepCost()
    own.steps = list(cost.steps)
    p, d = own.rates()
    scale = 2 ** (3 / 4)                     # the speed: 3 samples of 2x against 1 of 1x
    assert cost.rates() == pytest.approx(((3 * p + P * scale) / 4, (3 * d + D * scale) / 4))
    assert own.rates() == pytest.approx((2 * P, 2 * D))   # exact tokens: the fit is exact


def test_remembered_reply_lengths_outweigh_a_few_of_this_runs_replies():
    """A first write that looped to the token cap does not make every later write a loop
    (run_hilary20): what earlier runs measured counts as REMEMBERED_WEIGHT steps, the
    token budget's guess as PRIOR_WEIGHT."""
    remembered = StepCost(remembered={"completion:write": 500.0,
                                      "evaluated_share:write": 0.4})
    guessed = StepCost()
    for cost in (remembered, guessed):
        cost.add(record("write", 2000, 1028, prompt=2000))
    budget = report_budget.step_tokens("write", 0).reply
    assert remembered.tokens("write", 0)[1] == pytest.approx(
        (1028 + REMEMBERED_WEIGHT * 500) / (1 + REMEMBERED_WEIGHT))      # 559
    assert guessed.tokens("write", 0)[1] == pytest.approx(
        (1028 + PRIOR_WEIGHT * budget) / (1 + PRIOR_WEIGHT))
    assert remembered.tokens("write", 0)[0] == pytest.approx(
        2000 * (1.0 + REMEMBERED_WEIGHT * 0.4) / (1 + REMEMBERED_WEIGHT))


def test_a_failed_first_write_does_not_promise_the_next_one_passes():
    eta = RunEta(limit=20)
    eta.observe("write", 10.0, False)
    assert eta.tries("write") == 2                    # (1 tried + 1) / (0 valid + 1)
    eta.observe("write", 10.0, True)
    assert eta.tries("write") == 1.5
    for _ in range(5):
        eta.observe("write", 10.0, False)
    assert eta.tries("write") == eta.max_retries      # then the run searches again


def test_before_the_outline_the_plan_and_every_sections_search_are_priced():
    eta = RunEta(limit=100, remembered={"sections": 2.0})
    eta.observe("search", P * 300 + D * 80, True, tokens=Tokens(300, 300, 80))
    eta.observe("init-plan", P * 3400 + D * 250, True, tokens=Tokens(3400, 3400, 250))
    eta.limit = 5                             # after the outline's search: 4 steps left
    assert eta.tries("write") == 1                       # nothing known against it
    expected = (eta.step_seconds("init-plan", 0) + eta.step_seconds("search", 0)
                + eta.step_seconds("write", 0) + eta.step_seconds("search", 1))
    eta.last_kind = "search"                  # as after step 1
    assert eta.seconds_left(1, 0, 0) == pytest.approx(expected)
