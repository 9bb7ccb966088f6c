"""An edit the running agent refuses leaves the undo stack as it was (issue 21, item 2):
while the run waits at a review point, the user deletes a section and then renames it
(the window still shows it: the delete is pending); the agent applies the delete and
refuses the rename. Undo then restores the deleted section and never applies the inverse
of the rename that did not happen."""
from __future__ import annotations

from engine.project.project_store import ProjectStore
from engine.report.outline import Node, Outline
from engine.warp import events as ev
from engine.warp.edits import DeleteNode, EditNode

from tests.desktop.conftest import QUESTION
from tests.desktop.helpers import LONG, write_transcript

EXTEND = {"name": "extend-plan", "position": "section-1",
          "subsections": [{"title": "Rain", "plan": "r"}, {"title": "Ice", "plan": "i"}]}


def written_project(tmp_path):
    from engine.warp.run_factory import create_project

    store = create_project(tmp_path / "written.ddproj", QUESTION, model="demo")
    outline = Outline(title="Floods", sections=[
        Node("Causes", "c", content="Rain fell for weeks on end across the plains."),
        Node("Impact", "i", content="Villages stood under water for a month or more."),
        Node("Relief", "r", content="Agencies ran camps and clinics for the families.")])
    store.commit_decision(0, "test setup", {}, outline, {}, store.load_registry())
    path = store.path
    store.close()
    return path


def test_a_refused_edit_leaves_undo_as_it_was(window, qtbot, tmp_path):
    path = written_project(tmp_path)
    window.open_project(str(path))
    relief = window.outline.outline["sections"][2]["node_id"]
    window.run_bar.model.set_spec(write_transcript(tmp_path / "r.jsonl", [EXTEND]))
    window.run_bar.interactive.setChecked(True)
    refused = []
    window.worker.event.connect(lambda e: refused.append(
        (e, window.statusBar().currentMessage())) if isinstance(e, ev.EditRefused) else None)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.resume()
        qtbot.waitUntil(lambda: window.review.proposal is not None, timeout=LONG)
        window.submit_edit(DeleteNode(relief))
        window.submit_edit(EditNode(relief, title="Never applied"))
        assert window.history.stack.count() == 2
        window.review.accept_button.click()
        qtbot.waitUntil(lambda: bool(refused), timeout=LONG)
        window.stop()
    event, status = refused[0]
    assert event.refused == EditNode(relief, title="Never applied")
    assert status.startswith("Your edit was not applied") and "Undo no longer lists it" in status
    stack = window.history.stack
    assert (stack.count(), stack.index()) == (1, 1)
    assert stack.undoText() == "Delete section"
    stack.undo()                                         # brings Relief back, as it was
    store = ProjectStore.open(path)
    try:
        titles = [node.title for node in store.load_outline().sections]
    finally:
        store.close()
    assert titles == ["Causes", "Impact", "Relief"]
