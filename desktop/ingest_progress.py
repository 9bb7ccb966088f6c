"""Indexing progress as a person reads it: files, pages and chunks so far, what is
happening now, and about how long is left. Pure Python over engine.library.events, so
the estimate is tested without a window.

The estimate counts bytes: files already done plus the embedded share of the current
one, against the bytes the scan found. Time spent loading the embedding model is left
out of the rate (it happens once), so the first file does not promise an hour.
"""
from __future__ import annotations

import time
from pathlib import Path

from engine.library import events as lib

MIN_FRACTION = 0.01     # below this, an estimate is noise
MIN_SECONDS = 1.0


class IngestProgress:
    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self.started = clock()
        self.files_total = self.files_done = 0
        self.bytes_total = self.bytes_done = 0
        self.pages = self.chunks = 0
        self.current: str | None = None
        self._size = self._file_chunks = self._file_embedded = 0
        self.phase: str | None = None
        self._phase_started = 0.0
        self._phase_seconds = 0.0

    def on_event(self, event) -> None:
        if isinstance(event, lib.IngestStarted):
            self.files_total, self.bytes_total = event.total, event.total_bytes
        elif isinstance(event, lib.FileStarted):
            self.current, self._size = event.path, event.size
            self._file_chunks = self._file_embedded = 0
        elif isinstance(event, lib.Phase):
            self._on_phase(event)
        elif isinstance(event, lib.FileRead):
            self._file_chunks = event.chunks
            self.pages += event.pages
        elif isinstance(event, lib.ChunksEmbedded):
            self.chunks += event.done - self._file_embedded
            self._file_embedded = event.done
        elif isinstance(event, (lib.FileIndexed, lib.FileSkipped, lib.FileFailed)):
            if event.path == self.current:
                self.bytes_done += self._size
                self.current, self._size = None, 0
            self.files_done += 1

    def _on_phase(self, event: lib.Phase) -> None:
        if event.done:
            self._phase_seconds += self._clock() - self._phase_started
            self.phase = None
        else:
            self.phase, self._phase_started = event.name, self._clock()

    def fraction(self) -> float:
        if self.bytes_total <= 0:
            return self.files_done / self.files_total if self.files_total else 0.0
        share = self._file_embedded / self._file_chunks if self._file_chunks else 0.0
        return min(1.0, (self.bytes_done + self._size * share) / self.bytes_total)

    def seconds_left(self) -> float | None:
        done = self.fraction()
        working = self._clock() - self.started - self._phase_seconds
        if self.phase is not None:
            working -= self._clock() - self._phase_started
        if done < MIN_FRACTION or working < MIN_SECONDS:
            return None
        return working * (1.0 - done) / done

    def text(self) -> str:
        """Two lines: the totals with the time left, then what is happening now."""
        pages = f"{self.pages} pages · " if self.pages else ""   # text files have none
        totals = f"{self.files_done}/{self.files_total} files · {pages}{self.chunks} chunks"
        left = self.seconds_left()
        if left is not None:
            totals += f" · {time_left(left)}"
        if self.phase == lib.LOADING_EMBEDDER:
            now = "Loading the embedding model (once per session)…"
        elif self.current:
            now = Path(self.current).name
            if self._file_chunks:
                now += f": embedding {self._file_embedded}/{self._file_chunks} chunks"
            else:
                now += ": reading"
        else:
            now = "Scanning…" if not self.files_total else ""
        return f"{totals}\n{now}" if now else totals


def time_left(seconds: float) -> str:
    if seconds < 60:
        return "less than a minute left" if seconds >= 10 else "a few seconds left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"
