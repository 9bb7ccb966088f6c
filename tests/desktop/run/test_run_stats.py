"""The window's run statistics are the engine's (engine.warp.stats), live during the run:
invalid deepening attempts are retries, not deepenings. And an edit the running agent
refuses arrives as a typed event the window handles by type."""
from __future__ import annotations

from engine.project.project_store import ProjectStore
from engine.warp import events as ev
from engine.warp.edits import EditNode

from tests.desktop.conftest import QUESTION
from tests.desktop.helpers import INIT, LONG, body, search, write_transcript

WRONG_KEYS = {"name": "extend-plan", "position": "section-1", "subsections": [], "why": 1}
EXTEND = {"name": "extend-plan", "position": "section-1",
          "subsections": [{"title": "Rain", "plan": "r"}, {"title": "Glaciers", "plan": "g"}]}
COUNTED = ("steps", "writes", "expansions", "retries", "completion_tokens",
           "prompt_tokens_evaluated")


def indexed(window, qtbot, corpus_dir):
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(corpus_dir)])


def start(window, spec: str, interactive: bool) -> None:
    window.run_bar.question.setText(QUESTION)
    window.run_bar.model.set_spec(spec)
    window.run_bar.interactive.setChecked(interactive)
    window.run_bar.max_steps.setValue(40)
    assert window.write()


def test_stats_panel_counts_deepenings_as_the_engine_does(window, qtbot, corpus_dir, tmp_path):
    indexed(window, qtbot, corpus_dir)
    replies = [search("monsoon rain floods"), INIT, search("c"), body("textid1"),
               search("i"), body("textid2"), search("r"), body("textid3"),
               WRONG_KEYS, EXTEND, search("rain"), body("textid1"), search("glaciers"),
               body("textid2"), WRONG_KEYS, {"name": "nop"}]
    shown = []   # (step, what the panel showed right after that step's event)
    window.worker.event.connect(lambda e: shown.append(
        (e.step, {k: window.stats.values[k].text() for k in COUNTED}))
        if isinstance(e, ev.StepFinished) else None)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        start(window, write_transcript(tmp_path / "t.jsonl", replies), interactive=False)
    assert "done: complete" in window.log.toPlainText(), window.log.toPlainText()[-2000:]

    # What each step should show, counted from the stored steps (not from events).
    steps = ProjectStore.open(window.store.path).steps()
    assert [s["kind"] for s in steps].count("extend-plan") == 4   # 2 invalid, 1 valid, nop
    expected, running = [], dict.fromkeys(COUNTED, 0)
    for step in steps:
        name = (step["action"] or {}).get("name") if step["valid"] else None
        running["steps"] += 1
        running["writes"] += name == "write"
        running["expansions"] += name == "extend-plan"
        running["retries"] += not step["valid"]
        running["completion_tokens"] += step["completion_tokens"]
        running["prompt_tokens_evaluated"] += step["prompt_tokens_evaluated"]
        expected.append((step["step"], {k: str(v) for k, v in running.items()}))
    assert shown == expected
    assert window.stats.values["expansions"].text() == "1"
    assert window.stats.values["retries"].text() == "2"
    assert window.stats.values["finished"].text() == "complete"


def test_an_edit_the_run_refuses_is_a_typed_event(window, qtbot, corpus_dir, tmp_path):
    indexed(window, qtbot, corpus_dir)
    refused = []   # (event, the status bar right after the window handled it)
    window.worker.event.connect(lambda e: refused.append(
        (e, window.statusBar().currentMessage())) if isinstance(e, ev.EditRefused) else None)
    replies = [search("monsoon rain floods"), INIT, {"name": "nop"}]
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        start(window, write_transcript(tmp_path / "r.jsonl", replies), interactive=True)
        qtbot.waitUntil(lambda: window.review.proposal is not None, timeout=LONG)
        # The run waits at its review point; an edit of a node that does not exist goes
        # to the agent and is refused at its next step boundary.
        window.worker.submit(EditNode("no-such-node", title="Never"))
        window.review.accept_button.click()
        qtbot.waitUntil(lambda: bool(refused), timeout=LONG)
    [(event, status)] = refused
    assert event.edit == "EditNode" and "no-such-node" in event.message
    assert status.startswith("Your edit was not applied: ") and "no-such-node" in status
    assert "edit refused" in window.log.toPlainText()   # still a warning in the log
