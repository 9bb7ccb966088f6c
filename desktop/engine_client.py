"""The window's side of the engine process (desktop.engine_process): start it, send it
messages, and turn what it sends back into Qt signals on the GUI thread.

A reader on its own QThread blocks on the pipe; each message it gets is emitted as a
signal, which Qt queues to the GUI thread. (A plain Python thread emitting the signal
crashed PySide6 6.12 after some thousands of messages: a reference count of True ran
out. The QObject-on-QThread pattern has no such trouble; tests/desktop/test_worker.py
sends 30,000 events to keep it that way.) Unpickling a message rebuilds the engine's own event
dataclasses here, so panels keep consuming them as before. When the pipe breaks (the
process was killed, aborted or ran out of memory) `died` says so in plain words and a
fresh process is started, so the next job finds one warm.
"""
from __future__ import annotations

import itertools
import multiprocessing
import signal
import threading

from desktop.qt import QObject, QThread, Signal, Slot

QUIT_WAIT_S = 5.0


class _Reader(QObject):
    """Lives on its own QThread; `received((generation, message))`, then `lost(int)`
    once when the pipe breaks."""

    received = Signal(object)
    lost = Signal(int)

    def __init__(self, conn, generation: int) -> None:
        super().__init__()
        self._conn, self._generation = conn, generation

    @Slot()
    def run(self) -> None:
        while True:
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                self.lost.emit(self._generation)
                return
            except Exception as exc:  # noqa: BLE001 - an unreadable message, not a death
                message = ("undecodable", f"{type(exc).__name__}: {exc}")
            self.received.emit((self._generation, message))


class EngineProcess(QObject):
    """Signals (GUI thread): `message(tuple)` for job messages, `warm(float)` when the
    process has its heavy imports, `died(str)` with a plain-words reason."""

    message = Signal(object)
    warm = Signal(float)
    died = Signal(str)

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
        self._readers: list[tuple[QThread, _Reader]] = []

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
        thread, reader = QThread(), _Reader(mine, self._generation)
        reader.moveToThread(thread)
        thread.started.connect(reader.run)
        reader.received.connect(self._on_received)
        reader.lost.connect(self._on_lost)
        self._readers.append((thread, reader))
        thread.start()

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
        self._stop_readers()          # the child is gone: each reader saw the pipe end
        conn.close()

    def _stop_readers(self) -> None:
        for thread, _reader in self._readers:
            thread.quit()
            thread.wait(int(QUIT_WAIT_S * 1000))
        self._readers.clear()

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

    @Slot(object)
    def _on_received(self, item: tuple) -> None:
        generation, message = item
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
        process, conn = self._process, self._conn
        self._process = self._conn = None
        process.join(QUIT_WAIT_S)
        self._stop_readers()
        conn.close()
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
