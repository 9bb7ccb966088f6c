"""Co-editing edge cases that used to break a run: a deepening request whose node is
deleted, an edited plan that would malform the outline, and a section deleted between
its search and its write. Replay model, real library and store."""
from __future__ import annotations

from engine.warp import events as ev
from engine.warp.edits import Deepen, DeleteNode
from engine.warp.run_factory import create_project, open_run
from engine.warp.state import RunSettings

from .test_conformance import INIT, LONG, body, search

QUESTION = "What caused the 2022 floods?"
WRITTEN = [search("floods"), INIT, search("c"), body(LONG, "textid1"), search("i"),
           body(LONG, "textid2"), search("r"), body(LONG, "textid3")]


def _project(tmp_path, replay_file, replies, **run):
    return create_project(tmp_path / "e.ddproj", QUESTION, model=replay_file(replies),
                          library="warp-tests", run=RunSettings(constrained=False, **run))


def test_deleting_a_node_queued_for_deepening_drops_the_request(tmp_path, small_library,
                                                               replay_file):
    store = _project(tmp_path, replay_file, WRITTEN + [{"name": "nop"}])
    run = open_run(store)
    events = []
    for event in run.events():
        events.append(event)
        if isinstance(event, ev.StepFinished) and event.step == 4:   # section-1 written
            impact = run.outline.sections[1]
            run.submit(Deepen(impact.node_id))
            run.submit(DeleteNode(impact.node_id))
    done = events[-1]
    assert isinstance(done, ev.Done) and done.reason == "complete", events[-3:]
    assert not any(isinstance(e, ev.Error) for e in events)
    assert [s.title for s in store.load_outline().sections] == ["Causes", "Relief"]
    assert store.load_run_state()["deepen"] == []


def test_an_edited_plan_that_would_break_the_outline_is_not_applied(tmp_path, small_library,
                                                                   replay_file):
    extend = {"name": "extend-plan", "position": "section-2",
              "subsections": [{"title": "X", "plan": "x"}, {"title": "Y", "plan": "y"}]}
    store = _project(tmp_path, replay_file, WRITTEN + [extend, search("x"), body(LONG, "textid1"),
                                                        search("y"), body(LONG, "textid1")],
                     interactive=True, max_extends=1)
    warnings = []
    for event in open_run(store).events():
        if isinstance(event, ev.Proposal) and event.action == "extend-plan":
            event.edit(dict(event.payload, position="section-9"))   # no such section
        if isinstance(event, ev.Warning):
            warnings.append(event.message)
    assert any("edited extend-plan was not applied" in w and "section-9" in w
               for w in warnings), warnings
    outline = store.load_outline()
    assert [n.title for n in outline.sections[1].subsections] == ["X", "Y"]   # as proposed


def test_an_edited_plan_may_leave_the_models_counts(tmp_path, small_library, replay_file):
    """The user may want two sections where the model must give three to twelve."""
    store = _project(tmp_path, replay_file, [search("floods"), INIT], interactive=True,
                     max_steps=2)
    for event in open_run(store).events():
        if isinstance(event, ev.Proposal):
            event.edit({"name": "init-plan", "title": "Mine",
                        "sections": [{"title": "Only", "plan": ""}, {"title": "Two", "plan": ""}]})
    outline = store.load_outline()
    assert outline.title == "Mine" and [n.title for n in outline.sections] == ["Only", "Two"]


def test_a_section_deleted_after_its_search_is_not_written_with_its_passages(
        tmp_path, small_library, replay_file):
    replies = [search("floods"), INIT, search("c"), body(LONG, "textid1"), search("i"),
               search("r"), body(LONG, "textid3"), {"name": "nop"}]
    store = _project(tmp_path, replay_file, replies)
    run = open_run(store)
    started = []
    for event in run.events():
        if isinstance(event, ev.StepStarted):
            started.append((event.action, event.cursor))
        if isinstance(event, ev.StepFinished) and event.step == 5:   # searched for Impact
            run.submit(DeleteNode(run.outline.sections[1].node_id))
    # Relief moved to section-2; it gets its own search before it is written.
    assert started[5:7] == [("search", "section-2"), ("write", "section-2")]
    assert [s.title for s in store.load_outline().sections] == ["Causes", "Relief"]


def test_writing_from_an_empty_library_fails_clearly_at_the_first_search(tmp_path,
                                                                        replay_file):
    from click.testing import CliRunner

    from engine.cli import cli

    project = tmp_path / "empty.ddproj"
    result = CliRunner().invoke(cli, ["write", QUESTION, "--library", "nothing-here",
                                      "--model", replay_file([search("floods")]),
                                      "--project", str(project)])
    assert result.exit_code == 1
    assert "library 'nothing-here' has no indexed documents" in result.output
    assert "deepdraft library add" in result.output and project.is_file()   # resumable
