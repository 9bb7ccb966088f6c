"""Where a passage lies on its PDF page: the rectangles of its words, one per line.

The library stores a page's text in its own reading order, so the passage is found
again by its words (not by a byte offset): the longest run of the page's words that
follows the passage's words in order, allowing a few misses (hyphenation, ligatures).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SKIP = 3   # page words a match may skip between two passage words


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float


def _norm(word: str) -> str:
    return "".join(_WORD.findall(word.lower()))


def passage_boxes(page, text: str) -> list[Box]:
    """Boxes (page coordinates, one per text line) of `text` on a pymupdf page."""
    words = [w for w in page.get_text("words") if _norm(w[4])]
    wanted = [n for n in (_norm(t) for t in text.split()) if n]
    normalized = [_norm(w[4]) for w in words]
    # The passage may open mid-word (chunk overlap): try its next words as the anchor.
    matched = max((_best_run(normalized, wanted[k:]) for k in range(min(3, len(wanted)))),
                  key=len, default=[])
    lines: dict[tuple[int, int], list] = {}
    for index in matched:
        word = words[index]
        lines.setdefault((word[5], word[6]), []).append(word)
    return [Box(min(w[0] for w in ws), min(w[1] for w in ws),
                max(w[2] for w in ws), max(w[3] for w in ws)) for ws in lines.values()]


def _best_run(page_words: list[str], wanted: list[str]) -> list[int]:
    """Indexes of page words matching `wanted` in order, from the best starting point."""
    best: list[int] = []
    if not wanted:
        return best
    for start, word in enumerate(page_words):
        if word != wanted[0] or len(page_words) - start <= len(best):
            continue
        run = _follow(page_words, wanted, start)
        if len(run) > len(best):
            best = run
            if len(best) == len(wanted):
                break
    return best


def _follow(page_words: list[str], wanted: list[str], start: int) -> list[int]:
    run, position = [start], start + 1
    for word in wanted[1:]:
        for offset in range(MAX_SKIP + 1):
            index = position + offset
            if index < len(page_words) and page_words[index] == word:
                run.append(index)
                position = index + 1
                break
    return run
