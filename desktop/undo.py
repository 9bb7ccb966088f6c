"""Undo and redo for the user's edits (outline changes and text saves) on a QUndoStack.

Each edit is paired with its inverse (engine.warp.inverse), computed from the outline the
window shows when the edit is made. Both go through the window's one edit path, so undo
works between runs and while the agent writes. Agent requests (Deepen, Rewrite) are not
undoable; the text they replace stays in the section's history.
"""
from __future__ import annotations

import dataclasses
import uuid
from typing import Callable

from desktop.qt import QAction, QKeySequence, QObject, QUndoCommand, QUndoStack
from engine.report.outline import Outline
from engine.warp.edits import AddNode, EditNode
from engine.warp.inverse import inverse_edit

UNDO_LEVELS = 100
Apply = Callable[[object], bool]       # apply(edit) -> False when the edit was refused


def describe(edit) -> str:
    if isinstance(edit, EditNode) and edit.content is not None:
        return "Save section text"
    return {"EditNode": "Edit section", "AddNode": "Add section", "DeleteNode":
            "Delete section", "MoveNode": "Move section", "LockNode": "Lock section",
            "RestoreText": "Restore text", "RestoreNode": "Restore section",
            "SetTitle": "Rename report"}.get(type(edit).__name__, "Edit")


class _EditCommand(QUndoCommand):
    def __init__(self, apply: Apply, edit, inverse) -> None:
        super().__init__(describe(edit))
        self._apply, self.edit, self.inverse = apply, edit, inverse

    def redo(self) -> None:
        if not self._apply(self.edit):
            self.setObsolete(True)      # refused: it leaves the stack

    def undo(self) -> None:
        self._apply(self.inverse)


class EditHistory(QObject):
    """`push(edit)` applies an edit through `apply`, undoably when it can be undone."""

    def __init__(self, apply: Apply, outline: Callable[[], dict], parent=None) -> None:
        super().__init__(parent)
        self._apply, self._outline = apply, outline
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LEVELS)

    def push(self, edit) -> None:
        if isinstance(edit, AddNode) and not edit.node_id:
            edit = dataclasses.replace(edit, node_id=uuid.uuid4().hex[:12])
        try:
            inverse = inverse_edit(Outline.from_dict(self._outline()), edit)
        except KeyError:
            inverse = None
        if inverse is None:
            self._apply(edit)
        else:
            self.stack.push(_EditCommand(self._apply, edit, inverse))

    def actions(self, parent) -> tuple[QAction, QAction]:
        """Edit menu items with the platform's shortcuts."""
        undo = self.stack.createUndoAction(parent, "&Undo")
        redo = self.stack.createRedoAction(parent, "&Redo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        return undo, redo

    def clear(self) -> None:
        self.stack.clear()
