"""Crash safety: SIGKILL a real run (tiny model, real library) at random moments, resume,
and check that no completed step was lost or recorded twice."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from engine.project.store import ProjectStore

BIN = Path(sys.executable).parent
QUESTION = "What caused the 2022 floods and who was hit?"


def committed_steps(project: Path) -> dict[int, tuple[str, str]]:
    if not project.exists():
        return {}
    db = sqlite3.connect(project)
    try:
        rows = db.execute("SELECT step, prompt_hash, raw_reply FROM steps").fetchall()
    except sqlite3.OperationalError:  # killed before the schema was committed
        return {}
    finally:
        db.close()
    return {step: (h, reply) for step, h, reply in rows}


def start(args, home, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DEEPDRAFT_HOME": str(home)}
    with log.open("ab") as handle:  # a file, not a pipe: nobody reads a killed run's output
        return subprocess.Popen([str(BIN / "deepdraft"), *args], env=env,
                                stdout=subprocess.DEVNULL, stderr=handle)


def test_sigkill_at_random_points_then_resume(small_library, tmp_path, deepdraft_home):
    project = tmp_path / "crash.ddproj"
    rng = random.Random(20261125)
    write = ["write", QUESTION, "--library", "warp-tests", "--project", str(project),
             "--max-steps", "9", "--ctx", "2048", "--seed", "3"]
    seen: dict[int, tuple[str, str]] = {}
    log = tmp_path / "runs.log"
    process = start(write, deepdraft_home, log)
    kills = 0
    for _ in range(4):
        time.sleep(rng.uniform(3.0, 9.0))
        if process.poll() is not None:
            break
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
        now = committed_steps(project)
        assert all(now.get(step) == record for step, record in seen.items()), "lost a step"
        seen = now
        process = start(["resume", str(project)], deepdraft_home, log)
    try:
        process.wait(timeout=600)
    finally:
        process.kill()
    assert process.returncode == 0, log.read_text()[-2000:]
    assert kills >= 2

    final = committed_steps(project)
    assert sorted(final) == list(range(1, 10))                  # none lost, none twice
    assert all(final[step] == record for step, record in seen.items())
    store = ProjectStore.open(project)
    assert store.load_run_state()["steps"] == 9
    assert store.load_run_state()["finished"] == "step limit"
