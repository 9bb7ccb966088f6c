"""The user's edits: made undoable, then sent to the running agent or committed straight
into the project (refused, in words, where another process writes it)."""
from __future__ import annotations

from desktop.run.step_limit import room_for_agent
from desktop.common.messages import STATUS_MS
from engine.warp.edits import Deepen, EditError, Rewrite


class EditOperations:
    def submit_edit(self, edit) -> None:
        """A user edit, made undoable where it can be (Edit > Undo)."""
        self.history.push(edit)

    def _apply_edit(self, edit) -> bool:
        """Route an edit: to the running agent, or straight into the project. False
        when it was refused (or declined at the step limit)."""
        if self.running:
            self.worker.submit(edit)
            if getattr(edit, "node_id", None):
                self.outline.mark_pending(edit.node_id)
            self.statusBar().showMessage("Edit sent; the agent applies it after its "
                                         "current step.", STATUS_MS)
            return True
        if self.store is None:
            return False
        if self.extras.follow.active:
            self.statusBar().showMessage(self.extras.follow.refusal(), STATUS_MS)
            return False
        asks_agent = isinstance(edit, (Deepen, Rewrite))
        if asks_agent and not self._extend_limit_if_needed(edit):
            return False
        from engine.project.errors import ProjectBusy, ProjectError
        from engine.warp.coediting import commit_edit

        try:
            description = commit_edit(self.store, edit)
        except ProjectBusy as exc:       # another process started writing it: follow it
            self.statusBar().showMessage(f"Edit not applied: {exc}", STATUS_MS)
            self.extras.follow.follow(str(self.store.path))
            return False
        except (EditError, KeyError, ProjectError) as exc:
            self.statusBar().showMessage(f"Edit refused: {exc}", STATUS_MS)
            self.log.append_line(f"      ! edit refused: {exc}\n")
            return False
        self.reload_outline()
        self.statusBar().showMessage(description[:1].upper() + description[1:], STATUS_MS)
        node_id = getattr(edit, "node_id", "")
        if node_id and getattr(edit, "content", None) is not None:
            self.extras.checks.text_changed(node_id)   # its sentences are checked again
        if asks_agent:
            self._start_run()   # the user asked the agent to act now
        return True

    def _extend_limit_if_needed(self, edit) -> bool:
        """At the step limit, ask whether (and by how much) to extend it."""
        if room_for_agent(self, self.store, self.run_bar.max_steps, edit):
            return True
        self.statusBar().showMessage("Not started: the report has used its step limit.",
                                     STATUS_MS)
        return False
