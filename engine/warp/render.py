"""Renderings of the outline exactly as the authors' prompt server prints them (UltraRAG
main), every line ending in a newline:

    # Title: [OK] {title on one line}
    # Section-1 [{title}]: [OK] {content on one line}
        ## Section-1.1 [{title}]: [PLAN] {plan on one line}

"On one line": each newline becomes a space, nothing else changes, then the ends are
stripped. Their released code shows every section whole (its abbreviation needs a
tokenizer it is never given), so by default nothing is abbreviated; when the context
window requires it, the budget abbreviates node by node (`View.tight`): a written node
over 150 tokens of the model's tokenizer shows its first 100, ` ... `, and its last 50.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine.library.types import Passage
from engine.report.outline import Outline, depth_of
from engine.warp.untrusted import defang

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
    """How much of each written node to show: all of it, unless the budget put the node
    in `tight` (head, tail tokens). `full` names the nodes the protocol's focus keeps
    whole: the budget abbreviates them last."""

    full: set[str] = field(default_factory=set)
    tight: dict[str, tuple[int, int]] = field(default_factory=dict)


def one_line(text: str) -> str:
    """The authors' one-line form: newlines become spaces, then the ends are stripped."""
    return text.replace("\n", " ").strip()


def render(outline: Outline, view: View, abbreviate: Abbreviator) -> str:
    if outline.empty:
        return EMPTY
    title = one_line(outline.title)
    lines = [f"# Title: {'[OK] ' + title if title else ''}\n"]
    for position, node in outline.walk():
        level = depth_of(position)
        label = "Section-" + position.removeprefix("section-")
        lines.append(f"{'    ' * (level - 1)}{'#' * level} {label} [{node.title}]: "
                     f"{_node_text(position, node, view, abbreviate)}\n")
    return "".join(lines)


def _node_text(position: str, node, view: View, abbreviate: Abbreviator) -> str:
    if node.content:          # empty content shows the plan, as the authors' code does
        # the abbreviation is cut from the text as written, then put on one line
        text = node.content
        if position in view.tight:
            text = abbreviate(text, *view.tight[position])
        return "[OK] " + one_line(text)
    return "[PLAN] " + one_line(node.plan)


def passages_block(keyed: list[tuple[str, Passage]], char_limit: int | None = None) -> str:
    """The retrieved information as the authors show it: `bibkey:textidN`, the passage
    under it with its own line breaks, a blank line between passages; nothing found is
    an empty string. `char_limit` shortens passages only when the context requires it."""
    parts = []
    for key, passage in keyed:
        text = defang(passage.text)   # a document's look-alike protocol markers stay inert
        if char_limit is not None and len(text) > char_limit:
            text = text[:char_limit].rstrip() + " ..."
        parts.append(f"bibkey:{key}\n{text}")
    return "\n\n".join(parts).strip()


def within(position: str, ancestor: str) -> bool:
    """True when `position` is `ancestor` or below it (not a string-prefix test:
    section-10 is not within section-1)."""
    return position == ancestor or position.startswith(ancestor + ".")


def compact_view() -> View:
    """search (and init-plan): every node whole; under budget pressure any may shrink."""
    return View()


def full_view() -> View:
    """extend-plan: every node whole."""
    return View()


def focused_view(outline: Outline) -> View:
    """write: the protocol's focus around the last written position before the cursor
    (kept whole longest when the budget must shrink the rest)."""
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
