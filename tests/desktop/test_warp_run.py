"""A WARP run driven from the real window: real library (Chroma, MiniLM), replay model,
interactive review, the user's own text, Stop, and export."""
from __future__ import annotations

from pathlib import Path

import pytest

from desktop.export_dialog import ExportDialog
from engine.project.project_store import ProjectStore
from engine.warp import events as ev
from engine.warp.validate import cited_keys

from .conftest import QUESTION
from .helpers import INIT, LONG, body, search, write_transcript

MY_TEXT = "My own account of the damage: whole villages stood under water for weeks."


@pytest.fixture
def indexed(window, qtbot, corpus_dir):
    """The window with the three small documents in its default library."""
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(corpus_dir)])
    assert len(window.library.paths()) == 3
    return window


def start_write(window, spec: str, max_steps: int) -> None:
    bar = window.run_bar
    bar.question.setText(QUESTION)
    bar.model.set_spec(spec)
    bar.interactive.setChecked(True)
    bar.max_steps.setValue(max_steps)
    assert window.write()


def wait_for_proposal(window, qtbot, action: str):
    qtbot.waitUntil(lambda: window.review.proposal is not None or not window.worker.busy,
                    timeout=LONG)
    assert window.review.proposal is not None, window.log.toPlainText()[-2000:]
    assert window.review.proposal.action == action
    assert window.review_dialog.isVisible()
    return window.review.proposal


def row_titles(window):
    return [window.outline.topLevelItem(i).text(1)
            for i in range(window.outline.topLevelItemCount())]


def statuses(window):
    return [window.outline.topLevelItem(i).text(2)
            for i in range(window.outline.topLevelItemCount())]


def test_write_review_edit_resume_and_export(indexed, qtbot, tmp_path, monkeypatch):
    window = indexed
    seen = []   # what the tree showed right after each OutlineChanged
    window.worker.event.connect(
        lambda e: seen.append(statuses(window)) if isinstance(e, ev.OutlineChanged) else None)

    # Run 1: stop at the step limit right after the reviewed outline.
    first = write_transcript(tmp_path / "one.jsonl", [search("monsoon rain floods"), INIT])
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        start_write(window, first, max_steps=2)
        assert window.run_bar.stop_button.isEnabled()
        assert not window.run_bar.write_button.isEnabled()
        wait_for_proposal(window, qtbot, "init-plan")
        assert window.review.table.rowCount() == 3
        window.review.title.setText("Floods of 2022")
        window.review.table.item(0, 0).setText("Why it flooded")
        window.review.accept_button.click()
    assert row_titles(window) == ["Why it flooded", "Impact", "Relief"]
    assert statuses(window) == ["[PLAN]"] * 3
    assert "done: step limit" in window.log.toPlainText()

    # Between runs the user writes section 2 in the editor.
    window.outline.setCurrentItem(window.outline.topLevelItem(1))
    window.editor.text.setPlainText(MY_TEXT)
    window.editor.save_button.click()
    assert statuses(window) == ["[PLAN]", "[OK] · user", "[PLAN]"]

    # Run 2 (resume): the agent writes sections 1 and 3 only; its deepening is rejected.
    extend = {"name": "extend-plan", "position": "section-3",
              "subsections": [{"title": "Camps", "plan": "c"}, {"title": "Aid", "plan": "a"}]}
    second = write_transcript(tmp_path / "two.jsonl", [
        search("flood causes"), body("textid1", "textid2"), search("relief camps"),
        body("textid3"), extend, {"name": "nop"}])
    window.run_bar.model.set_spec(second)
    window.run_bar.max_steps.setValue(40)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.resume()
        proposal = wait_for_proposal(window, qtbot, "extend-plan")
        assert window.review.title.isHidden()
        assert [window.review.table.item(r, 0).text() for r in range(2)] == ["Camps", "Aid"]
        window.review.reject_button.click()
    assert proposal.decision == "reject"
    assert "done: complete" in window.log.toPlainText()
    assert statuses(window) == ["[OK]", "[OK] · user", "[OK]"]
    # The activity feed told the run in words; the reading view shows the report.
    lines = window.activity.lines()
    assert any(line.startswith("Searching 'flood causes': ") and " passages from " in line
               for line in lines), lines
    assert any(line.startswith("Writing 1 Why it flooded: cites 2 passages from ")
               for line in lines), lines
    assert "Finished: the report is complete" in lines
    assert "Step " in window.activity.status.text()
    assert "3 of 3 sections written" in window.draft.reading.summary.text()
    assert window.outline.topLevelItem(2).childCount() == 0   # the rejection kept it flat
    assert ["[OK]", "[OK] · user", "[PLAN]"] in seen          # live updates between writes
    assert window.stats.values["finished"].text() == "complete"

    store = ProjectStore.open(window.store.path)
    outline, registry = store.load_outline(), store.load_registry()
    impact = outline.sections[1]
    assert (impact.content, impact.author) == (MY_TEXT, "user")   # never overwritten
    writes = [s["cursor"] for s in store.steps() if s["kind"] == "write" and s["valid"]]
    assert writes == ["section-1", "section-3"]
    for node in (outline.sections[0], outline.sections[2]):
        for key in cited_keys(node.content):
            assert Path(registry.resolve(key).path).name in {"rain.md", "glaciers.txt",
                                                             "relief.md"}
    store.close()

    # Export the finished report to Word.
    target = tmp_path / "floods.docx"
    monkeypatch.setattr(ExportDialog, "ask", lambda *a, **k: (str(target), False))
    with qtbot.waitSignal(window.exporter.finished, timeout=LONG):
        window.run_bar.export_button.click()
    assert target.is_file()
    assert "Exported" in window.statusBar().currentMessage()
    import docx

    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Floods of 2022" in text and MY_TEXT in text and "\\cite" not in text


