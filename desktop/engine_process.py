"""The engine process: runs the desktop's jobs away from the window (no Qt here).

The window starts this process (multiprocessing, spawn context) and talks to it over one
duplex pipe. Heavy parts (torch, sentence-transformers, Chroma, llama.cpp) load only
here, so an import holding the interpreter lock, a llama.cpp abort or an out-of-memory
kill never freezes or takes down the window.

Messages from the window, all tuples:
    ("start", job_id, JobSpec)      run a job on its own thread
    ("cancel", job_id)              set the job's cancel token
    ("submit", job_id, edit)        hand a co-editing command to a running WARP job
    ("decide", job_id, decision, edited)   answer the job's open review point
    ("quit",)
Messages to the window:
    ("ready", pid)                  the process started (sent before the warm-up)
    ("warm", seconds)               the heavy imports are done
    ("event", job_id, event)        an engine event (pickled dataclass, rebuilt as is);
                                    streamed tokens arrive joined (see _TokenJoiner)
    ("proposal", job_id, step, action, payload)   a review point; the job waits
    ("failed", job_id, message)     the job raised
    ("done", job_id)                always last for a job
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from pathlib import Path

from engine.cancel import Cancelled, CancelToken
from engine.warp.events import Proposal, Token

log = logging.getLogger(__name__)
DECISION_POLL_S = 0.1   # how often a waiting review point re-checks the cancel token
# sentence-transformers is not among them: the default embedder runs on onnxruntime, and
# the installed app does not ship torch (issue 22).
WARM_MODULES = ("chromadb", "llama_cpp")
TOKEN_FLUSH_S = 0.05    # streamed tokens are sent at most this often (joined)
# Lower scheduling priority of this process (POSIX nice). The model and the embedder use
# every core they get; at equal priority they starved the window on a 2-core machine
# (event-loop gaps of 100-300 ms). Niced, they still get all the CPU the window leaves
# idle, and the window gets most of a core when it has something to do.
ENGINE_NICE = 10
# On Linux the engine also runs under SCHED_IDLE: a niced thread on a core keeps it for
# the rest of its slice when the window wakes (waits of 9-10 ms per wake-up were seen,
# several per repaint: run gaps of 50-82 ms), while an idle-policy thread is preempted
# at once (run gap 31 ms in the same benchmark). It still gets every cycle no other
# program wants, but a busy program at normal priority comes first (the engine then gets
# almost nothing): DEEPDRAFT_ENGINE_PRIORITY=nice keeps nice alone.
PRIORITY_ENV = "DEEPDRAFT_ENGINE_PRIORITY"


class _TokenJoiner:
    """Tokens stream at up to hundreds a second; one pipe message (and one slot in the
    window) each kept the window's event loop busy. A token goes out at once if none went
    out for TOKEN_FLUSH_S, else it waits, joined with the next ones, until that much time
    has passed or another event comes (which always goes out after the tokens before it)."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._held: list[str] = []
        self._sent_at = float("-inf")

    def add(self, event) -> list:
        """The events to send now, in order."""
        if not isinstance(event, Token):
            return self.flush() + [event]
        self._held.append(event.text)
        if self._clock() - self._sent_at < TOKEN_FLUSH_S:
            return []
        return self.flush()

    def flush(self) -> list:
        if not self._held:
            return []
        joined = Token("".join(self._held))
        self._held.clear()
        self._sent_at = self._clock()
        return [joined]


class _Job:
    def __init__(self, job_id: int, runnable, cancel: CancelToken) -> None:
        self.id, self.runnable, self.cancel = job_id, runnable, cancel
        self.proposal: Proposal | None = None


