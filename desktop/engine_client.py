"""The window's side of the engine process (desktop.engine_process): start it, send it
messages, and turn what it sends back into Qt signals on the GUI thread.

A reader on its own QThread blocks on the pipe; each message it gets is emitted as a
signal, which Qt queues to the GUI thread. (A plain Python thread emitting the signal
crashed PySide6 6.12 after some thousands of messages: a reference count of True ran
out. The QObject-on-QThread pattern has no such trouble; tests/desktop/test_worker.py
sends 30,000 events to keep it that way.) Unpickling a message rebuilds the engine's own event
dataclasses here, so panels keep consuming them as before. When the pipe breaks (the
process was killed, aborted or ran out of memory) `died` says so in plain words and a
fresh process is started after a pause that doubles with each death (1, 2, 4 s), so the
next job finds one warm; after DEATHS_TO_GIVE_UP deaths within DEATH_WINDOW_S it stops
trying and `gave_up` carries the cause and the last lines the engine printed (an engine
that dies at start-up, from a broken model file or a missing library, must not loop).
Nothing here waits on the GUI thread for a dying process: its exit is polled.
"""
from __future__ import annotations

import itertools
import multiprocessing
import signal
import threading
import time

from desktop.qt import QObject, QThread, QTimer, Signal, Slot

QUIT_WAIT_S = 5.0
BACKOFF_S = 1.0            # the first respawn's pause; doubled for each recent death
DEATHS_TO_GIVE_UP = 3
DEATH_WINDOW_S = 60.0
EXIT_POLL_MS = 50          # how often a dead process's exit code is looked for
LOG_LINES = 12


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
    ready = Signal(int)             # the process runs (its pid); heavy imports follow
    warm = Signal(float)
    died = Signal(str)
    gave_up = Signal(str, str)      # (the cause, the last lines the engine printed)

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
        self._deaths: list[float] = []      # monotonic times of recent deaths
        self.respawn_pending = False
        self.given_up = False
        self.closed = False                 # shut down for good: nothing respawns it

    # --- lifecycle ---------------------------------------------------------------------------
    def ensure_started(self) -> None:
        """A job needs the process: start it now (also after giving up: that is Retry)."""
        self.closed = False
        if self._process is None:
            self.given_up = False
            self._spawn()

    def retry(self) -> None:
        """The user asked to try again after `gave_up`."""
        self._deaths.clear()
        self.ensure_started()

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
        self.closed = True               # a pending respawn (after a death) is dropped
        self.respawn_pending = False
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
        elif message[0] == "ready":
            self.ready.emit(int(message[1]))
        else:
            self.message.emit(message)

    @Slot(int)
    def _on_lost(self, generation: int) -> None:
        if generation != self._generation:
            return   # an old process, or one we stopped on purpose
        process, conn = self._process, self._conn
        self._process = self._conn = None
        now = time.monotonic()
        self._deaths = [t for t in self._deaths if now - t < DEATH_WINDOW_S] + [now]
        self._after_exit(process, conn, polls=0)

    def _after_exit(self, process, conn, polls: int) -> None:
        """Once the dead process has an exit code (polled, never joined here): say why,
        then respawn after the back-off or give up."""
        if process.exitcode is None and polls * EXIT_POLL_MS < QUIT_WAIT_S * 1000:
            QTimer.singleShot(EXIT_POLL_MS, self,
                              lambda: self._after_exit(process, conn, polls + 1))
            return
        process.join(0)
        self._stop_readers()
        conn.close()
        reason = death_reason(process.exitcode)
        if len(self._deaths) >= DEATHS_TO_GIVE_UP:
            self.given_up = True
            self.died.emit(reason)
            self.gave_up.emit(reason, last_lines(LOG_LINES))
            return
        self.respawn_pending = True
        delay = BACKOFF_S * 2 ** (len(self._deaths) - 1)
        QTimer.singleShot(int(delay * 1000), self, self._respawn)
        self.died.emit(reason)

    def _respawn(self) -> None:
        self.respawn_pending = False
        if self._process is None and not self.given_up and not self.closed:
            self._spawn()                # the next job finds a warm process


def last_lines(count: int) -> str:
    """The end of what the engine process printed (desktop.engine_process.output_log)."""
    from desktop.engine_process import output_log

    try:
        with open(output_log(), "rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - 16384))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-count:])


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
