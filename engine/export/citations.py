"""Citation keys -> numbered references, shared by the DOCX and Markdown exporters.

Sections carry WARP citations, `\\cite{textid3, textid7}`. Before any Markdown parsing each
one becomes a placeholder `\\ue000N\\ue001` (N indexes `CitationNumbering.groups`): the
placeholder has no Markdown meaning, so it survives parsing intact, and numbers are given
in source order, which is reading order in both exporters; the markers of one group are
in ascending order (the window's "[1, 3]" comes from the same groups).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath, PureWindowsPath

from engine.cite import CITE
from engine.export.text import clean_text
from engine.library.types import Passage

PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class Marker:
    key: str
    number: int | None            # None: the key is not in the report's citations

    @property
    def label(self) -> str:
        return f"[{self.number}]" if self.number is not None else f"[?{self.key}]"


@dataclass(frozen=True)
class Reference:
    number: int
    passage: Passage

    @property
    def title(self) -> str:
        return clean_text(self.passage.title).strip()

    @property
    def detail(self) -> str:
        """File name and position, e.g. 'floods.pdf, p. 3'."""
        name = _file_name(self.passage.path)
        where = clean_text(self.passage.where() or " > ".join(self.passage.heading_path))
        return ", ".join(part for part in (name, where.strip()) if part)

    def text(self) -> str:
        parts = [part for part in (self.title, self.detail) if part]
        return ". ".join(parts) + "." if parts else "(unknown source)."


def _file_name(path: str) -> str:
    # Projects move between machines: a Windows path must still yield its file name.
    name = PureWindowsPath(path).name if "\\" in path else PurePath(path).name
    return clean_text(name)


class CitationNumbering:
    """Numbers passages on first use; two keys for the same file and place share one."""

    def __init__(self, citations: dict[str, Passage]) -> None:
        self._citations = citations
        self._by_place: dict[tuple[str, str], int] = {}
        self.references: list[Reference] = []
        self.groups: list[list[Marker]] = []
        self.warnings: list[str] = []
        self._warned: set[str] = set()

    def mark(self, markdown: str) -> str:
        """`markdown` with each \\cite{...} replaced by a numbered placeholder."""
        return CITE.sub(self._replace, markdown)

    def _replace(self, match: re.Match) -> str:
        keys = [k.strip() for k in match.group(1).split(",")]
        markers, seen = [], set()
        for key in keys:
            if key and key not in seen:
                seen.add(key)
                markers.append(self._marker(key))
        if not markers:
            self._warn("", "an empty \\cite{} was dropped")
            return ""
        # ascending within a group ([1][3], never [3][1]); unknown keys last, as written
        markers.sort(key=lambda m: (m.number is None, m.number or 0))
        self.groups.append(markers)
        return f"\ue000{len(self.groups) - 1}\ue001"

    def _marker(self, key: str) -> Marker:
        passage = self._citations.get(key)
        if passage is None:
            self._warn(key, f"citation key {key!r} is not in the report's sources; "
                            f"shown as [?{key}]")
            return Marker(key, None)
        place = (passage.path, passage.where() or " > ".join(passage.heading_path))
        if place not in self._by_place:
            self._by_place[place] = len(self.references) + 1
            self.references.append(Reference(len(self.references) + 1, passage))
        return Marker(key, self._by_place[place])

    def _warn(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(message)


def split_citations(text: str, groups: list[list[Marker]]) -> list[str | list[Marker]]:
    """Plain-text pieces and marker groups, in order, for text holding placeholders."""
    pieces: list[str | list[Marker]] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            pieces.append(text[position:match.start()])
        pieces.append(groups[int(match.group(1))])
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return pieces


def plain_citations(text: str, groups: list[list[Marker]]) -> str:
    """Placeholders rendered as plain labels, e.g. '[1][2]'."""
    return PLACEHOLDER.sub(
        lambda m: "".join(marker.label for marker in groups[int(m.group(1))]), text)
