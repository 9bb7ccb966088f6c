"""One lane of engine work: runs one job at a time in the engine process and re-emits its
events on the GUI thread.

A job is a desktop.engine_link.jobs.JobSpec (an ingest, a WARP run, an export, a download). Several
lanes share one EngineProcess, so a run and an export can go side by side. The engine's
typed events arrive rebuilt as the same dataclasses. A review point arrives as a
`Proposal`; calling accept(), edit() or reject() on it sends the decision back, and the
job waits in the engine process until it does (or until it is cancelled: then it is
rejected there, so an unreviewed plan never lands).
"""
from __future__ import annotations

from desktop.engine_link.client import EngineProcess
from desktop.qt import QObject, Signal, Slot
from engine.warp.events import Proposal


class RemoteProposal(Proposal):
    """A review point whose decision travels back to the engine process."""

    def __init__(self, step: int, action: str, payload: dict, answer) -> None:
        super().__init__(step=step, action=action, payload=payload)
        self._answer = answer

    def _decide(self, decision: str) -> None:
        first = self.decision is None
        super()._decide(decision)
        if first:
            self._answer(decision, self.edited)


class Worker(QObject):
    """Runs jobs one at a time. Create it on the GUI thread.

    Signals, all delivered on the GUI thread, in order: `started(str)` with the job's
    label; `event(object)` once per event the job yields; `failed(str)` if the job raised
    or the engine process died; `finished()` last, always.
    """

    started = Signal(str)
    event = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, engine: EngineProcess | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owns_engine = engine is None
        self.engine = engine or EngineProcess(self)
        self.engine.message.connect(self._on_message)
        self.engine.died.connect(self._on_died)
        self._job_id: int | None = None
        self.label = ""

    @property
    def busy(self) -> bool:
        return self._job_id is not None

    def start(self, job, label: str) -> bool:
        """Start job (a JobSpec); False (and nothing started) while one runs."""
        if self.busy:
            return False
        job_id = self.engine.new_job_id()
        self._job_id, self.label = job_id, label
        self.started.emit(label)
        if not self.engine.send(("start", job_id, job)):
            self._end("The writing engine is not running; try again.")
        return True

    def submit(self, edit) -> None:
        """Hand a co-editing command to the running job."""
        if self._job_id is not None:
            self.engine.send(("submit", self._job_id, edit))

    def cancel(self) -> None:
        """Ask the running job to stop at its next check (between tokens/steps/files)."""
        if self._job_id is not None:
            self.engine.send(("cancel", self._job_id))

    def shutdown(self) -> None:
        """Cancel the job (window closing); stop the engine process if this lane made it."""
        self.cancel()
        if self._owns_engine:
            self.engine.shutdown()

    @Slot(object)
    def _on_message(self, message: tuple) -> None:
        kind, job_id = message[0], message[1]
        if job_id != self._job_id:
            return
        if kind == "event":
            self.event.emit(message[2])
        elif kind == "proposal":
            _, _, step, action, payload = message
            self.event.emit(RemoteProposal(step, action, payload, self._answer(job_id)))
        elif kind == "failed":
            self.failed.emit(message[2])
        elif kind == "done":
            self._end()

    def _answer(self, job_id: int):
        def answer(decision: str, edited) -> None:
            if self._job_id == job_id:
                self.engine.send(("decide", job_id, decision, edited))
        return answer

    @Slot(str)
    def _on_died(self, reason: str) -> None:
        if self.busy:
            self._end(reason)

    def _end(self, failure: str | None = None) -> None:
        if failure:
            self.failed.emit(failure)
        self._job_id, self.label = None, ""
        self.finished.emit()
