"""What every reader returns: a document as ordered segments of text with positions."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Segment:
    """A run of text that a chunk never crosses: one page, or one section.

    `anchors` marks where page-less positions begin inside `text` (offset, label), e.g.
    (0, "¶3"), so a chunk can say which paragraph it starts in.
    """

    text: str
    page: int | None = None
    heading_path: tuple[str, ...] = ()
    anchors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ParsedDocument:
    title: str
    segments: list[Segment]
    pages: int = 0          # page count for paged formats, 0 otherwise
    header_pages: int = 0   # pages whose running header/footer lines were left out

    @property
    def char_count(self) -> int:
        return sum(len(s.text.strip()) for s in self.segments)


class HeadingTracker:
    """The current heading path while walking a document top to bottom."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(title for _, title in self._stack)
