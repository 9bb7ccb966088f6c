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
    ("event", job_id, event)        an engine event (pickled dataclass, rebuilt as is)
    ("proposal", job_id, step, action, payload)   a review point; the job waits
    ("failed", job_id, message)     the job raised
    ("done", job_id)                always last for a job
"""
from __future__ import annotations

import logging
import threading
import time
import traceback

from engine.cancel import Cancelled, CancelToken
from engine.warp.events import Proposal

log = logging.getLogger(__name__)
DECISION_POLL_S = 0.1   # how often a waiting review point re-checks the cancel token
WARM_MODULES = ("chromadb", "sentence_transformers", "llama_cpp")


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
        try:
            for item in job.runnable(job.cancel):
                if isinstance(item, Proposal):
                    self._review(job, item)
                else:
                    self.send(("event", job.id, item))
        except Cancelled:
            pass
        except Exception as exc:  # noqa: BLE001 - any job failure is reported, not raised
            if not type(exc).__module__.startswith("engine."):   # a bug: keep its trace
                log.error("job failed:\n%s", traceback.format_exc())
            self.send(("failed", job.id, _describe(exc)))
        finally:
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
        self.send(("warm", time.perf_counter() - started))


def _describe(exc: BaseException) -> str:
    """The message the window shows: the engine's own words when it has them, else the
    error's type too (a bug's message alone rarely says what went wrong)."""
    text = str(exc).strip()
    if text and type(exc).__module__.startswith("engine."):
        return text
    return f"{type(exc).__name__}: {text}"


def main(conn) -> None:
    """Entry point of the process (multiprocessing target; picklable by name)."""
    import engine  # noqa: F401 - applies the offline guards before any library loads

    logging.basicConfig(level=logging.WARNING)
    EngineServer(conn).serve()
