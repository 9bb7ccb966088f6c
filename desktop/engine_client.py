"""The window's side of the engine process (desktop.engine_process): start it, send it
messages, and turn what it sends back into Qt signals on the GUI thread.

A reader thread blocks on the pipe; each message it gets is emitted as a signal, which
Qt queues to the GUI thread. Unpickling a message rebuilds the engine's own event
dataclasses here, so panels keep consuming them as before. When the pipe breaks (the
process was killed, aborted or ran out of memory) `died` says so in plain words and a
fresh process is started, so the next job finds one warm.
"""
from __future__ import annotations

import itertools
import multiprocessing
import signal
import threading

from desktop.qt import QObject, Signal, Slot

QUIT_WAIT_S = 5.0


class EngineProcess(QObject):
    """Signals (GUI thread): `message(tuple)` for job messages, `warm(float)` when the
    process has its heavy imports, `died(str)` with a plain-words reason."""

    message = Signal(object)
    warm = Signal(float)
    died = Signal(str)
    _received = Signal(int, object)    # (generation, message) from the reader thread
    _lost = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = multiprocessing.get_context("spawn")
        self._ids = itertools.count(1)
        self._generation = 0
        self._process = None
        self._conn = None
        self._send_lock = threading.Lock()
        self.pid: int | None = None
        self.is_warm = False
        self._received.connect(self._on_received)
        self._lost.connect(self._on_lost)

    # --- lifecycle ---------------------------------------------------------------------------
    def ensure_started(self) -> None:
        if self._process is None:
            self._spawn()

    def _spawn(self) -> None:
        from desktop.engine_process import main

        self._generation += 1
        self.is_warm = False
        mine, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=main, args=(theirs,), name="deepdraft-engine",
                                    daemon=True)
        process.start()
        theirs.close()   # only the child holds its end: its death then breaks our recv
        self._process, self._conn, self.pid = process, mine, process.pid
        threading.Thread(target=self._read, args=(mine, self._generation),
                         name="engine-reader", daemon=True).start()

    def _read(self, conn, generation: int) -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                self._lost.emit(generation)
                return
            except Exception as exc:  # noqa: BLE001 - an unreadable message, not a death
                message = ("undecodable", f"{type(exc).__name__}: {exc}")
            self._received.emit(generation, message)

    def shutdown(self) -> None:
        """Ask the process to stop; kill it if it does not (window closing)."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._generation += 1            # whatever the reader sees now is not news
        if process is None:
            return
        try:
            with self._send_lock:
                conn.send(("quit",))
        except (OSError, EOFError):
            pass
        process.join(QUIT_WAIT_S)
        if process.is_alive():
            process.kill()
            process.join(QUIT_WAIT_S)
        conn.close()

    # --- talking -----------------------------------------------------------------------------
    def new_job_id(self) -> int:
        return next(self._ids)

    def send(self, message: tuple) -> bool:
        """False when there is no process to hear it (it just died)."""
        self.ensure_started()
        try:
            with self._send_lock:
                self._conn.send(message)
            return True
        except (OSError, EOFError, AttributeError):
            return False

    @Slot(int, object)
    def _on_received(self, generation: int, message: tuple) -> None:
        if generation != self._generation:
            return
        if message[0] == "warm":
            self.is_warm = True
            self.warm.emit(float(message[1]))
        elif message[0] != "ready":
            self.message.emit(message)

    @Slot(int)
    def _on_lost(self, generation: int) -> None:
        if generation != self._generation:
            return   # an old process, or one we stopped on purpose
        process = self._process
        self._process = self._conn = None
        process.join(QUIT_WAIT_S)
        reason = death_reason(process.exitcode)
        self._spawn()                    # the next job finds a fresh process
        self.died.emit(reason)


def death_reason(exitcode: int | None) -> str:
    """Why the engine process ended, for someone who has never heard of signals."""
    if exitcode is None:
        return "The writing engine stopped responding."
    if exitcode < 0:
        number = -exitcode
        if number == getattr(signal, "SIGKILL", 9):
            return ("The writing engine was stopped by the system (often because the "
                    "computer ran out of memory).")
        if number == getattr(signal, "SIGABRT", 6):
            return "The writing engine crashed inside the model runtime."
        return f"The writing engine stopped unexpectedly (signal {number})."
    return f"The writing engine stopped unexpectedly (exit code {exitcode})."
