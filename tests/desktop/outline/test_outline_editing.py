"""Editing the outline while no run is going: every tree action becomes an engine edit
committed to the project, and the tree shows the result."""
from __future__ import annotations

import pytest

from desktop.qt import QInputDialog, QMessageBox
from engine.project.project_store import ProjectStore


def titles(window):
    tree = window.outline
    return [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]


def select(window, title):
    item = next(i for i in window.outline._items() if i.text(1) == title)
    window.outline.setCurrentItem(item)
    return item


@pytest.fixture
def opened(window, planned_project):
    window.open_project(str(planned_project))
    return window


def test_opening_a_project_shows_its_outline(opened):
    tree = opened.outline
    assert titles(opened) == ["Causes", "Impact", "Relief"]
    impact = tree.topLevelItem(1)
    assert [impact.child(i).text(0) for i in range(2)] == ["2.1", "2.2"]
    assert tree.topLevelItem(0).text(2) == "[PLAN]"
    assert tree.topLevelItem(2).text(2) == "[OK]"
    assert opened.run_bar.question.text().startswith("What caused")
    assert opened.run_bar.resume_button.isEnabled()


def test_rename_move_lock_delete(opened, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Root causes", True))
    select(opened, "Causes")
    opened.outline.actions_by_name["rename"].trigger()
    assert titles(opened) == ["Root causes", "Impact", "Relief"]

    opened.outline.actions_by_name["down"].trigger()
    assert titles(opened) == ["Impact", "Root causes", "Relief"]
    assert opened.outline.selected_id() is not None   # selection follows the node

    select(opened, "Relief")
    opened.outline.actions_by_name["lock"].trigger()
    relief = select(opened, "Relief")
    assert relief.text(2) == "[OK] · locked"
    assert opened.outline.actions_by_name["lock"].text() == "Unlock"

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    opened.outline.actions_by_name["delete"].trigger()   # refused: locked
    assert "Relief" in titles(opened)
    assert "locked" in opened.statusBar().currentMessage()
    select(opened, "Root causes")
    opened.outline.actions_by_name["delete"].trigger()
    assert titles(opened) == ["Impact", "Relief"]

    store = ProjectStore.open(opened.store.path)   # persisted, with the decisions logged
    assert [n.title for n in store.load_outline().sections] == ["Impact", "Relief"]
    assert [d["payload"]["edit"] for d in store.decisions() if d["kind"] == "edit"] == [
        "EditNode", "MoveNode", "LockNode", "DeleteNode"]
    store.close()


def test_add_section_subsection_and_plan(opened, monkeypatch):
    answers = iter([("Outlook", True), ("Frameworks", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("what next", True))
    select(opened, "Causes")
    opened.outline.actions_by_name["add"].trigger()
    assert titles(opened) == ["Causes", "Outlook", "Impact", "Relief"]
    select(opened, "Outlook")
    opened.outline.actions_by_name["add_sub"].trigger()
    outlook = select(opened, "Outlook")
    assert outlook.child(0).text(1) == "Frameworks" and outlook.child(0).text(0) == "2.1"
    assert outlook.child(0).text(2) == "[PLAN] · user"

    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("new plan", True))
    select(opened, "Causes")
    opened.outline.actions_by_name["plan"].trigger()
    assert opened.editor.plan.text() == "Plan: new plan"


def test_saving_the_editor_marks_the_section_user_written(opened):
    select(opened, "Causes")
    assert opened.editor.heading.text() == "1  Causes"
    assert not opened.editor.save_button.isEnabled()
    opened.editor.text.setPlainText("My own words on the causes of the floods.")
    assert opened.editor.dirty and opened.editor.save_button.isEnabled()
    opened.editor.save_button.click()
    assert select(opened, "Causes").text(2) == "[OK] · user"
    node = opened.store.load_outline().sections[0]
    assert node.content == "My own words on the causes of the floods." and node.author == "user"


def test_rewrite_of_user_text_is_refused(opened):
    select(opened, "Causes")
    opened.editor.text.setPlainText("Mine.")
    opened.editor.save()
    opened.outline.actions_by_name["rewrite"].trigger()
    assert "refused" in opened.statusBar().currentMessage()
    assert not opened.worker.busy
