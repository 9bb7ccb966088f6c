"""The activity feed speaks in words for every kind of step, and progress is honest: step
n of the limit, sections written of planned, elapsed time and time left from measured
step times, with the model's loading as its own phase."""
from __future__ import annotations

from desktop.run.activity_panel import ActivityPanel
from desktop.run.log_panel import LogPanel
from desktop.run.progress import RunProgress
from engine.library.types import Passage
from engine.warp import events as ev


def passage(doc: str, n: int) -> Passage:
    return Passage(chunk_id=f"{doc}:{n}", text="t", doc_id=doc, path=f"/d/{doc}.pdf", title=doc)


STEPS = [
    ev.RetrievalHits(step=1, keywords=["Kerch bridge", "truck bomb"],
                     keys=[f"textid{i}" for i in range(1, 19)],
                     passages=[passage(d, i) for i, d in enumerate(["a", "b", "c"] * 6)]),
    ev.StepFinished(step=2, action="init-plan", cursor="outline", valid=True,
                    summary=ev.StepSummary(subsections=5)),
    ev.StepFinished(step=4, action="write", cursor="section-2.1", valid=True,
                    summary=ev.StepSummary(section="2.1 Causes",
                                           cited_keys=["textid1", "textid2", "textid3"],
                                           cited_documents=2)),
    ev.StepFinished(step=5, action="write", cursor="section-2.2", valid=False,
                    problems=["cites keys not shown in this step: textid99"]),
    ev.StepFinished(step=9, action="extend-plan", cursor=None, valid=True,
                    summary=ev.StepSummary(subsections=4, parent="3 Aftermath")),
    ev.StepFinished(step=10, action="nop", cursor=None, valid=True),
    ev.Proposal(step=11, action="extend-plan", payload={}),
    ev.Done(stats={}, reason="step limit"),
]
SENTENCES = [
    "Searching 'Kerch bridge', 'truck bomb': 18 passages from 3 documents",
    "Planned the report: 5 sections",
    "Writing 2.1 Causes: cites 3 passages from 2 documents",
    "Reply rejected (cited a passage it was not shown); retrying",
    "Proposed 4 subsections under Aftermath",
    "Judged the report detailed enough; no more subsections",
    "Waiting for your review of the proposed subsections",
    "Stopped: the step limit was reached",
]


def test_every_action_kind_has_its_sentence(qtbot):
    log = LogPanel()
    panel = ActivityPanel(log)
    qtbot.addWidget(panel)
    panel.start_run(limit=40, steps_done=0)
    for event in STEPS:
        panel.on_event(event)
    lines = panel.lines()
    assert lines[0] == "Loading the model…" and lines[1].startswith("Model loaded in ")
    assert lines[2:] == SENTENCES
    panel.raw_toggle.setChecked(True)
    assert panel.stack.currentWidget() is log


def test_progress_counts_steps_sections_and_time_left():
    progress = RunProgress()
    progress.start(limit=12, steps_done=0, now=100.0)
    assert progress.describe(now=112.0) == "Loading the model… 0:12"
    outline = {"sections": [{"title": "a", "content": "x"}, {"title": "b"},
                            {"title": "c", "subsections": [{"title": "d"}]}]}
    progress.on_event(ev.OutlineChanged(outline=outline, cursor="section-2"), now=130.0)
    progress.on_event(ev.StepStarted(step=7, action="search", cursor="section-2"), now=130.0)
    progress.on_event(ev.StepFinished(step=7, action="search", cursor="section-2", valid=True),
                      now=140.0)
    # No write measured yet (nor remembered): the run cannot price the sections left.
    assert progress.remaining_seconds() is None
    assert progress.describe(now=160.0) == (
        "Step 7 of 12 · 1 of 4 sections written · 1:00 elapsed · estimating the time "
        "left… · model loaded in 30.0 s")
    progress.on_event(ev.StepStarted(step=8, action="write", cursor="section-2"), now=160.0)
    progress.on_event(ev.StepFinished(step=8, action="write", cursor="section-2", valid=True),
                      now=190.0)
    outline["sections"][1]["content"] = "y"
    progress.on_event(ev.OutlineChanged(outline=outline, cursor="section-3"), now=190.0)
    # 2 sections left, a 10 s search and a 30 s write each; the limit (4 steps) ends there.
    assert progress.remaining_seconds(now=190.0) == 80.0
    assert progress.describe(now=190.0) == (
        "Step 8 of 12 · 2 of 4 sections written · 1:30 elapsed · about 1:20 left · "
        "model loaded in 30.0 s")


def test_the_hidden_log_lays_out_nothing_until_shown_and_loses_nothing(qtbot):
    """Tokens streamed while the activity feed is shown wait outside the document (no
    layout, no font search on the GUI thread) and appear in order when the log shows."""
    log = LogPanel()
    panel = ActivityPanel(log)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.start_run(limit=40, steps_done=0)
    panel.on_event(ev.StepStarted(step=1, action="write", cursor="section-1"))
    for piece in ("The floods ", "ខ្មែរ ", "rose."):
        log.on_event(ev.Token(piece))
    log.on_event(ev.StepFinished(step=1, action="write", cursor="section-1", valid=True))
    assert not log.isVisible() and log.document().characterCount() <= 1   # nothing laid out
    panel.raw_toggle.setChecked(True)
    qtbot.waitUntil(log.isVisible)
    text = log.document().toPlainText()
    assert "The floods ខ្មែរ rose.\n      ok (" in text
    assert log.toPlainText() == text
