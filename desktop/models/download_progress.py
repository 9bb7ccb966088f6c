"""A model download as a person reads it: bytes so far, speed, time left. Pure Python
over engine.llm.download's events (speed over a sliding window, so a stall shows)."""
from __future__ import annotations

import time
from collections import deque

from desktop.common.words import time_left
from engine.llm import download as dl

WINDOW_S = 5.0


def size_text(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"


class DownloadTracker:
    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self.file = ""
        self.total: int | None = None
        self.done = 0
        self.verifying = False
        self._samples: deque = deque()

    def on_event(self, event) -> None:
        if isinstance(event, dl.DownloadStarted):
            self.file, self.total, self.done = event.file, event.total, event.resumed_from
            self._samples.clear()
            self._samples.append((self._clock(), self.done))
        elif isinstance(event, dl.DownloadProgress):
            self.done, self.total = event.done, event.total
            now = self._clock()
            self._samples.append((now, self.done))
            while len(self._samples) > 2 and now - self._samples[0][0] > WINDOW_S:
                self._samples.popleft()
        elif isinstance(event, dl.DownloadVerifying):
            self.verifying = True

    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    def speed(self) -> float | None:
        """Bytes per second over the last few seconds."""
        if len(self._samples) < 2:
            return None
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else None

    def text(self) -> str:
        if self.verifying:
            return "Checking the file's checksum…"
        parts = [size_text(self.done) + (f" of {size_text(self.total)}" if self.total else "")]
        speed = self.speed()
        if speed:
            parts.append(f"{size_text(speed)}/s")
            if self.total:
                parts.append(time_left((self.total - self.done) / speed))
        return " · ".join(parts)
