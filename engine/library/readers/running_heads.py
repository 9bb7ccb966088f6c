"""Running headers, footers and page numbers of paged documents, kept out of the text.

A line is a running head when the same text, with its numbers ignored ("Federal Register
/ Vol. 88, No. 2 / ... 123", "Page 4 of 9", a print-shop code with a changing frame
number), stands among the first or last lines of enough pages. The page view still shows
the whole page; only chunks and passages go without these lines.

Guards (a document whose every line looks repeated keeps its text): at least MIN_PAGES
pages, the text must appear on at least MIN_SHARE of them, and removal must leave at least
KEEP_SHARE of the document's characters.
"""
from __future__ import annotations

import re
from collections import Counter

MIN_PAGES = 3
MIN_SHARE = 0.4          # odd and even pages often carry different heads: each half
EDGE_LINES = 3           # lines at the top and at the bottom of a page looked at
EDGE_ZONE = 0.15         # ... and only within this share of the page height
KEEP_SHARE = 0.5
_DIGITS = re.compile(r"\d+")
_ROMAN_PAGE = re.compile(r"^[ivxlcdm]+$")


def signature(text: str) -> str:
    """The text with numbers folded, so "Page 3" and "Page 4" are one running head."""
    folded = _DIGITS.sub("#", " ".join(text.split()).casefold())
    return "#" if _ROMAN_PAGE.match(folded) else folded


def edge_lines(lines: list[tuple], height: float) -> list[int]:
    """Indexes of lines (x0, y0, x1, y1, text) at the top or bottom edge of a page."""
    order = sorted(range(len(lines)), key=lambda i: (lines[i][1], lines[i][0]))
    top = [i for i in order[:EDGE_LINES] if lines[i][3] <= height * EDGE_ZONE]
    bottom = [i for i in order[-EDGE_LINES:] if lines[i][1] >= height * (1 - EDGE_ZONE)]
    return list(dict.fromkeys(top + bottom))


def running_head_lines(pages: list[tuple[list[tuple], float]]) -> list[set[int]]:
    """For each page (its lines, its height), the indexes of its running-head lines."""
    found: list[set[int]] = [set() for _ in pages]
    if len(pages) < MIN_PAGES:
        return found
    edges = [{i: signature(lines[i][4]) for i in edge_lines(lines, height)}
             for lines, height in pages]
    counts = Counter(sig for page in edges for sig in set(page.values()))
    needed = max(MIN_PAGES, MIN_SHARE * len(pages))
    heads = {sig for sig, n in counts.items() if n >= needed}
    for number, page in enumerate(edges):
        found[number] = {i for i, sig in page.items() if sig in heads}
    total = sum(len(line[4]) for lines, _ in pages for line in lines)
    removed = sum(len(pages[n][0][i][4]) for n, idx in enumerate(found) for i in idx)
    if total and removed > (1 - KEEP_SHARE) * total:
        return [set() for _ in pages]
    return found
