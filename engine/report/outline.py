"""The outline tree, positions and cursor, exactly as the WARP protocol defines them.

A node is written when it has `content`. Positions are 1-based dotted paths
(`section-2.1.3`), at most three levels. The cursor is `"outline"` while there is no
outline, otherwise the first node depth-first that is not written, `None` when all are.

Deepdraft additions (not seen by the model): a stable `node_id` for the GUI, `locked`
and `author` ("agent" or "user"). Locked nodes and user-written text are never
overwritten by the agent; a locked node with no content is skipped by the cursor (the
user has reserved it).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Iterator

MAX_DEPTH = 3
OUTLINE_CURSOR = "outline"
_POSITION = re.compile(r"^section-(\d+(?:\.\d+){0,2})$")


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class Node:
    title: str
    plan: str = ""
    content: str | None = None
    subsections: list["Node"] = field(default_factory=list)
    locked: bool = False
    author: str = "agent"
    node_id: str = field(default_factory=_new_id)

    @property
    def written(self) -> bool:
        return self.content is not None

    def to_dict(self) -> dict:
        data: dict = {"title": self.title, "plan": self.plan}
        if self.content is not None:
            data["content"] = self.content
        if self.subsections:
            data["subsections"] = [child.to_dict() for child in self.subsections]
        data.update(locked=self.locked, author=self.author, node_id=self.node_id)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Node":
        return cls(title=data.get("title", ""), plan=data.get("plan", ""),
                   content=data.get("content"),
                   subsections=[cls.from_dict(c) for c in data.get("subsections", [])],
                   locked=bool(data.get("locked", False)),
                   author=data.get("author", "agent"),
                   node_id=data.get("node_id") or _new_id())


def parse_position(position: str) -> list[int]:
    """'section-2.1' -> [2, 1]; ValueError for anything else."""
    match = _POSITION.match(position.strip()) if isinstance(position, str) else None
    if not match:
        raise ValueError(f"not a position: {position!r}")
    indexes = [int(part) for part in match.group(1).split(".")]
    if any(index < 1 for index in indexes):
        raise ValueError(f"positions are 1-based: {position!r}")
    return indexes


def format_position(indexes: list[int]) -> str:
    return "section-" + ".".join(str(i) for i in indexes)


def depth_of(position: str) -> int:
    """Outline level: `outline` 0, `section-2` 1, `section-2.1` 2, `section-2.1.3` 3."""
    return 0 if position == OUTLINE_CURSOR else len(parse_position(position))


@dataclass
class Outline:
    title: str = ""
    sections: list[Node] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sections

    def walk(self) -> Iterator[tuple[str, Node]]:
        """(position, node) depth-first, parents before children."""
        def visit(nodes: list[Node], prefix: list[int]):
            for index, node in enumerate(nodes, start=1):
                path = prefix + [index]
                yield format_position(path), node
                yield from visit(node.subsections, path)
        yield from visit(self.sections, [])

    def node_at(self, position: str) -> Node:
        nodes, node = self.sections, None
        for index in parse_position(position):
            if index > len(nodes):
                raise KeyError(f"no node at {position}")
            node = nodes[index - 1]
            nodes = node.subsections
        assert node is not None
        return node

    def position_of(self, node_id: str) -> str:
        for position, node in self.walk():
            if node.node_id == node_id:
                return position
        raise KeyError(f"no node with id {node_id}")

    def cursor(self) -> str | None:
        if self.empty:
            return OUTLINE_CURSOR
        for position, node in self.walk():
            if not node.written and not node.locked:
                return position
        return None

    def last_written(self, before: str | None = None) -> str:
        """The last written position depth-first that comes before `before` (the whole
        outline when None; `outline` if none), for focusing. Before the cursor, as the
        authors' code does: after deepening section-2 the writer works inside section-2,
        not after the last section written earlier."""
        last = OUTLINE_CURSOR
        for position, node in self.walk():
            if position == before:
                break
            if node.written:
                last = position
        return last

    def count_by_level(self) -> dict[int, int]:
        counts = {1: 0, 2: 0, 3: 0}
        for position, _ in self.walk():
            level = depth_of(position)
            counts[level] = counts.get(level, 0) + 1
        return counts

    def to_dict(self) -> dict:
        return {"title": self.title, "sections": [n.to_dict() for n in self.sections]}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Outline":
        data = data or {}
        return cls(title=data.get("title", ""),
                   sections=[Node.from_dict(n) for n in data.get("sections", [])])

    def copy(self) -> "Outline":
        return Outline.from_dict(self.to_dict())
