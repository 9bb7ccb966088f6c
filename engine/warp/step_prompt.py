"""Assemble one step's prompt, fitted to the context window, and its grammar."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.library.types import Passage
from engine.llm.base import Backend, ReplyFormat
from engine.llm.grammar import json_reply, write_reply
from engine.report.outline import Outline, depth_of
from engine.warp.actions import (EXTEND_PLAN, INIT_PLAN, INIT_PLAN_SCHEMA, SEARCH,
                                 SEARCH_SCHEMA, WRITE, extend_plan_schema)
from engine.warp.budget import Draft, fit_prompt
from engine.warp.prompts import user_message
from engine.warp.render import (Abbreviator, View, compact_view, focused_view, full_view,
                                passages_block, render)
from engine.warp.state import RunSettings
from engine.warp.templates import PromptTemplates, template_values

SAFETY_TOKENS = 16   # chat-template tokens the count may miss (generation prompt etc.)


@dataclass
class StepPrompt:
    text: str
    tokens: int
    shown: list[tuple[str, Passage]] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    reply: ReplyFormat | None = None
    reply_budget: int = 0


def reply_budget(backend: Backend, max_tokens: int, share: float = RunSettings.reply_context_share,
                 floor: int = RunSettings.min_reply_tokens) -> int:
    """The protocol samples up to max_tokens (2048); a small context keeps most of itself
    for the prompt (replies are bounded anyway: thought 160, write 1024)."""
    return min(max_tokens, max(floor, int(backend.context_size() * share)))


def extend_positions(outline: Outline) -> list[str]:
    """Level-1 and level-2 nodes that have no subsections yet."""
    return [p for p, node in outline.walk() if depth_of(p) in (1, 2) and not node.subsections]


def build_step_prompt(kind: str, *, query: str, outline: Outline, cursor: str | None,
                      passages: list[tuple[str, Passage]], backend: Backend,
                      abbreviate: Abbreviator, max_tokens: int, constrained: bool,
                      reply_share: float = RunSettings.reply_context_share,
                      min_reply: int = RunSettings.min_reply_tokens,
                      templates: PromptTemplates, deepen_position: str | None = None,
                      large_model: bool = False) -> StepPrompt:
    def compose(draft: Draft) -> str:
        return templates.render(kind, template_values(
            kind, query=query, survey=render(outline, draft.view, abbreviate), cursor=cursor,
            information=passages_block(draft.passages, draft.char_limit)))

    views: dict[str, View] = {SEARCH: compact_view(), INIT_PLAN: compact_view(),
                              WRITE: focused_view(outline), EXTEND_PLAN: full_view()}
    draft = Draft(view=views[kind], passages=list(passages))
    budget = reply_budget(backend, max_tokens, reply_share, min_reply)
    limit = backend.context_size() - budget - SAFETY_TOKENS

    def count(text: str) -> int:
        return len(backend.tokenize(backend.render_prompt(user_message(text))))

    text, tokens, moves = fit_prompt(compose, draft, outline, cursor, count, limit)
    reply = None
    if constrained:
        reply = _reply_format(kind, outline, [k for k, _ in draft.passages], deepen_position,
                              large_model)
    return StepPrompt(text=text, tokens=tokens, shown=draft.passages, moves=moves,
                      reply=reply, reply_budget=budget)


def _reply_format(kind: str, outline: Outline, keys: list[str],
                  deepen: str | None, large_model: bool) -> ReplyFormat:
    if kind == WRITE:
        return write_reply(keys, large_model)
    if kind == SEARCH:
        return json_reply(SEARCH_SCHEMA, large_model)
    if kind == INIT_PLAN:
        return json_reply(INIT_PLAN_SCHEMA, large_model)
    positions = [deepen] if deepen else extend_positions(outline)
    return json_reply(extend_plan_schema(positions, allow_nop=deepen is None), large_model)
