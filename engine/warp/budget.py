"""Fit every prompt into the context window minus the reply budget.

When the protocol's rendering does not fit, shrink it deterministically, in this order,
re-measuring with the model's tokenizer after each move:
1. abbreviate written sections (100+50 tokens, the protocol's abbreviation), least
   related to the cursor first (other level-1 branches, then outside the write focus),
   oldest first;
2. tighten abbreviations (100+50 tokens -> 30+15 -> 8+4 -> 0), same order;
3. drop the lowest-ranked passages (keeping 3), then shorten every passage's text;
4. keep a single passage.
Every move taken is recorded in the step (and surfaced as a warning).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

from engine.library.types import Passage
from engine.llm.base import ContextOverflow
from engine.report.outline import Outline
from engine.warp.render import View, within

TIGHTER = [(30, 15), (8, 4), (0, 0)]
PASSAGE_CHAR_LIMITS = [400, 250, 120]


@dataclass
class Draft:
    view: View
    passages: list[tuple[str, Passage]] = field(default_factory=list)
    char_limit: int | None = None


def _branch(position: str) -> str:
    return "section-" + position.removeprefix("section-").split(".")[0]


def shrink_order(outline: Outline, cursor: str | None,
                 keep: set[str] | frozenset = frozenset()) -> list[str]:
    """Written positions, least related to the cursor first (then those outside `keep`),
    then oldest first."""
    written = [p for p, node in outline.walk() if node.content]
    related = _branch(cursor) if cursor and cursor.startswith("section-") else None
    return sorted(written, key=lambda p: (bool(related and within(p, related)), p in keep))


def _moves(outline: Outline, cursor: str | None, draft: Draft) -> Iterator[Callable[[], str]]:
    order = shrink_order(outline, cursor, draft.view.full)
    for position in order:
        def abbreviate(p=position):
            draft.view.tight[p] = (100, 50)
            return f"abbreviated {p}"
        yield abbreviate
    for head_tail in TIGHTER:
        for position in order:
            def tighten(p=position, ht=head_tail):
                draft.view.tight[p] = ht
                return f"abbreviated {p} to {ht[0]}+{ht[1]} tokens"
            yield tighten
    while len(draft.passages) > 3:
        yield lambda: f"dropped passage {draft.passages.pop()[0]}"
    for limit in PASSAGE_CHAR_LIMITS:
        def shorten(n=limit):
            draft.char_limit = n
            return f"shortened passages to {n} characters"
        yield shorten
    while len(draft.passages) > 1:
        yield lambda: f"dropped passage {draft.passages.pop()[0]}"


def fit_prompt(compose: Callable[[Draft], str], draft: Draft, outline: Outline,
               cursor: str | None, count_tokens: Callable[[str], int],
               limit: int) -> tuple[str, int, list[str]]:
    """(prompt, its token count, moves taken). Raises ContextOverflow when even the
    smallest rendering does not fit."""
    prompt = compose(draft)
    tokens = count_tokens(prompt)
    moves: list[str] = []
    for move in _moves(outline, cursor, draft):
        if tokens <= limit:
            break
        moves.append(move())
        prompt = compose(draft)
        tokens = count_tokens(prompt)
    if tokens > limit:
        raise ContextOverflow(f"prompt needs {tokens} tokens even at its smallest; the "
                              f"context leaves {limit} for it. Use a larger --ctx.")
    return prompt, tokens, moves
