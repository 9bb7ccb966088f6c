"""Run one engine job at a time on a background thread, re-emitting its events on the
GUI thread.

A job is any callable `job(cancel: CancelToken) -> Iterable[event]`: an ingest, a WARP
run, an export. The engine's typed events pass through untouched; the desktop never
touches widgets from the job's thread. A `Proposal` (a review point) is emitted and
then the job's thread blocks on `proposal.wait()` until the GUI thread calls accept(),
edit() or reject() on it, or until the job is cancelled (then it is rejected, so an
unreviewed plan never lands).
"""
from __future__ import annotations

import logging
import traceback
from typing import Callable, Iterable

from desktop.qt import QObject, QThread, Signal, Slot
from engine.cancel import Cancelled, CancelToken
from engine.warp.events import Proposal

Job = Callable[[CancelToken], Iterable[object]]
log = logging.getLogger(__name__)
DECISION_POLL_S = 0.1   # how often a blocked review point re-checks the cancel token


class _Runner(QObject):
    """Lives on the job's thread; its signals fire on that thread."""

    event = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, job: Job, cancel: CancelToken) -> None:
        super().__init__()
        self._job, self._cancel = job, cancel

    @Slot()
    def run(self) -> None:
        try:
            for item in self._job(self._cancel):
                self.event.emit(item)
                if isinstance(item, Proposal):
                    self._await_decision(item)
        except Cancelled:
            pass
        except Exception as exc:  # noqa: BLE001 - any job failure is reported, not raised
            log.error("job failed:\n%s", traceback.format_exc())
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.done.emit()

    def _await_decision(self, proposal: Proposal) -> None:
        while not proposal.wait(DECISION_POLL_S):
            if self._cancel.cancelled:
                proposal.reject()
                return


class Worker(QObject):
    """Runs jobs one at a time. Create it on the GUI thread.

    Signals, all delivered on the GUI thread (the thread the Worker lives in), in order:
    `started(str)` with the job's label; `event(object)` once per event the job yields;
    `failed(str)` if the job raised; `finished()` last, always, once its thread stopped.
    """

    started = Signal(str)
    event = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._runner: _Runner | None = None
        self._cancel = CancelToken()
        self.label = ""

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, job: Job, label: str) -> bool:
        """Start job on a fresh thread; False (and nothing started) while one runs."""
        if self.busy:
            return False
        self._cancel, self.label = CancelToken(), label
        thread, runner = QThread(), _Runner(job, self._cancel)
        runner.moveToThread(thread)
        thread.started.connect(runner.run)
        runner.event.connect(self._relay_event)
        runner.failed.connect(self._relay_failed)
        runner.done.connect(thread.quit)
        thread.finished.connect(runner.deleteLater)   # deleted on its own thread, as Qt asks
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._runner = thread, runner
        self.started.emit(label)
        thread.start()
        return True

    def cancel(self) -> None:
        """Ask the running job to stop at its next check (between tokens/steps/files)."""
        self._cancel.cancel()

    def shutdown(self, timeout_ms: int = 30000) -> None:
        """Cancel and wait for the job's thread (window closing)."""
        if self._thread is not None:
            self.cancel()
            self._thread.wait(timeout_ms)

    @Slot(object)
    def _relay_event(self, item: object) -> None:
        self.event.emit(item)

    @Slot(str)
    def _relay_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self._thread
        self._thread = self._runner = None
        if thread is not None:
            thread.wait()   # finished() fires just before the thread ends; let it end
            thread.deleteLater()
        self.label = ""
        self.finished.emit()
