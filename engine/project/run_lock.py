"""One writer per project: whoever writes a project (a run for its whole length, an edit
for one transaction) holds an OS file lock on `<project>.lock` (flock on POSIX, msvcrt on
Windows). The kernel drops the lock when its process ends, however it ends, so a crashed
or killed run never leaves it stuck: the next opener takes it without asking. Any other
writer (another `resume`, another window, an edit from another process) is refused with
the holder named; `holder_of` answers who holds it without taking it."""
from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from engine.project.errors import ProjectBusy

_INFO_AT = 16  # holder details start here; Windows locks byte 0, which others cannot read

if os.name == "nt":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Holder:
    """The process writing a project: its id, computer and since when (epoch seconds)."""
    pid: int | None
    host: str
    since: float | None

    @property
    def on_this_computer(self) -> bool:
        return not self.host or self.host == socket.gethostname()

    def describe(self) -> str:
        """E.g. "being written by Deepdraft, process 4242, on this computer since 10:31"."""
        who = f"process {self.pid}" if self.pid is not None else "another process"
        where = "this computer" if self.on_this_computer else f"the computer {self.host}"
        text = f"being written by Deepdraft, {who}, on {where}"
        if self.since:
            text += f" since {time.strftime('%H:%M', time.localtime(self.since))}"
        return text


def lock_path(project: str | Path) -> Path:
    project = Path(project)
    return project.with_name(project.name + ".lock")


class RunLock:
    def __init__(self, project: str | Path) -> None:
        self.path = lock_path(project)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise ProjectBusy naming the process that holds it."""
        while self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _try_lock_briefly(fd):
                holder = _read_holder(fd)
                os.close(fd)
                raise ProjectBusy(busy_message(holder), holder)
            if _same_file(fd, self.path):
                self._fd = fd
            else:  # the holder released and removed it meanwhile: lock the new one
                os.close(fd)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
        try:
            os.ftruncate(self._fd, _INFO_AT)
            os.lseek(self._fd, _INFO_AT, os.SEEK_SET)
            os.write(self._fd, json.dumps(info).encode())
        except OSError:
            pass   # a full disk: the lock holds all the same, its holder goes unnamed

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if os.name != "nt":   # removed while still locked, so no one locks a stale file
            self.path.unlink(missing_ok=True)
        _unlock(fd)
        os.close(fd)
        if os.name == "nt":
            try:
                self.path.unlink()
            except OSError:
                pass  # another process opened it meanwhile; it is harmless left behind

    def __enter__(self) -> "RunLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _try_lock_briefly(fd: int, tries: int = 10) -> bool:
    """A few tries 10 ms apart: `holder_of` probes by locking for an instant, and that
    instant must not refuse a writer."""
    for attempt in range(tries):
        if _try_lock(fd):
            return True
        if attempt + 1 < tries:
            time.sleep(0.01)
    return False


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def holder_of(project: str | Path) -> Holder | None:
    """Who writes this project now, or None when no one does (a lock left by a killed
    process counts as no one). Takes nothing: the lock is probed and let go at once."""
    path = lock_path(project)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return _read_holder(fd)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> Holder:
    try:
        os.lseek(fd, _INFO_AT, os.SEEK_SET)
        info = json.loads(os.read(fd, 4096) or b"{}")
    except (OSError, ValueError):
        info = {}
    return Holder(pid=info.get("pid"), host=info.get("host", ""), since=info.get("since"))


def busy_message(holder: Holder) -> str:
    return (f"This project is {holder.describe()}; stop that run or open this report "
            "read-only.")
