"""One writer per project, with two real processes: a replay-model run in one, edits
from another. While the run writes, the other process's edit is refused with the run's
process named (before: it was written, and the run's next commit overwrote it); once the
run ends the edit goes in; a follower sees every committed step; a killed run's lock is
taken by the next writer without asking."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from engine.project.errors import ProjectBusy, ProjectReadOnly
from engine.project.follow import ProjectFollower
from engine.project.project_store import ProjectStore
from engine.project.run_lock import holder_of
from engine.warp.coediting import commit_edit
from engine.warp.edits import EditNode
from engine.warp.run_factory import create_project
from engine.warp.state import RunSettings
from tests.conftest import REPO
from tests.warp.test_coedit_edges import QUESTION, WRITTEN

REPLIES = WRITTEN + [{"name": "nop"}]   # search, plan, three sections, then nop

# A run that stops after its first committed step (search, then init-plan) until told
# to go on over stdin: the moment a second process edits.
RUN = """
import sys
from engine.project.project_store import ProjectStore
from engine.warp import events as ev
from engine.warp.run_factory import open_run
store = ProjectStore.open(sys.argv[1])
with open_run(store) as run:
    for event in run.events():
        if isinstance(event, ev.StepFinished) and event.step == int(sys.argv[2]):
            print("paused", flush=True)
            sys.stdin.readline()
        if isinstance(event, ev.Done):
            print("done", event.reason, flush=True)
store.close()
"""


def start_run(project, pause_after: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", RUN, str(project), str(pause_after)],
                            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    line = proc.stdout.readline().strip()
    assert line == "paused", (line, proc.communicate(timeout=60))
    return proc


@pytest.fixture
def project(tmp_path, small_library, replay_file):
    small_library.close()
    create_project(tmp_path / "w.ddproj", QUESTION, model=replay_file(REPLIES),
                   library="warp-tests", run=RunSettings(constrained=False)).close()
    return tmp_path / "w.ddproj"


def test_an_edit_from_another_process_never_overwrites_a_running_report(project):
    run = start_run(project, pause_after=2)          # the outline exists; nothing written
    other = ProjectStore.open(project)
    rename = EditNode(other.load_outline().sections[0].node_id, title="Why it rained")
    try:
        assert holder_of(project).pid == run.pid
        with pytest.raises(ProjectBusy) as refused:
            commit_edit(other, rename)
        message = str(refused.value)
        assert f"being written by Deepdraft, process {run.pid}, on this computer since" \
            in message and "open this report read-only" in message
        assert refused.value.holder.pid == run.pid
    finally:
        run.stdin.write("go\n")
        run.stdin.flush()
        out, _ = run.communicate(timeout=120)
    assert "done complete" in out
    assert holder_of(project) is None
    commit_edit(other, rename)                   # the run is over: the edit goes in
    outline = other.load_outline()
    assert outline.sections[0].title == "Why it rained"
    assert all(s.content for s in outline.sections)   # and the run's text is all there
    assert [s["step"] for s in other.steps()] == list(range(1, len(REPLIES) + 1))
    other.close()


def test_a_follower_sees_each_commit_and_never_writes(project):
    run = start_run(project, pause_after=2)
    follower = ProjectFollower(project)
    try:
        first = follower.poll()
        assert [s["step"] for s in first.steps] == [1, 2]
        assert first.holder.pid == run.pid and len(first.outline.sections) == 3
        assert follower.poll() is None                 # nothing committed since
        with pytest.raises(ProjectReadOnly):
            commit_edit(follower.store, EditNode(first.outline.sections[0].node_id,
                                                 content="mine"))
        with pytest.raises(ProjectBusy, match=f"process {run.pid}"):
            follower.take_over()
    finally:
        run.stdin.write("go\n")
        run.stdin.flush()
        run.communicate(timeout=120)
    rest = follower.poll()
    assert [s["step"] for s in rest.steps] == list(range(3, len(REPLIES) + 1))
    assert rest.holder is None and rest.decisions[-1]["kind"] == "finished"
    store = follower.take_over()
    commit_edit(store, EditNode(rest.outline.sections[0].node_id, title="Taken over"))
    assert store.load_outline().sections[0].title == "Taken over"
    store.close()


def test_a_killed_run_leaves_its_lock_to_the_next_writer(project):
    run = start_run(project, pause_after=2)
    store = ProjectStore.open(project)
    node = store.load_outline().sections[0].node_id
    with pytest.raises(ProjectBusy):
        commit_edit(store, EditNode(node, title="Too early"))
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert holder_of(project) is None                  # the lock file is still there
    commit_edit(store, EditNode(node, title="After the kill"))
    assert store.load_outline().sections[0].title == "After the kill"
    store.close()
