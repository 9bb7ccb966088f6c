"""SIGKILL a real `deepdraft write` run at observed moments, resume it, and check after
every kill that no committed step was lost or changed. Shared by the crash-resume test
(a fixed plan of kill points) and the kill soak benchmark (random ones)."""
from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
QUESTION = "What caused the 2022 floods and who was hit?"
# Where a kill lands: right after a step was committed; while the model is generating a
# step; just after the model's reply ended, while the step is applied and committed.
BOUNDARY, MID_STEP, MID_COMMIT = "boundary", "mid-step", "mid-commit"
MODES = (BOUNDARY, MID_STEP, MID_COMMIT)
POLL_S = 0.01   # how often the observed files are looked at
TIMEOUT_S = 600


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


def state_steps(project: Path) -> int:
    """The step counter of the run state, committed in the same transaction as a step."""
    import json

    db = sqlite3.connect(project)
    try:
        return json.loads(db.execute("SELECT run FROM state WHERE id = 1").fetchone()[0]
                          ).get("steps", 0)
    finally:
        db.close()


def start(args, home: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DEEPDRAFT_HOME": str(home)}
    with log.open("ab") as handle:  # a file, not a pipe: nobody reads a killed run's output
        return subprocess.Popen([str(BIN / "deepdraft"), *args], env=env,
                                stdout=subprocess.DEVNULL, stderr=handle)


def wait_for(condition, process: subprocess.Popen, what: str):
    """Poll an observed condition (a committed row, a logged event) until it holds."""
    deadline = time.monotonic() + TIMEOUT_S
    while not (value := condition()):
        if process.poll() is not None:
            return None  # the run ended first: nothing left to kill
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(POLL_S)
    return value


class Log:
    """The stderr of every run, appended to one file; `since` marks where a run began."""

    def __init__(self, path: Path) -> None:
        self.path, self.since = path, 0

    def mark(self) -> None:
        self.since = self.path.stat().st_size if self.path.exists() else 0

    def new_text(self) -> str:
        with self.path.open("rb") as handle:
            handle.seek(self.since)
            return handle.read().decode("utf-8", "replace")


def step_marker(step: int) -> re.Pattern:
    return re.compile(rf"^\[{step:3}\] ", re.M)   # printed by `-v` when step N starts


@dataclass
class Figures:
    kills: dict[str, int] = field(default_factory=dict)
    in_flight_lost: int = 0   # kills that landed while a step was not yet committed
    lost: int = 0             # committed steps missing or changed after a kill
    duplicated: int = 0       # steps whose state counter disagrees with the steps table
    resumes_refused: int = 0


def kill_at(mode: str, process, project: Path, log: Log, rng: random.Random) -> bool:
    """Wait for the moment `mode` names, then SIGKILL. False if the run ended first."""
    before = len(committed_steps(project))
    if mode == BOUNDARY:
        seen = wait_for(lambda: len(committed_steps(project)) > before, process, "a commit")
    else:
        marker = step_marker(before + 1)
        pattern = marker if mode == MID_STEP else re.compile(
            marker.pattern + r"[\s\S]*</action>", re.M)
        seen = wait_for(lambda: pattern.search(log.new_text()), process, f"{mode} of a step")
        time.sleep(rng.uniform(0, 0.5 if mode == MID_STEP else 0.03))  # a random point within
    if seen is None or process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def check_after_kill(project: Path, seen: dict, figures: Figures, steps_before: int) -> dict:
    """Every step seen before is still there unchanged, the steps run 1..N without a gap,
    and the run state (committed with each step) counts exactly those N."""
    now = committed_steps(project)
    figures.lost += sum(now.get(step) != record for step, record in seen.items())
    if now:
        figures.duplicated += state_steps(project) != len(now)
        figures.duplicated += sorted(now) != list(range(1, max(now) + 1))
    figures.in_flight_lost += len(now) == steps_before
    return now


def crash_and_resume(plan, *, home: Path, project: Path, library: str, max_steps: int,
                     rng: random.Random, try_second_run: bool = False) -> Figures:
    """Run `write`, kill it at each point of `plan` (resuming after each), then let the
    last resume finish. Returns what the kills did."""
    log, figures = Log(project.with_suffix(".log")), Figures()
    write = ["write", QUESTION, "--library", library, "--project", str(project),
             "--max-steps", str(max_steps), "--ctx", "2048", "--seed", "3", "-v"]
    log.mark()
    process, seen = start(write, home, log.path), {}
    for mode in plan:
        if try_second_run and not figures.resumes_refused:
            figures.resumes_refused += second_run_refused(process, project, home)
        steps_before = len(committed_steps(project))
        if not kill_at(mode, process, project, log, rng):
            break
        figures.kills[mode] = figures.kills.get(mode, 0) + 1
        seen = check_after_kill(project, seen, figures, steps_before)
        log.mark()
        # Room for the next kill point and no long tail after the last one.
        max_steps = len(seen) + 2
        process = start(["resume", str(project), "-v", "--max-steps", str(max_steps)],
                        home, log.path)
    try:
        process.wait(timeout=3 * TIMEOUT_S)   # the rest of the run, on a busy machine too
    finally:
        process.kill()
    assert process.returncode == 0, log.path.read_text()[-3000:]
    final = committed_steps(project)
    figures.lost += sum(final.get(step) != record for step, record in seen.items())
    figures.duplicated += sorted(final) != list(range(1, max_steps + 1))
    return figures


def second_run_refused(process, project: Path, home: Path) -> bool:
    """While `process` runs the project, a second `deepdraft resume` must be refused.
    The first run is frozen (SIGSTOP) meanwhile, so it cannot finish first."""
    if wait_for(lambda: committed_steps(project), process, "a first commit") is None:
        return False
    process.send_signal(signal.SIGSTOP)
    try:
        result = subprocess.run([str(BIN / "deepdraft"), "resume", str(project)],
                                env={**os.environ, "DEEPDRAFT_HOME": str(home)},
                                capture_output=True, text=True, timeout=300)
    finally:
        process.send_signal(signal.SIGCONT)
    assert result.returncode == 1 and "being written by Deepdraft" in result.stderr, \
        result.stderr
    return True


def kill_ingests(kills: int, *, home: Path, folder: Path, library: str,
                 rng: random.Random) -> dict:
    """SIGKILL `deepdraft library add` at random points (after a random number of finished
    files, then a random delay: between files, mid-read, mid-embedding, mid-write), check
    the library after each kill, then let one run finish and check it again."""
    figures = {"kills": 0, "missed": 0, "inconsistent": 0, "pending_after_kill": 0}
    files = sorted(folder.iterdir())
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    for number in range(2 * kills + 2):   # a round whose ingest ended first is tried again
        if figures["kills"] == kills:
            break
        for path in files:   # every round changes every file, so every round has work
            texts[path] += f"\n\nRevision {number}.\n"
            path.write_text(texts[path], encoding="utf-8")
        # Every other round the first file leaves (its shared texts lose a place) and
        # comes back the round after, so kills land in removals too.
        if number % 2:
            files[0].unlink()
        process = _library_add(home, folder, library)
        for _ in range(rng.randint(0, len(files) - 1)):
            if not process.stdout.readline():
                break
        time.sleep(rng.uniform(0, 2.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        # landed: the process died of the signal (it may have exited on its own meanwhile)
        if process.wait() != -signal.SIGKILL:
            figures["missed"] += 1
            continue
        figures["kills"] += 1
        state = _library_state(home, library, allow_pending=True)
        figures["inconsistent"] += state is None
        if state is None:  # keep why, for the figures
            figures.setdefault("why", []).append(_last_check_error[-1])
        figures["pending_after_kill"] += bool(state)
    files[0].write_text(texts[files[0]], encoding="utf-8")
    finished = _library_add(home, folder, library)
    finished.communicate(timeout=TIMEOUT_S)
    figures["final_consistent"] = _library_state(home, library) == 0
    return figures


def _library_add(home: Path, folder: Path, library: str) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "deepdraft"), "library", "add", str(folder),
                             "--library", library], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "DEEPDRAFT_HOME": str(home)})


CHECK = """
import sys
from engine.library import open_library
from tests.library.test_interrupt import assert_consistent
lib = open_library(sys.argv[1])
assert_consistent(lib, allow_pending=sys.argv[2] == "1")
print(sum(d.status == "pending" for d in lib.documents()))
"""


def _library_state(home: Path, library: str, allow_pending: bool = False):
    """Pending documents after a consistency check in a fresh process (Chroma caches an
    open store per process), or None when the library is inconsistent."""
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", CHECK, library, str(int(allow_pending))],
                            capture_output=True, text=True, cwd=repo, timeout=TIMEOUT_S,
                            env={**os.environ, "DEEPDRAFT_HOME": str(home),
                                 "PYTHONPATH": str(repo)})
    if result.returncode != 0:
        _last_check_error.append(result.stderr.strip().splitlines()[-3:] or ["?"])
        return None
    return int(result.stdout.strip())


_last_check_error: list = []
