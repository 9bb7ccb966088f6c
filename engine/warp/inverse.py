"""The edit that undoes an edit, computed from the outline as it was before it.

The desktop's undo stack pairs each user edit with its inverse; both go through the
same path as any edit (straight into the project, or to a running agent), so undo works
while the agent writes too. Agent requests (Deepen, Rewrite) have no inverse: they ask
for work, and the text they replace stays in the section's history.
"""
from __future__ import annotations

from engine.report.outline import Node, Outline
from engine.warp.edits import (AddNode, DeleteNode, Edit, EditNode, LockNode, MoveNode,
                               RestoreNode, RestoreText, SetTitle)


def _locate(outline: Outline, node_id: str) -> tuple[Node, str | None, int]:
    """(node, parent id, index among its siblings)."""
    def search(nodes: list[Node], parent: str | None):
        for index, node in enumerate(nodes):
            if node.node_id == node_id:
                return node, parent, index
            found = search(node.subsections, node.node_id)
            if found:
                return found
        return None
    found = search(outline.sections, None)
    if found is None:
        raise KeyError(f"no node with id {node_id}")
    return found


def inverse_edit(outline: Outline, edit: Edit) -> Edit | None:
    """The edit that puts `outline` back after `edit` is applied to it; None when the
    edit cannot be undone this way. AddNode needs its node_id set by the caller."""
    if isinstance(edit, SetTitle):
        return SetTitle(outline.title)
    if isinstance(edit, AddNode):
        return DeleteNode(edit.node_id) if edit.node_id else None
    if isinstance(edit, (RestoreNode,)):
        return DeleteNode(edit.node["node_id"])
    node, parent, index = _locate(outline, getattr(edit, "node_id"))
    if isinstance(edit, EditNode):
        if edit.content is not None:
            return RestoreText(node.node_id, node.content, node.author)
        return EditNode(node.node_id,
                        title=node.title if edit.title is not None else None,
                        plan=node.plan if edit.plan is not None else None)
    if isinstance(edit, RestoreText):
        return RestoreText(node.node_id, node.content, node.author)
    if isinstance(edit, DeleteNode):
        return RestoreNode(node.to_dict(), parent, index)
    if isinstance(edit, MoveNode):
        return MoveNode(node.node_id, parent, index)
    if isinstance(edit, LockNode):
        return LockNode(node.node_id, locked=node.locked)
    return None