class EngineServer:
    """Reads the window's messages on the main thread; each job runs on its own thread."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self._send_lock = threading.Lock()
        self._jobs: dict[int, _Job] = {}
        self._warmed = threading.Event()     # set once the heavy imports are done

    def send(self, message: tuple) -> None:
        with self._send_lock:
            try:
                self.conn.send(message)
            except (OSError, EOFError):   # the window is gone: nobody to tell
                pass

    def serve(self) -> None:
        import os

        self.send(("ready", os.getpid()))
        threading.Thread(target=self._warm, name="warm", daemon=True).start()
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                break   # the window closed or died: stop with it
            if message[0] == "quit":
                break
            self._handle(message)
        for job in list(self._jobs.values()):
            job.cancel.cancel()

    def _handle(self, message: tuple) -> None:
        kind, job_id = message[0], message[1]
        if kind == "start":
            self._start(job_id, message[2])
            return
        job = self._jobs.get(job_id)
        if job is None:
            return   # finished meanwhile
        if kind == "cancel":
            job.cancel.cancel()
        elif kind == "submit":
            submit = getattr(job.runnable, "submit", None)
            if submit is not None:
                submit(message[2])
        elif kind == "decide" and job.proposal is not None:
            decision, edited = message[2], message[3]
            if decision == "edit":
                job.proposal.edit(edited)
            elif decision == "accept":
                job.proposal.accept()
            else:
                job.proposal.reject()

    def _start(self, job_id: int, spec) -> None:
        try:
            runnable = spec.build()
        except Exception as exc:  # noqa: BLE001 - reported to the window like any failure
            self.send(("failed", job_id, _describe(exc)))
            self.send(("done", job_id))
            return
        job = _Job(job_id, runnable, CancelToken())
        self._jobs[job_id] = job
        threading.Thread(target=self._run, args=(job,), name=f"job-{job_id}",
                         daemon=True).start()

    def _run(self, job: _Job) -> None:
        # A job that imported numpy or Chroma while the warm-up thread was importing them
        # could see a half-initialised module ("partially initialized module
        # 'numpy._typing'"): jobs start once the warm-up is done.
        self._warmed.wait()
        tokens = _TokenJoiner()
        try:
            for item in job.runnable(job.cancel):
                for event in tokens.add(item):
                    if isinstance(event, Proposal):
                        self._review(job, event)
                    else:
                        self.send(("event", job.id, event))
        except Cancelled:
            pass
        except Exception as exc:  # noqa: BLE001 - any job failure is reported, not raised
            if not type(exc).__module__.startswith("engine."):   # a bug: keep its trace
                log.error("job failed:\n%s", traceback.format_exc())
            self.send(("failed", job.id, _describe(exc)))
        finally:
            for event in tokens.flush():
                self.send(("event", job.id, event))
            self._jobs.pop(job.id, None)
            self.send(("done", job.id))

    def _review(self, job: _Job, proposal: Proposal) -> None:
        """Send the review point and block this job until the window decides (or the
        job is cancelled: then the plan is rejected, so an unreviewed plan never lands)."""
        job.proposal = proposal
        self.send(("proposal", job.id, proposal.step, proposal.action, proposal.payload))
        while not proposal.wait(DECISION_POLL_S):
            if job.cancel.cancelled:
                proposal.reject()
        job.proposal = None

    def _warm(self) -> None:
        """Import the heavy modules now, so the user's first run does not wait for them."""
        import importlib

        started = time.perf_counter()
        for name in WARM_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a missing part fails later, with its job
                log.warning("warm-up could not import %s", name, exc_info=True)
        self._warmed.set()
        self.send(("warm", time.perf_counter() - started))


def _describe(exc: BaseException) -> str:
    """The message the window shows: the engine's own words when it has them, else the
    error's type too (a bug's message alone rarely says what went wrong)."""
    text = str(exc).strip()
    if text and type(exc).__module__.startswith("engine."):
        return text
    return f"{type(exc).__name__}: {text}"


def lower_priority() -> None:
    """Give the window precedence over this process's threads (ENGINE_NICE and
    PRIORITY_ENV say why). Called before any thread starts: on Linux a thread inherits its
    creator's nice value and policy, so the job threads and the threads llama.cpp and
    torch start all run below the window."""
    try:
        if hasattr(os, "nice"):
            os.nice(ENGINE_NICE)
            if hasattr(os, "SCHED_IDLE") and os.environ.get(PRIORITY_ENV) != "nice":
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        else:   # Windows
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
    except (OSError, ImportError, AttributeError):   # not allowed, or no psutil
        log.info("could not lower the engine process's priority", exc_info=True)


def output_log() -> Path:
    """Where the engine process's stderr goes (Python's and the C libraries'), so the
    window can show its last lines when the process keeps dying."""
    from engine.paths import cache_dir

    return cache_dir() / "engine-output.log"


def capture_output() -> None:
    """Point file descriptor 2 at output_log(), a fresh file per process start."""
    path = output_log()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)


def main(conn) -> None:
    """Entry point of the process (multiprocessing target; picklable by name)."""
    capture_output()
    print(f"deepdraft engine: started (process {os.getpid()})", file=sys.stderr, flush=True)
    import engine  # noqa: F401 - applies the offline guards before any library loads

    lower_priority()
    logging.basicConfig(level=logging.WARNING)
    EngineServer(conn).serve()
