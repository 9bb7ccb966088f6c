"""Reading order of a page's text lines, for any number of columns.

PyMuPDF's `sort=True` sorts by line, and MuPDF often merges side-by-side lines into one
block, so both interleave columns. Here the columns are found from the page itself:
gutters are vertical strips that almost no prose line covers. A line that crosses a
gutter (a title, a full-width paragraph) splits the page into bands; inside a band,
columns are read left to right, each top to bottom.
"""
from __future__ import annotations

PROSE_CHARS = 12       # shorter lines (table cells, numbers) do not shape the columns
MIN_GUTTER = 6.0       # points
_LOW = 0.15            # coverage share of the busiest x under which a strip is a gutter


def gutters(lines: list, width: float) -> list[tuple[float, float]]:
    """(x0, x1) of the vertical strips between columns."""
    prose = [b for b in lines if len(str(b[4]).strip()) >= PROSE_CHARS]
    if len(prose) < 4:      # too little prose to tell columns from a table's cells
        return []
    bins = max(1, int(width) + 1)
    cover = [0] * (bins + 1)
    for b in prose:    # +1 at the start, -1 after the end: coverage by prefix sum
        cover[max(0, min(bins, int(b[0])))] += 1
        cover[max(0, min(bins, int(b[2]) + 1))] -= 1
    running, coverage = 0, []
    for delta in cover[:bins]:
        running += delta
        coverage.append(running)
    limit = max(1, _LOW * max(coverage))
    # text may lie partly off the page (negative or beyond the width): clamp to it
    left = max(0, int(min(b[0] for b in prose)))
    right = min(bins - 1, int(max(b[2] for b in prose)))
    found, start = [], None
    for x in range(left, right + 1):
        low = coverage[x] <= limit
        if low and start is None:
            start = x
        elif not low and start is not None:
            if x - start >= MIN_GUTTER:
                found.append((float(start), float(x)))
            start = None
    return found


def column_of(line, strips: list[tuple[float, float]]) -> int | None:
    """The column a line lies in, or None when it crosses a gutter."""
    for x0, x1 in strips:
        if line[0] < x0 and line[2] > x1:
            return None
    middle = (line[0] + line[2]) / 2
    return sum(x1 <= middle for _, x1 in strips)


def reading_order(lines: list, width: float) -> list:
    """Text lines or blocks (x0, y0, x1, y1, text, ...) in reading order."""
    strips = gutters(lines, width)
    ordered, band = [], []
    for line in sorted(lines, key=lambda b: (b[1], b[0])):
        column = column_of(line, strips)
        if column is None:
            ordered += _by_column(band)
            band = []
            ordered.append(line)
        else:
            band.append((column, line))
    return ordered + _by_column(band)


def _by_column(band: list) -> list:
    return [line for _, line in sorted(band, key=lambda c: (c[0], c[1][1], c[1][0]))]
