"""What a step's action does to the run: retrieval, outline changes, review points,
and the fallbacks taken when a model keeps answering invalidly."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

from engine.library.types import Passage, Retriever
from engine.report.outline import OUTLINE_CURSOR, Node, Outline
from engine.report.registry import CitationRegistry
from engine.warp import events as ev
from engine.warp.actions import (EXTEND_PLAN, INIT_PLAN, NOP, SEARCH, WRITE, Action,
                                 ExtendPlan, InitPlan, Nop, Search, Write)
from engine.warp.parse import InvalidReply, parse_json_action
from engine.warp.state import RunState
from engine.warp.validate import user_plan_problems


@dataclass
class StepContext:
    """Exactly what applying one step's action needs; the run builds one per step."""
    step: int
    cursor: str | None
    deepen_position: str | None        # the node the user asked to deepen, if any
    query: str
    outline: Outline                   # changed in place
    state: RunState                    # changed in place
    registry: CitationRegistry         # found passages get their textidN keys here
    retriever: Retriever
    passage_budget: Callable[[bool], int]           # for_outline -> passages to fetch
    interactive: bool                  # pause for the user's decision on plans
    max_retries: int
    save_decision: Callable[[int, str, dict], None]  # (after_step, kind, payload)


@dataclass
class StepOutcome:
    action_name: str | None = None
    outline_changed: bool = False
    retrieval_seconds: float = 0.0
    user_seconds: float = 0.0
    shown: list[tuple[str, Passage]] = field(default_factory=list)


def apply_action(ctx: StepContext, action: Action) -> Iterator[ev.Event]:
    if isinstance(action, Search):
        return (yield from _search(ctx, action.keywords))
    if isinstance(action, Write):
        node = ctx.outline.node_at(ctx.cursor)
        node.content, node.author = action.text, "agent"
        ctx.state.writes += 1
        ctx.state.phase = "search"
        return StepOutcome(action_name=WRITE, outline_changed=True)
    if isinstance(action, InitPlan):
        return (yield from _init_plan(ctx, action))
    if isinstance(action, ExtendPlan):
        return (yield from _extend_plan(ctx, action))
    assert isinstance(action, Nop)
    ctx.state.extends += 1
    ctx.state.nop = True
    return StepOutcome(action_name=NOP)


def _search(ctx: StepContext, keywords: list[str]) -> Iterator[ev.Event]:
    started, cursor, state = time.perf_counter(), ctx.cursor, ctx.state
    budget = ctx.passage_budget(cursor == OUTLINE_CURSOR)
    keyed = ctx.registry.register(ctx.retriever.search_keywords(keywords, budget))
    seconds = time.perf_counter() - started
    state.phase, state.search_cursor = "act", cursor
    state.search_node = (None if cursor in (None, OUTLINE_CURSOR)
                         else ctx.outline.node_at(cursor).node_id)
    state.pending_keys = [k for k, _ in keyed]
    state.pending_keywords = list(keywords)
    yield ev.RetrievalHits(step=ctx.step, keywords=list(keywords), keys=state.pending_keys,
                           passages=[p for _, p in keyed])
    if not keyed:
        yield ev.Warning(f"step {ctx.step}: no passages found for {keywords}; the section "
                         "will be written without evidence")
    return StepOutcome(action_name=SEARCH, retrieval_seconds=seconds, shown=keyed)


def _review(ctx: StepContext, name: str, payload: dict) -> Iterator[ev.Event]:
    """Pause for the user's decision in interactive mode; returns (decision, payload, s)."""
    if not ctx.interactive:
        return "accept", payload, 0.0
    proposal = ev.Proposal(step=ctx.step, action=name, payload=payload)
    started = time.perf_counter()
    yield proposal
    decision = proposal.decision or "accept"
    if decision == "edit" and proposal.edited is not None:
        payload = proposal.edited
    ctx.save_decision(ctx.step - 1, name, {"decision": decision, "payload": payload})
    return decision, payload, time.perf_counter() - started


