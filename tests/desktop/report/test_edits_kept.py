"""Nothing the user wrote is lost: leaving a section or closing the window keeps the
text; undo/redo over a mixed sequence of edits; every version in History, restorable;
Deepen at the step limit asks before running."""
from __future__ import annotations

import pytest

from desktop.qt import QInputDialog
from engine.project.project_store import ProjectStore
from engine.warp.edits import AddNode, DeleteNode, EditNode, LockNode, MoveNode

from tests.desktop.evidence_project import build_project, manifest_library

TYPED = "Text I typed and never saved: the rivers rose within days."


@pytest.fixture
def opened(window, tmp_path):
    store, _ = build_project(tmp_path / "floods.ddproj", manifest_library())
    path = store.path
    store.close()
    window.open_project(str(path))
    return window, path


def node(path, index: int):
    store = ProjectStore.open(path)
    try:
        return store.load_outline().sections[index]
    finally:
        store.close()


def select(window, row: int):
    window.outline.setCurrentItem(window.outline.topLevelItem(row))


def test_typing_survives_switching_sections_and_closing(opened):
    window, path = opened
    select(window, 2)
    window.editor.text.setPlainText(TYPED)
    select(window, 0)                                     # leave without saving
    kept = node(path, 2)
    assert kept.content == TYPED and kept.author == "user"
    select(window, 1)
    window.editor.text.setPlainText(TYPED + " Again.")
    window.close()                                        # close without saving
    assert node(path, 1).content == TYPED + " Again."


def outline_of(path) -> dict:
    store = ProjectStore.open(path)
    try:
        return store.load_outline().to_dict()
    finally:
        store.close()


def test_undo_and_redo_round_trip_a_mixed_sequence(opened):
    window, path = opened
    before = outline_of(path)
    ids = [s["node_id"] for s in before["sections"]]
    edits = [EditNode(ids[0], title="Why it flooded"), AddNode("Lessons", "what to change"),
             EditNode(ids[2], content="Camps and clinics helped."), MoveNode(ids[0], None, 2),
             LockNode(ids[1]), DeleteNode(ids[2])]
    for edit in edits:
        window.outline.edit_requested.emit(edit)
    after = outline_of(path)
    assert [s["title"] for s in after["sections"]] == ["Impact", "Why it flooded", "Lessons"]
    stack = window.history.stack
    assert stack.count() == len(edits) and stack.undoLimit() >= 50
    for _ in edits:
        stack.undo()
    assert outline_of(path) == before
    for _ in edits:
        stack.redo()
    assert outline_of(path) == after
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    texts = [a.text() for a in edit_menu.actions()]
    assert any(t.startswith("&Undo") for t in texts) and any(t.startswith("&Redo") for t in texts)


def test_history_keeps_every_version_and_restores_one(opened):
    window, path = opened
    select(window, 0)
    agent_text = node(path, 0).content
    window.editor.text.setPlainText("My rewrite of the causes, with no citations at all.")
    window.editor.save_button.click()
    dialog = window.draft.open_history(node(path, 0).node_id)
    assert dialog.list.count() == 2
    assert "by you" in dialog.list.item(0).text() and "by the agent" in dialog.list.item(1).text()
    dialog.select(1)
    assert "monsoon" in dialog.diff.toPlainText()
    dialog.restore_button.click()
    assert node(path, 0).content == agent_text
    window.history.stack.undo()
    assert node(path, 0).content.startswith("My rewrite")


def test_deepen_at_the_step_limit_asks_to_extend_it(opened, monkeypatch):
    window, path = opened
    window.run_bar.max_steps.setValue(1)                  # the project has used 1 step
    asked = []
    monkeypatch.setattr(QInputDialog, "getInt",
                        lambda *a, **k: asked.append(a[2]) or (0, False))
    select(window, 2)
    window.outline.actions_by_name["deepen"].trigger()
    assert asked and "used 1 of its 1 steps" in asked[0]
    assert not window.worker.busy
    assert "step limit" in window.statusBar().currentMessage()
    started = []
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (5, True))
    monkeypatch.setattr(window, "_start_run", lambda: started.append(
        window.run_bar.max_steps.value()) or True)
    window.outline.actions_by_name["deepen"].trigger()
    assert started == [6]
