"""One writer per project: the process running WARP on a project holds an OS file lock
on `<project>.lock` (flock on POSIX, msvcrt on Windows). The kernel drops the lock when
its process ends, however it ends, so a crashed or killed run never leaves it stuck;
a second run on the same project (another `resume`, another window) is refused."""
from __future__ import annotations

import json
import os
import socket
import time
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


class RunLock:
    def __init__(self, project: str | Path) -> None:
        project = Path(project)
        self.path = project.with_name(project.name + ".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise ProjectBusy naming the process that holds it."""
        while self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _try_lock(fd):
                holder = _read_holder(fd)
                os.close(fd)
                raise ProjectBusy(_busy_message(holder))
            if _same_file(fd, self.path):
                self._fd = fd
            else:  # the holder released and removed it meanwhile: lock the new one
                os.close(fd)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
        os.ftruncate(self._fd, _INFO_AT)
        os.lseek(self._fd, _INFO_AT, os.SEEK_SET)
        os.write(self._fd, json.dumps(info).encode())

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


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _read_holder(fd: int) -> dict:
    try:
        os.lseek(fd, _INFO_AT, os.SEEK_SET)
        return json.loads(os.read(fd, 4096) or b"{}")
    except (OSError, ValueError):
        return {}


def _busy_message(holder: dict) -> str:
    who = f"process {holder['pid']}" if "pid" in holder else "another process"
    if holder.get("since"):
        who += f", running since {time.strftime('%H:%M', time.localtime(holder['since']))}"
    return (f"This project is already being written by another Deepdraft run ({who}). "
            "Wait for that run to finish or stop it, then try again.")
