"""Renderings of the outline exactly as the protocol shows them to the model.

    # Title: {title}
    # Section-1 [{title}]: [OK] {content on one line}
        ## Section-1.1 [{title}]: [PLAN] {plan}

Abbreviation uses the model's own tokenizer: a written node over 150 tokens shows its
first 100 tokens, ` ... `, and its last 50. `View` lets the context budget ask for more
abbreviation than the protocol's default, node by node.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine.warp.outline import Outline, depth_of

EMPTY = "There is no survey."
PROTOCOL_HEAD, PROTOCOL_TAIL = 100, 50


class Abbreviator:
    """Head + ' ... ' + tail in model tokens; cached because the same sections are
    abbreviated again at every step."""

    def __init__(self, tokenize: Callable[[str], list[int]],
                 detokenize: Callable[[list[int]], str]) -> None:
        self._tokenize, self._detokenize = tokenize, detokenize
        self._cache: dict[tuple[str, int, int], str] = {}

    def __call__(self, text: str, head: int = PROTOCOL_HEAD, tail: int = PROTOCOL_TAIL) -> str:
        key = (text, head, tail)
        if key not in self._cache:
            self._cache[key] = self._abbreviate(text, head, tail)
        return self._cache[key]

    def _abbreviate(self, text: str, head: int, tail: int) -> str:
        tokens = self._tokenize(text)
        if len(tokens) <= head + tail:
            return text
        front = self._detokenize(tokens[:head]).strip() if head else ""
        back = self._detokenize(tokens[-tail:]).strip() if tail else ""
        return f"{front} ... {back}".strip()


@dataclass
class View:
    """How much of each written node to show. `full` positions are shown whole; every
    other written node is abbreviated to (head, tail) tokens, tightened per node by
    `tight` when the prompt must shrink."""

    full: set[str] = field(default_factory=set)
    tight: dict[str, tuple[int, int]] = field(default_factory=dict)
    abbreviate_all: bool = True


def one_line(text: str) -> str:
    return " ".join(text.split())


def render(outline: Outline, view: View, abbreviate: Abbreviator) -> str:
    if outline.empty:
        return EMPTY
    lines = [f"# Title: {one_line(outline.title)}"]
    for position, node in outline.walk():
        level = depth_of(position)
        label = "Section-" + position.removeprefix("section-")
        if node.written:
            text = one_line(node.content or "")
            if position in view.tight:
                text = abbreviate(text, *view.tight[position])
            elif view.abbreviate_all and position not in view.full:
                text = abbreviate(text)
            text = "[OK] " + text
        else:
            text = "[PLAN] " + one_line(node.plan)
        lines.append(f"{'    ' * (level - 1)}{'#' * level} {label} [{one_line(node.title)}]: {text}")
    return "\n".join(lines)


def within(position: str, ancestor: str) -> bool:
    """True when `position` is `ancestor` or below it (not a string-prefix test:
    section-10 is not within section-1)."""
    return position == ancestor or position.startswith(ancestor + ".")


def compact_view() -> View:
    """search: every written node abbreviated."""
    return View()


def full_view() -> View:
    """extend-plan: nothing abbreviated."""
    return View(abbreviate_all=False)


def focused_view(outline: Outline) -> View:
    """write: full text around the last written position before the cursor, the rest
    abbreviated."""
    now = outline.last_written(before=outline.cursor())
    h = max(0, depth_of(now) - 1)     # the protocol's depth: dots in the position
    positions = [p for p, _ in outline.walk()]
    if h == 0:
        full = {p for p in positions if depth_of(p) == 1}
    else:
        anchor_level = h              # 1: the level-1 node containing now; 2: the level-2
        parts = now.removeprefix("section-").split(".")[:anchor_level]
        anchor = "section-" + ".".join(parts)
        full = {p for p in positions
                if p == anchor or (within(p, anchor) and depth_of(p) == anchor_level + 1)}
    return View(full=full)
