"""Time left for an ingest: the chunks still to embed over the chunks per second this
embedder manages on this machine.

Chunks per second: this ingest's own throughput (chunks stored per working second, the
embedding model's loading left out) once it has embedded MIN_CHUNKS; before that, what
earlier ingests measured here (engine.rates); without either, no estimate (None).

Chunks still to embed: the current file's chunks not yet embedded, plus for each file not
yet read its size over the bytes per chunk of its type (measured in this ingest, else
remembered, else DEFAULT_BYTES_PER_CHUNK), times the share of files not skipped as
unchanged so far. Sizing by type matters: a PDF holds several times fewer chunks per byte
than a text file, so counting bytes alone promised minutes for a PDF that took seconds.
"""
from __future__ import annotations

from pathlib import Path

MIN_CHUNKS = 16
# Bytes per chunk with this chunker, measured over the shared corpora (tests/data/timings/
# README.md): 106 text files 386, 137 PDFs 11,648 (median 19,941), 6 EPUBs 2,342, 2 Word
# files 13,423; Markdown as text; HTML (one sample) set between text and Word.
DEFAULT_BYTES_PER_CHUNK = {".txt": 400.0, ".md": 400.0, ".markdown": 400.0,
                           ".html": 1500.0, ".htm": 1500.0, ".pdf": 12000.0,
                           ".docx": 13000.0, ".epub": 2300.0}
FALLBACK_BYTES_PER_CHUNK = 3000.0


def suffix(path: str) -> str:
    return Path(path).suffix.lower()


class IngestEta:
    def __init__(self, remembered: dict[str, float] | None = None) -> None:
        self.remembered = remembered or {}
        self.pending: dict[str, int] = {}           # files not yet read: path -> bytes
        self.unlisted_bytes = 0                     # bytes of files the list did not name
        self.read: dict[str, list[int]] = {}        # suffix -> [bytes, chunks] read here
        self.seen: set[str] = set()
        self.finished = self.skipped = 0

    def started(self, files: list[tuple[str, int]], total_bytes: int) -> None:
        self.pending = dict(files)
        self.unlisted_bytes = max(total_bytes - sum(self.pending.values()), 0)

    def file_read(self, path: str, size: int, chunks: int) -> None:
        self._account(path, size)
        seen = self.read.setdefault(suffix(path), [0, 0])
        seen[0], seen[1] = seen[0] + size, seen[1] + chunks

    def file_done(self, path: str, size: int, skipped: bool) -> None:
        """A file's outcome (indexed, skipped as unchanged, failed)."""
        self._account(path, size)
        self.finished += 1
        self.skipped += skipped

    def _account(self, path: str, size: int) -> None:
        """The file's bytes leave the ones still to come (once)."""
        if path in self.seen:
            return
        self.seen.add(path)
        if self.pending.pop(path, None) is None:
            self.unlisted_bytes = max(self.unlisted_bytes - size, 0)

    def bytes_per_chunk(self, kind: str) -> float:
        own = self.read.get(kind)
        if own and own[1]:
            return own[0] / own[1]
        return self.remembered.get(f"bytes_per_chunk:{kind}",
                                   DEFAULT_BYTES_PER_CHUNK.get(kind, FALLBACK_BYTES_PER_CHUNK))

    def chunks_to_come(self) -> float:
        """Chunks of the files not yet read, as their sizes and types predict."""
        share = 1.0 - self.skipped / self.finished if self.finished else 1.0
        chunks = sum(size / self.bytes_per_chunk(suffix(path))
                     for path, size in self.pending.items())
        return share * (chunks + self.unlisted_bytes / FALLBACK_BYTES_PER_CHUNK)

    def chunks_per_second(self, embedded: int, working_seconds: float) -> float | None:
        if embedded >= MIN_CHUNKS and working_seconds > 0:
            return embedded / working_seconds
        return self.remembered.get("chunks_per_second")

    def seconds_left(self, embedded: int, working_seconds: float,
                     current_left: int) -> float | None:
        """`embedded`: chunks embedded so far; `current_left`: chunks of the file being
        embedded that are still to do."""
        rate = self.chunks_per_second(embedded, working_seconds)
        if rate is None:
            return None
        return (current_left + self.chunks_to_come()) / rate

    def measured(self, embedded: int, working_seconds: float) -> dict[str, float]:
        """What this ingest measured, for engine.rates.remember()."""
        rates = {f"bytes_per_chunk:{k}": b / c for k, (b, c) in self.read.items() if c}
        if embedded >= MIN_CHUNKS and working_seconds > 0:
            rates["chunks_per_second"] = embedded / working_seconds
        return rates
