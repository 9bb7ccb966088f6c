"""Prompt-cache slots on disk beside a project, so a resumed or reopened run starts warm.

Each slot (engine.llm.prompt_cache.Saved) is one file written on a background thread
after every step that saved it (write to a temporary name, then rename: a crash leaves
the previous copy). `identity` names what the KV cells depend on: the model file (path,
size, modification time), context size, KV type, flash attention and the llama.cpp
version. A folder written under another identity is emptied, not read.

The folder is bounded by `cap_bytes` (the `kv_disk_mb` setting): a state larger than the
cap is never written (it would push out every useful small state, then go itself), and
room for a new one is made first by deleting the least recently useful states (written or
restored longest ago). engine.project.caches sizes and clears these folders, and removes
one with its project.
"""
from __future__ import annotations

import ctypes
import json
import os
import struct
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from engine.atomic import atomic_file
from engine.llm.prompt_cache import Saved

INDEX = "identity.json"
SUFFIX = ".kv"
_HEADER = struct.Struct("<4sIQ")   # magic, token count, data bytes
_MAGIC = b"DDKV"
DEFAULT_DISK_MB = 512   # per project: fits a laptop; a few 8B states, every demo-model slot


def kv_folder(project: str | Path) -> Path:
    """Where a project's prompt-cache slots live: `<project>.kv/` beside it."""
    project = Path(project)
    return project.with_name(project.name + ".kv")


def folder_bytes(folder: Path) -> int:
    """Bytes the slot files in `folder` take (0 when there is none)."""
    return sum(p.stat().st_size for p in Path(folder).glob("*" + SUFFIX) if p.is_file())


def file_bytes(saved: Saved) -> int:
    return _HEADER.size + 4 * len(saved.tokens) + saved.size


class KVStore:
    def __init__(self, folder: Path, identity: dict, cap_bytes: int) -> None:
        self.folder, self.identity, self.cap_bytes = Path(folder), identity, cap_bytes
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kv-store")
        self._lock = threading.Lock()

    def load(self) -> dict[str, Saved]:
        """The saved slots, or none if the folder was written for another identity."""
        index = self.folder / INDEX
        try:
            recorded = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            recorded = None
        if recorded != self.identity:
            self._reset()
            return {}
        slots = {}
        for path in sorted(self.folder.glob("*" + SUFFIX), key=lambda p: p.stat().st_mtime_ns):
            saved = _read(path)
            if saved is not None:
                slots[path.stem] = saved
        return slots

    def write(self, slot: str, saved: Saved) -> None:
        """Queue the slot's state for writing (the caller must not change `saved`)."""
        self._writer.submit(self._write, slot, saved)

    def used(self, slot: str) -> None:
        """A slot was restored: it is the most recently useful now, pruned last."""
        self._writer.submit(self._touch, slot)

    def flush(self) -> None:
        self._writer.submit(lambda: None).result()

    def close(self) -> None:
        self._writer.shutdown(wait=True)

    def _write(self, slot: str, saved: Saved) -> bool:
        size = file_bytes(saved)
        if size > self.cap_bytes:
            return False   # cannot fit: the smaller states already kept stay useful
        with self._lock:
            target = self.folder / f"{slot}{SUFFIX}"
            self._prune(self.cap_bytes - size, keep=target)
            with atomic_file(target) as handle:
                handle.write(_HEADER.pack(_MAGIC, len(saved.tokens), saved.size))
                handle.write(struct.pack(f"<{len(saved.tokens)}i", *saved.tokens))
                handle.write(memoryview(saved.data)[:saved.size])
        return True

    def _touch(self, slot: str) -> None:
        try:
            os.utime(self.folder / f"{slot}{SUFFIX}")
        except OSError:
            pass   # never written (too large) or pruned: nothing to keep fresh

    def _prune(self, room: int, keep: Path) -> None:
        """Delete the least recently useful states until the others take at most `room`
        (`keep`, about to be replaced, counts as gone)."""
        files = sorted((p for p in self.folder.glob("*" + SUFFIX) if p != keep),
                       key=lambda p: p.stat().st_mtime_ns)
        total = sum(p.stat().st_size for p in files)
        while files and total > room:
            oldest = files.pop(0)
            total -= oldest.stat().st_size
            oldest.unlink(missing_ok=True)

    def _reset(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for path in list(self.folder.glob("*" + SUFFIX)) + list(self.folder.glob(".*.partial")):
            path.unlink(missing_ok=True)
        (self.folder / INDEX).write_text(json.dumps(self.identity), encoding="utf-8")


def _read(path: Path) -> Saved | None:
    try:
        raw = path.read_bytes()
        magic, count, size = _HEADER.unpack_from(raw)
        start = _HEADER.size + 4 * count
        if magic != _MAGIC or len(raw) != start + size:
            return None
        tokens = struct.unpack_from(f"<{count}i", raw, _HEADER.size)
        data = (ctypes.c_uint8 * size).from_buffer_copy(raw, start)
        return Saved(tuple(tokens), data, size)
    except (OSError, struct.error, ValueError):
        return None
