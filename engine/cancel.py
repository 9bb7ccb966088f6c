"""A cancel flag shared between the caller (CLI, GUI thread) and long engine work.

Work checks it between tokens, files and steps; `Cancelled` unwinds cleanly.
"""
from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised by long work when its cancel token was set."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


NEVER = CancelToken()  # a token nobody cancels, for callers that do not care
