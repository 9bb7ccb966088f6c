"""Indexing progress as a person reads it: files, pages and chunks so far, what is
happening now, and about how long is left. Pure Python over engine.library.events, so
the estimate is tested without a window.

The estimate (engine.library.eta) is the chunks still to embed over the chunks per second
this embedder manages here: measured in this ingest from its first embedded batch on,
before that remembered from earlier ingests (engine.rates), else the text says
"estimating…". The one-off start (opening the store, loading the embedding model, the
first read) is left out of the rate.
"""
from __future__ import annotations

import time
from pathlib import Path

from desktop.common.words import time_left
from engine import rates
from engine.library import events as lib
from engine.library.eta import MIN_CHUNKS, IngestEta

RATES = "ingest"


class IngestProgress:
    def __init__(self, clock=time.monotonic, embedder: str = "") -> None:
        """`embedder` names the remembered rates (per embedding model; "" shares one)."""
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
        self.saving = None           # the thread remembering this ingest's rates, once done
        self._first_batch: tuple[int, float] | None = None   # chunks, working seconds
        self.rates_name = f"{RATES}:{embedder}" if embedder else RATES
        self.eta = IngestEta(rates.remembered(self.rates_name))

    def on_event(self, event) -> None:
        if isinstance(event, lib.IngestStarted):
            self.files_total, self.bytes_total = event.total, event.total_bytes
            self.eta.started(list(event.files), event.total_bytes)
        elif isinstance(event, lib.FileStarted):
            self.current, self._size = event.path, event.size
            self._file_chunks = self._file_embedded = 0
        elif isinstance(event, lib.Phase):
            self._on_phase(event)
        elif isinstance(event, lib.FileRead):
            self._file_chunks = event.chunks
            self.pages += event.pages
            self.eta.file_read(event.path, self._size, event.chunks)
        elif isinstance(event, lib.ChunksEmbedded):
            self.chunks += event.done - self._file_embedded
            self._file_embedded = event.done
            if self._first_batch is None:
                self._first_batch = (self.chunks, self._working())
        elif isinstance(event, (lib.FileIndexed, lib.FileSkipped, lib.FileFailed)):
            self._on_outcome(event)
        elif isinstance(event, lib.IngestDone) and not event.cancelled:
            self.saving = rates.remember_in_background(self.rates_name,
                                                       self.eta.measured(*self._throughput()))

    def _on_outcome(self, event) -> None:
        size = self._size if event.path == self.current else 0
        self.eta.file_done(event.path, size, isinstance(event, lib.FileSkipped))
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
        """Of the bytes (what the bar shows: it moves with every file)."""
        if self.bytes_total <= 0:
            return self.files_done / self.files_total if self.files_total else 0.0
        share = self._file_embedded / self._file_chunks if self._file_chunks else 0.0
        return min(1.0, (self.bytes_done + self._size * share) / self.bytes_total)

    def _working(self) -> float:
        """Seconds since the start, less the embedding model's loading."""
        working = self._clock() - self.started - self._phase_seconds
        if self.phase is not None:
            working -= self._clock() - self._phase_started
        return working

    def _throughput(self) -> tuple[int, float]:
        """Chunks embedded and the working seconds they took: from the first embedded
        batch on once a batch more is done (the steady rate, without the one-off start:
        opening the store, the first read), else from the start."""
        if self._first_batch is not None:
            chunks, at = self._first_batch
            if self.chunks - chunks >= MIN_CHUNKS:
                return self.chunks - chunks, self._working() - at
        return self.chunks, self._working()

    def seconds_left(self) -> float | None:
        """None while estimating (no measured or remembered rate yet)."""
        current_left = max(self._file_chunks - self._file_embedded, 0)
        return self.eta.seconds_left(*self._throughput(), current_left)

    def text(self) -> str:
        """Two lines: the totals with the time left, then what is happening now."""
        pages = f"{self.pages} pages · " if self.pages else ""   # text files have none
        totals = f"{self.files_done}/{self.files_total} files · {pages}{self.chunks} chunks"
        if self.files_done < self.files_total or self.current:
            left = self.seconds_left()
            totals += " · " + ("estimating the time left…" if left is None
                               else time_left(left))
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
