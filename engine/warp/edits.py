"""The user's co-editing commands, applied between steps.

Nodes are named by `node_id` (stable while positions shift). Text the user writes is
marked `author="user"` and, like locked nodes, never overwritten by the agent. The
cursor stays the protocol's: an edit only changes which node is first unwritten.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.report.outline import MAX_DEPTH, Node, Outline, depth_of


class EditError(ValueError):
    pass


@dataclass
class EditNode:
    node_id: str
    title: str | None = None
    plan: str | None = None
    content: str | None = None      # user-written text; "" clears nothing, use Rewrite


@dataclass
class AddNode:
    title: str
    plan: str = ""
    parent_id: str | None = None    # None: a new level-1 section
    index: int | None = None        # None: at the end
    node_id: str | None = None      # chosen by the caller (so undo can name it); None: new


@dataclass
class DeleteNode:
    node_id: str


@dataclass
class MoveNode:
    node_id: str
    parent_id: str | None
    index: int


@dataclass
class LockNode:
    node_id: str
    locked: bool = True


@dataclass
class SetTitle:
    title: str


@dataclass
class Deepen:
    """Ask the agent to add subsections under this node at the next step."""
    node_id: str


@dataclass
class Rewrite:
    """Ask the agent to rewrite this section with fresh evidence (clears its text)."""
    node_id: str


@dataclass
class RestoreText:
    """Put a section's text and author back exactly (undo of a text change)."""
    node_id: str
    content: str | None
    author: str = "agent"


@dataclass
class RestoreNode:
    """Put a deleted section back, subtree and ids included (undo of a delete)."""
    node: dict                      # Node.to_dict()
    parent_id: str | None
    index: int


Edit = RestoreText | RestoreNode | EditNode | AddNode | DeleteNode | MoveNode | LockNode | SetTitle | Deepen | Rewrite


def _find(outline: Outline, node_id: str) -> tuple[list[Node], Node]:
    def search(nodes: list[Node]):
        for node in nodes:
            if node.node_id == node_id:
                return nodes, node
            found = search(node.subsections)
            if found:
                return found
        return None
    found = search(outline.sections)
    if not found:
        raise EditError(f"no node with id {node_id}")
    return found


def _height(node: Node) -> int:
    return 1 + max((_height(c) for c in node.subsections), default=0)


def _children_of(outline: Outline, parent_id: str | None) -> tuple[list[Node], int]:
    """The list a new child goes into, and the level it would have."""
    if parent_id is None:
        return outline.sections, 1
    _, parent = _find(outline, parent_id)
    return parent.subsections, depth_of(outline.position_of(parent_id)) + 1


def apply_edit(outline: Outline, edit: Edit) -> str:
    """Apply one edit in place; returns a description. Raises EditError if refused."""
    if isinstance(edit, SetTitle):
        outline.title = edit.title
        return "report title changed"
    if isinstance(edit, EditNode):
        _, node = _find(outline, edit.node_id)
        if edit.title is not None:
            node.title = edit.title
        if edit.plan is not None:
            node.plan = edit.plan
        if edit.content is not None:
            node.content, node.author = edit.content, "user"
        return f"edited {node.title!r}"
    if isinstance(edit, AddNode):
        siblings, level = _children_of(outline, edit.parent_id)
        if level > MAX_DEPTH:
            raise EditError(f"the outline has at most {MAX_DEPTH} levels")
        index = len(siblings) if edit.index is None else max(0, min(edit.index, len(siblings)))
        node = Node(title=edit.title, plan=edit.plan, author="user")
        if edit.node_id:
            node.node_id = edit.node_id
        siblings.insert(index, node)
        return f"added {edit.title!r}"
    if isinstance(edit, DeleteNode):
        siblings, node = _find(outline, edit.node_id)
        if node.locked:
            raise EditError(f"{node.title!r} is locked; unlock it first")
        siblings.remove(node)
        return f"deleted {node.title!r}"
    if isinstance(edit, MoveNode):
        return _move(outline, edit)
    if isinstance(edit, LockNode):
        _, node = _find(outline, edit.node_id)
        node.locked = edit.locked
        return f"{'locked' if edit.locked else 'unlocked'} {node.title!r}"
    if isinstance(edit, (RestoreText, RestoreNode)):
        return _restore(outline, edit)
    if isinstance(edit, Rewrite):
        _, node = _find(outline, edit.node_id)
        if node.locked or node.author == "user":
            raise EditError(f"{node.title!r} is locked or written by you; unlock or edit it")
        node.content = None
        return f"{node.title!r} will be rewritten"
    raise EditError(f"unknown edit {edit!r}")


def _restore(outline: Outline, edit: RestoreText | RestoreNode) -> str:
    if isinstance(edit, RestoreText):
        _, node = _find(outline, edit.node_id)
        node.content, node.author = edit.content, edit.author
        return f"text of {node.title!r} restored"
    node = Node.from_dict(edit.node)
    present = {n.node_id for _, n in outline.walk()}
    if any(n.node_id in present for _, n in Outline(sections=[node]).walk()):
        raise EditError(f"{node.title!r} is already in the outline")
    siblings, level = _children_of(outline, edit.parent_id)
    if level + _height(node) - 1 > MAX_DEPTH:
        raise EditError(f"the outline has at most {MAX_DEPTH} levels")
    siblings.insert(max(0, min(edit.index, len(siblings))), node)
    return f"restored {node.title!r}"


def _move(outline: Outline, edit: MoveNode) -> str:
    siblings, node = _find(outline, edit.node_id)
    if edit.parent_id is not None:
        if edit.parent_id == node.node_id or _contains(node, edit.parent_id):
            raise EditError("cannot move a section into itself")
    _, level = _children_of(outline, edit.parent_id)
    if level + _height(node) - 1 > MAX_DEPTH:
        raise EditError(f"the outline has at most {MAX_DEPTH} levels")
    siblings.remove(node)
    target, _ = _children_of(outline, edit.parent_id)
    target.insert(max(0, min(edit.index, len(target))), node)
    return f"moved {node.title!r}"


def _contains(node: Node, node_id: str) -> bool:
    return any(c.node_id == node_id or _contains(c, node_id) for c in node.subsections)
