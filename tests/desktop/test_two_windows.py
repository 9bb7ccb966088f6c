"""Two windows on one report (issue 21, item 1): while one window's run writes it, the
second opens it read-only under a banner naming the writer, refuses edits in words,
follows the steps as they are committed, and once the run ends offers Take over, after
which its edits go in. Nothing the run wrote is lost."""
from __future__ import annotations

from engine.project.project_store import ProjectStore
from engine.warp.edits import EditNode

from .conftest import QUESTION
from .helpers import INIT, LONG, body, search, write_transcript


def test_a_second_window_follows_read_only_then_takes_over(window, second_window, qtbot,
                                                            corpus_dir, tmp_path):
    second = second_window
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(corpus_dir)])
    window.run_bar.question.setText(QUESTION)
    window.run_bar.model.set_spec(write_transcript(tmp_path / "r.jsonl", [
        search("floods"), INIT, search("rain"), body("textid1"), search("people"),
        body("textid2"), search("relief"), body("textid3")]))
    window.run_bar.interactive.setChecked(True)
    window.run_bar.max_steps.setValue(8)
    assert window.write()
    qtbot.waitUntil(lambda: window.review.proposal is not None, timeout=LONG)
    path = str(window.store.path)

    second.open_project(path)                  # the first window's run holds it
    follow = second.extras.follow
    assert follow.active and follow.banner.isVisible()
    assert f"process {window.engine.pid}" in follow.banner.text.text()
    assert not follow.banner.take_over_button.isVisible()
    assert not second.resume()
    assert "read-only" in second.statusBar().currentMessage()

    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        window.review.accept_button.click()
    # The second window saw the steps arrive, then the writer go.
    qtbot.waitUntil(lambda: follow.banner.take_over_button.isVisible(), timeout=LONG)
    assert len(second.outline.outline["sections"]) == 3
    assert any(line.startswith("Writing") for line in second.activity.lines())
    node_id = second.outline.outline["sections"][0]["node_id"]
    assert not second._apply_edit(EditNode(node_id, title="Not yet"))   # still read-only
    assert "read-only" in second.statusBar().currentMessage()
    follow.banner.take_over_button.click()
    assert not follow.active and not follow.banner.isVisible()
    assert second._apply_edit(EditNode(node_id, title="Why it rained"))
    store = ProjectStore.open(path)
    try:
        outline = store.load_outline()
        assert outline.sections[0].title == "Why it rained"
        assert all(node.written for node in outline.sections)      # the run's text is kept
        assert len(store.steps()) == 8
    finally:
        store.close()