def _edited_action(ctx: StepContext, payload: dict, name: str,
                   proposed: Action) -> Iterator[ev.Event]:
    """The user's edited plan, if it keeps the outline well formed; otherwise the
    proposal stands as the model made it, with a warning saying why."""
    if payload == _payload(proposed):
        return proposed
    try:
        edited = parse_json_action(json.dumps(payload), (name,))
        problems = user_plan_problems(edited, ctx.outline, ctx.deepen_position)
    except InvalidReply as exc:
        problems = [str(exc)]
    if not problems:
        return edited
    yield ev.Warning(f"step {ctx.step}: your edited {name} was not applied ("
                     + "; ".join(problems) + "); the proposal stands as made")
    return proposed


def _payload(action: Action) -> dict:
    if isinstance(action, InitPlan):
        return {"name": INIT_PLAN, "title": action.title,
                "sections": [{"title": s.title, "plan": s.plan} for s in action.sections]}
    assert isinstance(action, ExtendPlan)
    return {"name": EXTEND_PLAN, "position": action.position,
            "subsections": [{"title": s.title, "plan": s.plan} for s in action.subsections]}


def _init_plan(ctx: StepContext, action: InitPlan) -> Iterator[ev.Event]:
    decision, payload, waited = yield from _review(ctx, INIT_PLAN, _payload(action))
    if decision == "reject":
        return StepOutcome(action_name=INIT_PLAN, user_seconds=waited)
    action = yield from _edited_action(ctx, payload, INIT_PLAN, action)
    ctx.outline.title = action.title
    ctx.outline.sections = [Node(title=s.title, plan=s.plan) for s in action.sections]
    ctx.state.phase = "search"
    return StepOutcome(action_name=INIT_PLAN, outline_changed=True, user_seconds=waited)


def _spend_extend_attempt(ctx: StepContext) -> None:
    """A deepening the user asked for is done; otherwise one of max_extends is used."""
    if ctx.deepen_position:
        ctx.state.deepen.pop(0)
    else:
        ctx.state.extends += 1


def _extend_plan(ctx: StepContext, action: ExtendPlan) -> Iterator[ev.Event]:
    decision, payload, waited = yield from _review(ctx, EXTEND_PLAN, _payload(action))
    _spend_extend_attempt(ctx)
    if decision == "reject":  # counts as nop for this attempt; later attempts continue
        return StepOutcome(action_name=NOP, user_seconds=waited)
    action = yield from _edited_action(ctx, payload, EXTEND_PLAN, action)
    node = ctx.outline.node_at(action.position)
    node.subsections = [Node(title=s.title, plan=s.plan) for s in action.subsections]
    ctx.state.expansions += 1
    ctx.state.phase = "search"
    return StepOutcome(action_name=EXTEND_PLAN, outline_changed=True, user_seconds=waited)


def fallback_after_failures(ctx: StepContext, kind: str) -> Iterator[ev.Event]:
    """After max_retries invalid replies in a row, move on instead of looping."""
    step, tries = ctx.step, ctx.max_retries
    if ctx.state.failures < tries:
        return StepOutcome()
    ctx.state.failures = 0
    if kind == SEARCH:
        title = (ctx.query if ctx.cursor == OUTLINE_CURSOR
                 else ctx.outline.node_at(ctx.cursor).title)
        yield ev.Warning(f"step {step}: no valid search after {tries} tries; searching for "
                         "the section title instead")
        return (yield from _search(ctx, [title]))
    if kind == EXTEND_PLAN:
        _spend_extend_attempt(ctx)
        yield ev.Warning(f"step {step}: no valid extend-plan; this attempt counts as nop")
        return StepOutcome(action_name=NOP)
    ctx.state.phase = "search"  # write / init-plan: fetch fresh evidence and try again
    yield ev.Warning(f"step {step}: no valid {kind} after {tries} tries; searching again")
    return StepOutcome()
