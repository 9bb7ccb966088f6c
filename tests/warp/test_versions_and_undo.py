"""Nothing written is lost, engine side: every version of a section's text is kept in the
project (also for projects made before versions existed), every user edit has an inverse
that undoes it, edits sent during a step the user stops are still applied, and each step
reports what it did (the activity feed's sentence)."""
from __future__ import annotations

import sqlite3

from engine.cancel import CancelToken
from engine.project.project_store import ProjectStore, StepRecord
from engine.report.outline import Node, Outline
from engine.report.registry import CitationRegistry
from engine.warp import events as ev
from engine.warp.coediting import commit_edit
from engine.warp.edits import (AddNode, DeleteNode, EditNode, LockNode, MoveNode,
                               RestoreText, apply_edit)
from engine.warp.inverse import inverse_edit
from engine.warp.run_factory import create_project, open_run
from engine.warp.state import RunSettings

from .test_conformance import INIT, LONG, body, search


def outline() -> Outline:
    return Outline(title="Floods", sections=[
        Node("Causes", "rain", content="Rain fell."),
        Node("Impact", "people", subsections=[Node("Homes", "h"), Node("Schools", "s")]),
        Node("Relief", "aid")])


def test_every_version_is_kept_with_the_passages_shown(tmp_path):
    store = create_project(tmp_path / "v.ddproj", "q")
    draft = outline()
    record = StepRecord(step=1, kind="write", cursor="section-1", attempt=1, prompt="p",
                        raw_reply="r", action=None, valid=True, shown_keys=["textid1", "textid2"])
    store.commit_step(record, draft, {"steps": 1}, CitationRegistry())
    causes = draft.sections[0].node_id
    commit_edit(store, EditNode(causes, content="My words."))
    commit_edit(store, RestoreText(causes, "Rain fell.", "agent"))
    versions = store.section_versions(causes)
    assert [(v.content, v.author, v.step) for v in versions] == [
        ("Rain fell.", "agent", 1), ("My words.", "user", 1), ("Rain fell.", "agent", 1)]
    assert versions[0].shown_keys == ["textid1", "textid2"]
    assert store.shown_keys_for(causes) == ["textid1", "textid2"]
    assert store.section_versions(draft.sections[2].node_id) == []     # never written
    store.close()


def test_a_project_from_before_versions_gets_its_texts_as_first_versions(tmp_path):
    store = create_project(tmp_path / "old.ddproj", "q")
    draft = outline()
    store.commit_decision(0, "setup", {}, draft, {"steps": 3}, CitationRegistry())
    path = store.path
    store.close()
    db = sqlite3.connect(path)          # as a project written by the previous release
    db.execute("DROP TABLE section_versions")
    db.execute("DROP TABLE claim_checks")
    db.execute("DROP TABLE claim_dismissals")
    db.execute("DROP TABLE migrations")    # it kept only a count
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = ProjectStore.open(path)
    versions = store.section_versions(draft.sections[0].node_id)
    assert [(v.content, v.step) for v in versions] == [("Rain fell.", 3)]
    store.close()


def test_inverse_edits_undo_a_mixed_sequence():
    current = outline()
    original = current.to_dict()
    ids = [n.node_id for n in current.sections]
    homes = current.sections[1].subsections[0].node_id
    edits = [EditNode(ids[0], title="Why"), AddNode("New", "n", parent_id=ids[2], node_id="x1"),
             EditNode(ids[2], content="Camps."), MoveNode(homes, ids[0], 0), LockNode(ids[2]),
             DeleteNode(ids[1]), EditNode(ids[0], plan="more rain")]
    undo = []
    for edit in edits:
        undo.append(inverse_edit(current, edit))
        apply_edit(current, edit)
    changed = current.to_dict()
    for inverse in reversed(undo):
        apply_edit(current, inverse)
    assert current.to_dict() == original
    for edit in edits:
        apply_edit(current, edit)
    assert current.to_dict() == changed


def test_text_sent_during_a_stopped_step_is_kept(tmp_path, small_library, replay_file):
    store = create_project(tmp_path / "s.ddproj", "What caused the 2022 floods?",
                           model=replay_file([search("floods"), INIT, search("c"),
                                              body(LONG, "textid1")]),
                           library="warp-tests", run=RunSettings(constrained=False))
    cancel = CancelToken()
    run = open_run(store, cancel=cancel)
    events = []
    for event in run.events():
        events.append(event)
        if isinstance(event, ev.StepStarted) and event.step == 3:   # a search, mid-step
            run.submit(EditNode(run.outline.sections[1].node_id, content="Typed, then Stop."))
            cancel.cancel()
    run.backend.close()
    assert isinstance(events[-1], ev.Done) and events[-1].reason == "cancelled"
    impact = ProjectStore.open(store.path).load_outline().sections[1]
    assert (impact.content, impact.author) == ("Typed, then Stop.", "user")
    finished = [e for e in events if isinstance(e, ev.StepFinished)]
    assert finished[1].action == "init-plan" and finished[1].summary.subsections == 3
