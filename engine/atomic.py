"""Crash-safe writes: the one home of write-to-a-temporary-name-then-rename.

A target is either the old complete file or the new complete file, never half of one:
data goes to a partial file beside the target, is flushed and fsynced, renamed over the
target, and the folder is fsynced so the rename itself survives a power cut. Any failure
(a full disk, a kill, an exception in the caller's block) removes the partial file and
leaves the target untouched.

    write_text(path, text)                  # small files: settings, catalogues, Markdown
    write_bytes(path, data)
    with atomic_file(path) as handle:       # streamed writes: KV state, large files
        handle.write(...)
    replace(partial, target)                # a file or folder built elsewhere (downloads)
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


def partial_path(target: Path) -> Path:
    """Where the new content of `target` is built: same folder (so the rename is atomic),
    a per-process name (two processes writing one file never share a partial)."""
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces `path` only when the block ends normally."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    try:
        with open(partial, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def write_bytes(path: str | Path, data: bytes | bytearray | memoryview) -> None:
    with atomic_file(path) as handle:
        handle.write(data)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(path, text.encode(encoding))


def replace(source: str | Path, target: str | Path) -> None:
    """Rename `source` over `target` (a file, or a folder onto a missing or empty
    folder) and make the rename durable."""
    os.replace(source, target)
    fsync_dir(Path(target).parent)


def fsync_dir(folder: Path) -> None:
    """Persist a folder's entries (a rename); a no-op where folders cannot be opened
    (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass          # some filesystems refuse fsync on a folder; the rename still stands
    finally:
        os.close(fd)
