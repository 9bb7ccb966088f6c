"""Two processes, one project: the second run is refused with a clear message, and a
holder that dies (even by SIGKILL) never leaves the project locked."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine.project.errors import ProjectBusy, ProjectError
from engine.project.project_store import ProjectStore
from engine.project.run_lock import RunLock
from tests.conftest import REPO

HOLD = """
import sys
from engine.project.project_store import ProjectStore
store = ProjectStore.open(sys.argv[1])
store.hold_run_lock()
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def project(tmp_path):
    from engine.warp.run_factory import create_project

    create_project(tmp_path / "r.ddproj", "Why do rivers flood?").close()
    return tmp_path / "r.ddproj"


def holder(project):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(project)], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_in_another_process_is_refused(project):
    proc = holder(project)
    try:
        store = ProjectStore.open(project)   # reading (export, the window) stays allowed
        with pytest.raises(ProjectBusy, match=rf"being written by Deepdraft, process {proc.pid}"):
            store.hold_run_lock()
        assert isinstance(ProjectBusy("x"), ProjectError)
        store.close()
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_leaves_no_stuck_lock(project):
    proc = holder(project)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = ProjectStore.open(project)
    store.hold_run_lock()          # the kernel dropped the dead process's lock
    store.close()
    assert not RunLock(project).path.exists()   # a clean release removes the lock file


def test_second_run_in_the_same_process_is_refused(project):
    with RunLock(project):
        with pytest.raises(ProjectBusy, match=f"process {os.getpid()}"):
            RunLock(project).acquire()
    with RunLock(project) as lock:  # released on exit: free again
        assert lock.held


def test_second_resume_command_is_refused(project, deepdraft_home):
    proc = holder(project)
    try:
        result = subprocess.run([str(Path(sys.executable).with_name("deepdraft")), "resume",
                                 str(project)], capture_output=True, text=True, timeout=300,
                                env={**os.environ, "DEEPDRAFT_HOME": str(deepdraft_home)})
    finally:
        proc.kill()
        proc.wait()
    assert result.returncode == 1
    assert "This project is being written by Deepdraft, process" in result.stderr
    assert "Traceback" not in result.stderr
