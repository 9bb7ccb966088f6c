"""The engine in its own process, seen from the real window: the window's process never
loads the heavy engine, and a kill -9 of the engine mid-run leaves the window, the
user's unsaved text and the project intact, and Resume continues without losing or
repeating a step."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from engine.project.project_store import ProjectStore
from engine.warp import events as ev

from tests.desktop.conftest import QUESTION
from tests.desktop.helpers import INIT, LONG, body, search, write_transcript

REPO = Path(__file__).resolve().parents[3]
UNSAVED = "My draft of the causes, not saved yet: the rain came early and stayed."


def test_the_window_process_never_loads_the_heavy_engine(corpus_dir, tmp_path):
    transcript = tmp_path / "run.jsonl"
    write_transcript(transcript, [search("monsoon rain floods"), INIT,
                                  search("flood causes"), body("textid1")])
    done = subprocess.run([sys.executable, "-m", "tests.desktop.gui_imports_check",
                           str(corpus_dir), str(transcript)], cwd=REPO, capture_output=True,
                          text=True, timeout=600, env={**os.environ,
                                                       "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["documents"] == 3
    assert "done: step limit" in report["log"], report["log"]
    assert report["heavy"] == []
    assert (tmp_path / "out.docx").is_file()


def test_the_engine_runs_below_the_window(window, qtbot):
    """The engine process yields the cores to the window (desktop.engine_link.process says
    why): niced, and on Linux under the idle scheduling policy."""
    with qtbot.waitSignal(window.engine.warm, timeout=LONG):
        window.engine.ensure_started()   # it imports the heavy modules, then says so
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, window.engine.pid) >= min(19, own + 10)
    if sys.platform.startswith("linux"):
        assert os.sched_getscheduler(window.engine.pid) == os.SCHED_IDLE


REPLIES = [search("monsoon rain floods"), INIT,
           search("flood causes"), body("textid1"),
           search("people affected"), body("textid1"),
           search("relief camps"), body("textid1")]


def test_kill_mid_run_keeps_text_and_resume_continues(window, qtbot, corpus_dir, tmp_path):
    """Killed while streaming the first section's text (the replay model streams like a
    real one); the resumed run gets the replies for the steps not committed yet."""
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(corpus_dir)])
    window.run_bar.question.setText(QUESTION)
    window.run_bar.model.set_spec(write_transcript(tmp_path / "all.jsonl", REPLIES))
    window.run_bar.max_steps.setValue(len(REPLIES))
    failures, victim = [], {}
    window.worker.failed.connect(failures.append)
    writing = {}

    def type_and_kill(event):
        # The outline exists: the user types into section 2 (not saved); then, while the
        # agent streams section 1, the engine is killed as an out-of-memory killer would.
        if isinstance(event, ev.StepStarted) and event.action == "write":
            writing["step"] = event.step
        elif isinstance(event, ev.Token) and writing and not victim:
            window.outline.setCurrentItem(window.outline.topLevelItem(1))
            window.editor.text.setPlainText(UNSAVED)
            victim["pid"] = window.engine.pid
            os.kill(window.engine.pid, signal.SIGKILL)

    window.worker.event.connect(type_and_kill)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.write()
    assert victim, window.log.toPlainText()[-2000:]
    assert window.isVisible() and not window.running
    assert failures and "stopped by the system" in failures[-1]
    status = window.statusBar().currentMessage()
    assert "Resume" in status and "stopped by the system" in status
    assert window.editor.text.toPlainText() == UNSAVED and window.editor.dirty
    assert window.run_bar.resume_button.isEnabled() and window.run_bar.write_button.isEnabled()
    store = ProjectStore.open(window.store.path)
    before = store.steps()
    store.close()
    assert [s["step"] for s in before] == list(range(1, len(before) + 1))
    assert len(before) >= 3

    rest = write_transcript(tmp_path / "rest.jsonl", REPLIES[len(before):])
    window.run_bar.model.set_spec(rest)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.resume()
    assert window.engine.pid != victim["pid"]
    store = ProjectStore.open(window.store.path)
    after = store.steps()
    store.close()
    assert [s["step"] for s in after] == list(range(1, len(REPLIES) + 1)), after
    assert after[:len(before)] == before                       # the committed ones kept
    assert [s["cursor"] for s in after if s["kind"] == "write"] == [
        "section-1", "section-2", "section-3"]                  # none lost, none twice
    assert all(s["valid"] for s in after)
    assert window.editor.text.toPlainText() == UNSAVED         # still the user's
    status = window.extras.status_info.text()
    assert status.startswith("Model: replay rest.jsonl · context ")
    assert "tokens/s" not in status                            # a replay has no speed
