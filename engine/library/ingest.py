"""Ingest: scan paths, then read, chunk, embed and store each new or changed file.

`run_ingest` is a generator of events (engine.library.events) so the CLI can print and
the GUI can show progress; it checks the cancel token between files and between
embedding batches. Vectors are keyed by their text (engine.library.dedup), so a text
repeated anywhere in the library is embedded and stored once. Order per file, for crash
safety: manifest row 'pending' with its old chunk rows gone and the old and new keys
journaled -> vectors of texts not yet stored upserted -> manifest rows and 'indexed' in
one transaction -> vectors no chunk row holds any more deleted, journal cleared. A crash
anywhere leaves either the old state or 'pending' plus journaled keys, which the next
run sweeps and redoes without duplicating or orphaning anything.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from engine.cancel import Cancelled, CancelToken, NEVER
from engine.library import events as ev
from engine.library.chunking import Chunk, chunk_document
from engine.library.embedder import get_embedder, is_loaded
from engine.library.errors import INDEX_ERROR, ReadError, UNSUPPORTED
from engine.library.manifest import FAILED, INDEXED, ChunkRow, DocRecord
from engine.library.readers import is_supported, read_document
from engine.library.scan import os_error_reason, scan_paths
from engine.threads import JobThreads

EMBED_BATCH = 64
# A file modified this recently may change again within the same mtime tick; storing an
# impossible mtime makes the next scan compare hashes instead of trusting the stat.
_RACY_SECONDS = 2.0


def doc_id_for(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _Outcome:
    event: object
    chunks: int = 0


def run_ingest(library, paths, cancel: CancelToken | None = None) -> Iterator[ev.IngestEvent]:
    cancel = cancel or NEVER
    started = time.perf_counter()
    done = ev.IngestDone()
    embed_before = library.embed_seconds
    scan = scan_paths(paths)
    total = len(scan.files) + len(scan.problems)
    sizes = [_size(p) for p in scan.files]
    yield ev.IngestStarted(total=total, total_bytes=sum(sizes),
                           files=tuple(zip(map(str, scan.files), sizes)))
    for path, reason, detail in scan.problems:
        yield _count(done, ev.FileFailed(path, reason, detail))
    for removed in _remove_vanished(library, scan):
        yield _count(done, removed)
    library.sweep_vectors()     # vectors a killed run left without a chunk row
    reader = _ReadAhead(library)
    threads = JobThreads()     # the embedder's threads, chosen at the first embedding
    try:
        for number, (path, size) in enumerate(zip(scan.files, sizes), start=1):
            cancel.raise_if_cancelled()
            reader.schedule(scan.files[number] if number < len(scan.files) else None)
            yield ev.FileStarted(str(path), number, total, size)
            outcome = yield from _ingest_file(library, path, cancel, reader, threads)
            done.chunks += outcome.chunks
            yield _count(done, outcome.event)
            yield ev.Progress(number + len(scan.problems), total)
    except Cancelled:
        done.cancelled = True
    finally:
        reader.close()
    done.seconds = time.perf_counter() - started
    done.embed_seconds = library.embed_seconds - embed_before
    done.threads = threads.choice.threads if threads.choice else None
    yield done


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _count(done: ev.IngestDone, event):
    if isinstance(event, ev.FileIndexed):
        done.indexed += 1
    elif isinstance(event, ev.FileSkipped):
        done.skipped += 1
    elif isinstance(event, ev.FileFailed):
        done.failed += 1
        done.failures[event.reason] = done.failures.get(event.reason, 0) + 1
    elif isinstance(event, ev.FileRemoved):
        done.removed += 1
    return event


def _remove_vanished(library, scan) -> Iterator[ev.FileRemoved]:
    """Documents under a re-scanned folder whose file is gone."""
    present = {str(p) for p in scan.files}
    blocked = [str(p) + os.sep for p in scan.unreadable]
    for folder in scan.folders:
        for record in library.manifest.under(str(folder)):
            if record.path in present or any(record.path.startswith(b) for b in blocked):
                continue
            library.delete_document(record.doc_id)
            yield ev.FileRemoved(record.path, record.doc_id)


class _ReadAhead:
    """Reads and chunks the next file on a thread while this one is embedded: parsing
    is Python, the embedding model runs in native code without the GIL, so the two
    overlap. Only files whose stat says they changed are read ahead (an unchanged
    re-scan reads nothing)."""

    def __init__(self, library) -> None:
        self.library = library
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
        self._pending: dict[str, tuple[tuple, Future]] = {}

    def schedule(self, path: Path | None) -> None:
        if path is None or not is_supported(path):
            return
        record = self.library.manifest.get(str(path))
        try:
            stat = os.stat(path)
        except OSError:
            return
        if record and _same_stat(record, stat) and record.status in (INDEXED, FAILED):
            return
        config = self.library.chunk_config
        self._pending[str(path)] = (_stat_key(stat),
                                    self._pool.submit(_read_and_chunk, path, config))

    def take(self, path: Path):
        """(document, chunks), read ahead if it was, else now; reader errors raise here."""
        key, future = self._pending.pop(str(path), (None, None))
        if future is None or key != _stat_key(os.stat(path)):   # changed since: read again
            return _read_and_chunk(path, self.library.chunk_config)
        return future.result()

    def close(self) -> None:
        for _, future in self._pending.values():
            future.cancel()
        self._pool.shutdown(wait=True)


def _stat_key(stat) -> tuple:
    return stat.st_size, stat.st_mtime_ns


def _read_and_chunk(path: Path, config):
    document = read_document(path)
    return document, chunk_document(document, config)


def _ingest_file(library, path: Path, cancel: CancelToken, reader: _ReadAhead,
                 threads: JobThreads):
    """Yields the file's progress events; returns its _Outcome."""
    name = str(path)
    if not is_supported(path):
        return _Outcome(ev.FileSkipped(name, UNSUPPORTED))
    record = library.manifest.get(name)
    digest = ""
    try:
        stat = os.stat(path)
        if record and _same_stat(record, stat) and record.status in (INDEXED, FAILED):
            return _Outcome(_unchanged(record))
        digest = file_sha256(path)
        if record and record.sha256 == digest and record.status in (INDEXED, FAILED):
            library.manifest.touch(record.doc_id, stat.st_size, _stable_mtime(stat))
            return _Outcome(_unchanged(record))
        return (yield from _index(library, path, stat, digest, cancel, reader, threads))
    except ReadError as exc:
        return _failed(library, name, digest, exc.reason, exc.detail, record)
    except OSError as exc:
        return _failed(library, name, digest, os_error_reason(exc), str(exc), record)
    except Cancelled:
        raise
    except Exception as exc:  # a reader or store bug on one file must not stop the run
        return _failed(library, name, digest, INDEX_ERROR, f"{type(exc).__name__}: {exc}", record)