def test_export_the_draft_while_the_agent_waits_for_review(indexed, qtbot, tmp_path):
    """Export does not wait for the run: the draft so far goes to Word mid-run."""
    window = indexed
    extend = {"name": "extend-plan", "position": "section-1",
              "subsections": [{"title": "Rain", "plan": "r"}, {"title": "Ice", "plan": "i"}]}
    spec = write_transcript(tmp_path / "mid.jsonl", [
        search("floods"), INIT, search("flood causes"), body("textid1"),
        search("flood impact"), body("textid1"), search("flood relief"), body("textid1"), extend])
    target = tmp_path / "draft.docx"
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        start_write(window, spec, max_steps=9)
        wait_for_proposal(window, qtbot, "init-plan")
        window.review.accept_button.click()
        wait_for_proposal(window, qtbot, "extend-plan")
        assert window.worker.busy and window.run_bar.export_button.isEnabled()
        with qtbot.waitSignal(window.exporter.finished, timeout=LONG):
            assert window.export(str(target))
        assert window.worker.busy   # the run is still waiting for the review
        # Text saved mid-run shows as pending until the agent's step ends.
        window.outline.setCurrentItem(window.outline.topLevelItem(2))
        window.editor.text.setPlainText(MY_TEXT)
        window.editor.save_button.click()
        assert statuses(window)[2] == "[OK] · edit pending"
        window.review.reject_button.click()
    assert statuses(window) == ["[OK]", "[OK]", "[OK] · user"]
    import docx

    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "The 2022 floods" in text and "useful detail" in text and "\\cite" not in text


def test_stop_at_a_review_point_cancels_the_run(indexed, qtbot, tmp_path):
    window = indexed
    spec = write_transcript(tmp_path / "stop.jsonl", [search("floods"), INIT])
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        start_write(window, spec, max_steps=40)
        proposal = wait_for_proposal(window, qtbot, "init-plan")
        window.run_bar.stop_button.click()
    assert proposal.decision == "reject"
    assert "done: cancelled" in window.log.toPlainText()
    assert window.outline.topLevelItemCount() == 0 and not window.review.isEnabled()
    assert window.run_bar.write_button.isEnabled() and window.run_bar.resume_button.isEnabled()
    assert not window.running


def test_deepen_with_agent_from_an_idle_project(window, qtbot, planned_project, tmp_path):
    window.open_project(str(planned_project))
    extend = {"name": "extend-plan", "position": "section-1",
              "subsections": [{"title": "Rain", "plan": "r"}, {"title": "Glaciers", "plan": "g"}]}
    window.run_bar.model.set_spec(write_transcript(tmp_path / "deepen.jsonl", [extend]))
    window.run_bar.max_steps.setValue(1)
    window.outline.setCurrentItem(window.outline.topLevelItem(0))
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        window.outline.actions_by_name["deepen"].trigger()   # queued, then the agent runs
        assert window.running
    causes = window.outline.topLevelItem(0)
    assert [causes.child(i).text(1) for i in range(causes.childCount())] == ["Rain", "Glaciers"]
    store = ProjectStore.open(planned_project)
    assert [(s["kind"], s["valid"]) for s in store.steps()] == [("extend-plan", True)]
    store.close()
