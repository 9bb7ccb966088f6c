"""Typed progress events of an ingest, in the order they are yielded.

The CLI prints them; the desktop re-emits each as a Qt signal from its worker thread.
A run yields IngestStarted, then per file FileStarted followed by exactly one of
FileIndexed / FileSkipped / FileFailed, and Progress; FileRemoved for documents whose
file is gone; and always IngestDone last (also when cancelled). A file being indexed
also yields, before its outcome, FileRead (pages and chunks found) and ChunksEmbedded
after each embedding batch; the first embedding of a process may be preceded by Phase
events (the embedding model loading), so a front end can say why nothing moves.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IngestStarted:
    total: int                      # files found by the scan (including unreadable ones)
    total_bytes: int = 0            # their size, for an estimate of the time left
    files: tuple[tuple[str, int], ...] = ()   # (path, bytes) of each, in indexing order


@dataclass(frozen=True)
class FileStarted:
    path: str
    index: int                      # 1-based position in this run
    total: int
    size: int = 0                   # bytes


LOADING_EMBEDDER = "loading the embedding model"


@dataclass(frozen=True)
class Phase:
    """A stretch of work that belongs to no file (LOADING_EMBEDDER); `done` ends it."""
    name: str
    done: bool = False


@dataclass(frozen=True)
class FileRead:
    path: str
    pages: int                      # 0 for formats without pages
    chunks: int                     # to embed next: distinct texts not yet stored


@dataclass(frozen=True)
class ChunksEmbedded:
    path: str
    done: int                       # chunks of this file embedded and stored so far
    total: int


@dataclass(frozen=True)
class FileIndexed:
    path: str
    doc_id: str
    title: str
    chunks: int
    pages: int
    seconds: float


@dataclass(frozen=True)
class FileSkipped:
    path: str
    reason: str                     # "unchanged", "unsupported type"


@dataclass(frozen=True)
class FileFailed:
    path: str
    reason: str                     # one of engine.library.errors' reasons
    detail: str = ""


@dataclass(frozen=True)
class FileRemoved:
    path: str
    doc_id: str


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


@dataclass
class IngestDone:
    indexed: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    chunks: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0      # time inside the embedding model
    cancelled: bool = False
    failures: dict[str, int] = field(default_factory=dict)   # reason -> count
    threads: int | None = None      # the embedder's threads (None: nothing was embedded)


IngestEvent = (IngestStarted | FileStarted | Phase | FileRead | ChunksEmbedded | FileIndexed
               | FileSkipped | FileFailed | FileRemoved | Progress | IngestDone)