def _same_stat(record: DocRecord, stat) -> bool:
    return record.size == stat.st_size and record.mtime_ns == stat.st_mtime_ns


def _stable_mtime(stat) -> int:
    return -1 if time.time() - stat.st_mtime < _RACY_SECONDS else stat.st_mtime_ns


def _unchanged(record: DocRecord):
    if record.status == FAILED:
        return ev.FileFailed(record.path, record.reason, record.detail)
    return ev.FileSkipped(record.path, "unchanged")


def _failed(library, name: str, digest: str, reason: str, detail: str,
            record: DocRecord | None) -> _Outcome:
    """Record why a file failed (with its hash, so an unchanged copy is not read again)."""
    doc_id = record.doc_id if record else doc_id_for(name)
    try:
        stat = os.stat(name)
        size, mtime = stat.st_size, _stable_mtime(stat)
    except OSError:
        size, mtime, digest = 0, -1, ""
    if record or os.path.exists(name):
        library.manifest.record_failed(DocRecord(doc_id, name, size, mtime, digest, "", 0, 0,
                                                 FAILED, reason, detail, 0.0))
        library.sweep_vectors()   # an earlier version's texts, if no other chunk holds them
    return _Outcome(ev.FileFailed(name, reason, detail))


def _index(library, path: Path, stat, digest: str, cancel: CancelToken, reader: _ReadAhead,
           threads: JobThreads):
    started = time.perf_counter()
    name, doc_id = str(path), doc_id_for(str(path))
    document, chunks = reader.take(path)
    rows = [_row(doc_id, c) for c in chunks]
    keys = [r.text_key for r in rows]
    old = library.manifest.begin(doc_id, name, stat.st_size, -1, keys)
    # One vector per distinct text: texts already stored (elsewhere in the library, or
    # unchanged in this file's old version) are not embedded again.
    stored = library.manifest.stored_keys(keys) | old
    todo: dict[str, ChunkRow] = {}
    for key, row in zip(keys, rows):
        if key not in stored:
            todo.setdefault(key, row)
    yield ev.FileRead(name, document.pages, len(todo))     # the texts to embed next
    if todo and not is_loaded(library.model):
        yield ev.Phase(ev.LOADING_EMBEDDER)
        get_embedder(library.model)
        yield ev.Phase(ev.LOADING_EMBEDDER, done=True)
    items = list(todo.items())
    for start in range(0, len(items), EMBED_BATCH):
        cancel.raise_if_cancelled()
        batch = [row for _, row in items[start:start + EMBED_BATCH]]
        vectors = library.embed([r.text for r in batch], workers=threads.get())
        library.store.add([r.text_key for r in batch], vectors, [r.text for r in batch],
                          [_source(r, name, document.title) for r in batch])
        yield ev.ChunksEmbedded(name, min(start + EMBED_BATCH, len(items)), len(items))
    record = DocRecord(doc_id, name, stat.st_size, _stable_mtime(stat), digest, document.title,
                       document.pages, len(chunks), INDEXED, "", "", 0.0,
                       header_pages=document.header_pages)
    library.manifest.commit_indexed(record, rows)
    library.sweep_vectors()     # the old version's texts no chunk holds any more
    return _Outcome(ev.FileIndexed(name, doc_id, document.title, len(chunks), document.pages,
                                   time.perf_counter() - started), len(chunks))


def _source(row: ChunkRow, path: str, title: str) -> dict:
    """Where a text was first stored, kept with its vector for other machines that share
    a Chroma server (their manifests do not know this document)."""
    meta = {"doc_id": row.doc_id, "path": path, "title": title, "idx": row.idx,
            "locator": row.locator, "heading_path": json.dumps(row.heading_path, ensure_ascii=False),
            "char_start": row.char_start, "char_end": row.char_end}
    if row.page is not None:
        meta["page"] = row.page
    return meta


def _row(doc_id: str, c: Chunk) -> ChunkRow:
    return ChunkRow(f"{doc_id}:{c.index}", doc_id, c.index, c.text, c.page, c.locator,
                    list(c.heading_path), c.char_start, c.char_end)
