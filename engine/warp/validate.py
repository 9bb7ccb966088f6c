"""Strict validation: the authors' recommended "hard mode" as UltraRAG's current checker
applies it, plus the check their code forgets: every cited key must be one the run has
issued (and so resolve to a real passage). A key shown in an earlier step is accepted, as
the authors accept it; only a key never issued is refused."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.language import UNCHECKED, language_problem
from engine.report.outline import Outline, depth_of, parse_position
from engine.warp.actions import (EXTEND_SUBSECTIONS, INIT_SECTIONS, MAX_KEYWORDS, Action,
                                 ExtendPlan, InitPlan, PlanItem, Search, Write)

from engine.cite import CITE, cited_keys  # noqa: F401  (cited_keys: one import home)
from engine.warp.degenerate import degenerate_problems
from engine.warp.prompts import WRITE_TEMPLATE

MIN_WRITE_CHARS = 50
MAX_CITES_PER_WRITE = 12


@dataclass
class ValidationContext:
    outline: Outline
    language: str = "other"                     # query_language(query)
    shown_keys: set[str] = field(default_factory=set)
    issued_keys: set[str] = field(default_factory=set)   # every key the registry holds
    extend_positions: list[str] | None = None   # limit extend-plan (user asked to deepen)
    instructions: str = WRITE_TEMPLATE          # the write template the model was shown


def validate(action: Action, ctx: ValidationContext) -> list[str]:
    """Problems with the action; empty when it is acceptable."""
    if isinstance(action, Search):
        return _search(action)
    if isinstance(action, InitPlan):
        title = [] if action.title.strip() else ["init-plan needs a non-empty title"]
        return title + _plan_items(action.sections, INIT_SECTIONS, "sections", ctx.language,
                                   [action.title])
    if isinstance(action, ExtendPlan):
        return _extend(action, ctx)
    if isinstance(action, Write):
        return _write(action.text, ctx) + degenerate_problems(action.text, ctx.instructions)
    return []


def user_plan_problems(action: Action, outline: Outline,
                       deepen_position: str | None = None) -> list[str]:
    """What makes a plan the user edited at a review point unusable. Looser than the
    model's hard mode (the user may want 2 or 15 sections, in any language), but the
    outline must stay well formed: a real, deepenable position and named nodes."""
    problems = []
    if isinstance(action, InitPlan):
        items = action.sections
        if not action.title.strip():
            problems.append("the report needs a title")
    else:
        assert isinstance(action, ExtendPlan)
        items = action.subsections
        problems += [p for p in _extend(action, ValidationContext(
            outline=outline, language=UNCHECKED,
            extend_positions=[deepen_position] if deepen_position else None))
            if not p.startswith("subsections")]
    if not items:
        problems.append("the plan needs at least one section")
    if any(not item.title.strip() for item in items):
        problems.append("every section needs a title")
    return problems


def _search(action: Search) -> list[str]:
    problems = []
    if not 1 <= len(action.keywords) <= MAX_KEYWORDS:
        problems.append(f"search needs 1 to {MAX_KEYWORDS} keywords, got {len(action.keywords)}")
    if any(not k.strip() for k in action.keywords):
        problems.append("keywords must be non-empty")
    return problems


def _plan_items(items: list[PlanItem], bounds: tuple[int, int], what: str, language: str,
                extra_text: list[str]) -> list[str]:
    problems = []
    if not bounds[0] <= len(items) <= bounds[1]:
        problems.append(f"{what}: need {bounds[0]} to {bounds[1]}, got {len(items)}")
    if any(not i.title.strip() or not i.plan.strip() for i in items):
        problems.append(f"{what}: every title and plan must be non-empty")
    text = " ".join(extra_text + [f"{i.title} {i.plan}" for i in items])
    problem = language_problem(text, language)
    if problem:
        problems.append(problem)
    return problems


def _extend(action: ExtendPlan, ctx: ValidationContext) -> list[str]:
    try:
        parse_position(action.position)
        node = ctx.outline.node_at(action.position)
    except (ValueError, KeyError):
        return [f"extend-plan position {action.position!r} does not exist"]
    problems = []
    if depth_of(action.position) not in (1, 2):
        problems.append("extend-plan may only deepen a level-1 or level-2 node")
    if node.subsections:
        problems.append(f"{action.position} already has subsections")
    if ctx.extend_positions and action.position not in ctx.extend_positions:
        problems.append(f"extend-plan must deepen {', '.join(ctx.extend_positions)}")
    problems += _plan_items(action.subsections, EXTEND_SUBSECTIONS, "subsections",
                            ctx.language, [])
    return problems


def _write(text: str, ctx: ValidationContext) -> list[str]:
    problems = []
    if len(text.strip()) <= MIN_WRITE_CHARS:
        problems.append(f"section text must be longer than {MIN_WRITE_CHARS} characters")
    if "#" in text:
        problems.append("section text must not contain '#' (no headings)")
    if "bibkey" in text.lower():
        problems.append("section text must not contain the literal 'bibkey'")
    cites = len(CITE.findall(text))
    if cites > MAX_CITES_PER_WRITE:
        problems.append(f"section text has {cites} cite commands, at most "
                        f"{MAX_CITES_PER_WRITE} allowed")
    known = ctx.shown_keys | ctx.issued_keys
    unknown = sorted({k for k in cited_keys(text) if k not in known})
    if unknown:
        problems.append(f"cites keys never shown in this run: {', '.join(unknown)}")
    problem = language_problem(text, ctx.language)
    if problem:
        problems.append(problem)
    return problems
