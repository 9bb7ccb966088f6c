"""What a step's action does to the run: retrieval, outline changes, review points,
and the fallbacks taken when a model keeps answering invalidly."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from engine.library.types import Passage
from engine.warp import events as ev
from engine.warp.actions import (EXTEND_PLAN, INIT_PLAN, NOP, SEARCH, WRITE, Action,
                                 ExtendPlan, InitPlan, Nop, Search, Write)
from engine.warp.outline import OUTLINE_CURSOR, Node
from engine.warp.parse import InvalidReply, parse_json_action
from engine.warp.validate import user_plan_problems

if TYPE_CHECKING:
    from engine.warp.run import WarpRun


@dataclass
class StepOutcome:
    action_name: str | None = None
    outline_changed: bool = False
    retrieval_seconds: float = 0.0
    user_seconds: float = 0.0
    shown: list[tuple[str, Passage]] = field(default_factory=list)


def apply_action(run: "WarpRun", step: int, kind: str, action: Action, cursor: str | None,
                 deepen_position: str | None) -> Iterator[ev.Event]:
    if isinstance(action, Search):
        return (yield from _search(run, step, action.keywords, cursor))
    if isinstance(action, Write):
        node = run.outline.node_at(cursor)
        node.content, node.author = action.text, "agent"
        run.state.writes += 1
        run.state.phase = "search"
        return StepOutcome(action_name=WRITE, outline_changed=True)
    if isinstance(action, InitPlan):
        return (yield from _init_plan(run, step, action))
    if isinstance(action, ExtendPlan):
        return (yield from _extend_plan(run, step, action, deepen_position))
    assert isinstance(action, Nop)
    run.state.extends += 1
    run.state.nop = True
    return StepOutcome(action_name=NOP)


def _search(run: "WarpRun", step: int, keywords: list[str],
            cursor: str | None) -> Iterator[ev.Event]:
    started = time.perf_counter()
    budget = run.settings.passage_budget(for_outline=cursor == OUTLINE_CURSOR)
    passages = run.retriever.search_keywords(keywords, budget)
    keyed = run.registry.register(passages)
    seconds = time.perf_counter() - started
    run.state.phase, run.state.search_cursor = "act", cursor
    run.state.search_node = (None if cursor in (None, OUTLINE_CURSOR)
                             else run.outline.node_at(cursor).node_id)
    run.state.pending_keys = [k for k, _ in keyed]
    run.state.pending_keywords = list(keywords)
    yield ev.RetrievalHits(step=step, keywords=list(keywords), keys=run.state.pending_keys,
                           passages=[p for _, p in keyed])
    if not keyed:
        yield ev.Warning(f"step {step}: no passages found for {keywords}; the section will "
                         "be written without evidence")
    return StepOutcome(action_name=SEARCH, retrieval_seconds=seconds, shown=keyed)


def _review(run: "WarpRun", step: int, name: str, payload: dict) -> Iterator[ev.Event]:
    """Pause for the user's decision in interactive mode; returns (decision, payload, s)."""
    if not run.settings.interactive:
        return "accept", payload, 0.0
    proposal = ev.Proposal(step=step, action=name, payload=payload)
    started = time.perf_counter()
    yield proposal
    decision = proposal.decision or "accept"
    if decision == "edit" and proposal.edited is not None:
        payload = proposal.edited
    run.store.commit_decision(step - 1, name, {"decision": decision, "payload": payload},
                              run.outline, run.state.to_dict(), run.registry)
    return decision, payload, time.perf_counter() - started


def _edited_action(run: "WarpRun", step: int, payload: dict, name: str, proposed: Action,
                   deepen_position: str | None = None) -> Iterator[ev.Event]:
    """The user's edited plan, if it keeps the outline well formed; otherwise the
    proposal stands as the model made it, with a warning saying why."""
    if payload == _payload(proposed):
        return proposed
    try:
        edited = parse_json_action(json.dumps(payload), (name,))
        problems = user_plan_problems(edited, run.outline, deepen_position)
    except InvalidReply as exc:
        problems = [str(exc)]
    if not problems:
        return edited
    yield ev.Warning(f"step {step}: your edited {name} was not applied ("
                     + "; ".join(problems) + "); the proposal stands as made")
    return proposed


def _payload(action: Action) -> dict:
    if isinstance(action, InitPlan):
        return {"name": INIT_PLAN, "title": action.title,
                "sections": [{"title": s.title, "plan": s.plan} for s in action.sections]}
    assert isinstance(action, ExtendPlan)
    return {"name": EXTEND_PLAN, "position": action.position,
            "subsections": [{"title": s.title, "plan": s.plan} for s in action.subsections]}


def _init_plan(run: "WarpRun", step: int, action: InitPlan) -> Iterator[ev.Event]:
    decision, payload, waited = yield from _review(run, step, INIT_PLAN, _payload(action))
    if decision == "reject":
        return StepOutcome(action_name=INIT_PLAN, user_seconds=waited)
    action = yield from _edited_action(run, step, payload, INIT_PLAN, action)
    run.outline.title = action.title
    run.outline.sections = [Node(title=s.title, plan=s.plan) for s in action.sections]
    run.state.phase = "search"
    return StepOutcome(action_name=INIT_PLAN, outline_changed=True, user_seconds=waited)


def _extend_plan(run: "WarpRun", step: int, action: ExtendPlan,
                 deepen_position: str | None) -> Iterator[ev.Event]:
    decision, payload, waited = yield from _review(run, step, EXTEND_PLAN, _payload(action))
    if deepen_position:
        run.state.deepen.pop(0)
    else:
        run.state.extends += 1
    if decision == "reject":  # counts as nop for this attempt; later attempts continue
        return StepOutcome(action_name=NOP, user_seconds=waited)
    action = yield from _edited_action(run, step, payload, EXTEND_PLAN, action,
                                       deepen_position)
    node = run.outline.node_at(action.position)
    node.subsections = [Node(title=s.title, plan=s.plan) for s in action.subsections]
    run.state.expansions += 1
    run.state.phase = "search"
    return StepOutcome(action_name=EXTEND_PLAN, outline_changed=True, user_seconds=waited)


def fallback_after_failures(run: "WarpRun", step: int, kind: str, cursor: str | None,
                            deepen_position: str | None) -> Iterator[ev.Event]:
    """After max_retries invalid replies in a row, move on instead of looping."""
    if run.state.failures < run.settings.max_retries:
        return StepOutcome()
    run.state.failures = 0
    if kind == SEARCH:
        title = run.query if cursor == OUTLINE_CURSOR else run.outline.node_at(cursor).title
        yield ev.Warning(f"step {step}: no valid search after {run.settings.max_retries} "
                         f"tries; searching for the section title instead")
        return (yield from _search(run, step, [title], cursor))
    if kind == EXTEND_PLAN:
        if deepen_position:
            run.state.deepen.pop(0)
        else:
            run.state.extends += 1
        yield ev.Warning(f"step {step}: no valid extend-plan; this attempt counts as nop")
        return StepOutcome(action_name=NOP)
    run.state.phase = "search"  # write / init-plan: fetch fresh evidence and try again
    yield ev.Warning(f"step {step}: no valid {kind} after {run.settings.max_retries} tries; "
                     "searching again")
    return StepOutcome()
