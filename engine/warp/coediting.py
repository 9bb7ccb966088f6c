"""Apply the user's co-editing commands to a project while no run is going.

Only the holder of the project lock writes: in a process with no run, `commit_edit`
takes the lock for its one transaction; while another process runs the project it is
refused with that process named (engine.project.run_lock).

A running WarpRun takes edits through `submit()` and applies them at its next step
boundary; between runs the desktop (or any caller) uses `commit_edit` instead, which
applies the same edit to the stored outline and records it as a decision, exactly as
the run would. `Deepen` is queued in the run state, so the next resume acts on it.
"""
from __future__ import annotations

import dataclasses

from engine.project.project_store import ProjectStore
from engine.report.outline import Outline
from engine.warp.edits import Deepen, Edit, EditError, apply_edit
from engine.warp.state import RunState
from engine.warp.step_prompt import extend_positions


def request_deepen(outline: Outline, state: RunState, node_id: str) -> str:
    """Queue node_id for deepening at the next extend-plan step."""
    position = outline.position_of(node_id)
    if position not in extend_positions(outline):
        raise EditError(f"{position} cannot be deepened (it has subsections or is level 3)")
    if node_id not in state.deepen:
        state.deepen.append(node_id)
    return f"deepen {position} requested"


def prune_deepen(outline: Outline, state: RunState) -> list[str]:
    """Drop deepening requests an edit made impossible (node deleted, given subsections,
    moved to level 3); returns a note for each one dropped."""
    allowed = set(extend_positions(outline))
    kept, dropped = [], []
    for node_id in state.deepen:
        try:
            position = outline.position_of(node_id)
        except KeyError:
            dropped.append("a node you asked to deepen was deleted")
            continue
        if position in allowed:
            kept.append(node_id)
        else:
            dropped.append(f"{position} can no longer be deepened")
    state.deepen = kept
    return dropped


def apply_user_edit(outline: Outline, state: RunState, edit: Edit) -> str:
    """Apply an edit in memory (a Deepen goes into the run state); the run and
    commit_edit both go through here."""
    if isinstance(edit, Deepen):
        return request_deepen(outline, state, edit.node_id)
    description = apply_edit(outline, edit)
    dropped = prune_deepen(outline, state)
    return description + "".join(f"; {note}, request dropped" for note in dropped)


def commit_edit(store: ProjectStore, edit: Edit) -> str:
    """Apply one edit to the stored project and persist it; returns a description.

    Raises EditError (or KeyError for an unknown node) when the edit is refused, and
    ProjectBusy (naming the holder) while another process writes the project; the
    project is then unchanged. The read, the change and the write share the project
    lock, so no run commits in between and overwrites the edit."""
    with store.writer():
        outline = store.load_outline()
        state = RunState.from_dict(store.load_run_state())
        description = apply_user_edit(outline, state, edit)
        payload = {"edit": type(edit).__name__, **dataclasses.asdict(edit),
                   "result": description}
        store.commit_decision(state.steps, "edit", payload, outline, state.to_dict(),
                              store.load_registry())
    return description
