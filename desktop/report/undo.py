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
        self.refused = False            # the running agent refused it later

    def redo(self) -> None:
        if self.refused or not self._apply(self.edit):
            self.setObsolete(True)      # refused: it leaves the stack

    def undo(self) -> None:
        if not self.refused:            # never the inverse of an edit that never happened
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

    def refused(self, edit) -> bool:
        """The running agent refused `edit` after it was pushed (edits during a run are
        applied after the current step): its command leaves the stack without its undo
        being applied. True when it was found."""
        for index in range(self.stack.count() - 1, -1, -1):
            command = self.stack.command(index)
            if isinstance(command, _EditCommand) and not command.refused and \
                    command.edit == edit:
                command.refused = True
                command.setObsolete(True)
                if index == self.stack.index() - 1:
                    self.stack.undo()   # an obsolete command is dropped, not undone
                return True
        return False

    def actions(self, parent) -> tuple[QAction, QAction]:
        """Edit menu items with the platform's shortcuts."""
        undo = self.stack.createUndoAction(parent, "&Undo")
        redo = self.stack.createRedoAction(parent, "&Redo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        return undo, redo

    def clear(self) -> None:
        self.stack.clear()
