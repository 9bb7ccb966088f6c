"""Why a file could not be indexed: one short, stable reason per failure.

Reasons are shown to users (CLI report, GUI list) and stored in the manifest, so they
are plain words, not exception class names; `detail` carries the specifics.
"""
from __future__ import annotations

ENCRYPTED = "encrypted"
NO_TEXT_LAYER = "no text layer"
CORRUPT = "corrupt"
UNSUPPORTED = "unsupported type"
EMPTY = "empty"
PERMISSION_DENIED = "permission denied"
MISSING = "missing"
SYMLINK_LOOP = "symlink loop"
NOT_A_FILE = "not a regular file"  # a FIFO, socket or device: reading one can block forever
INDEX_ERROR = "index error"
# How a run says it reached a search with nothing indexed. Plain words: each front end
# adds how to add documents in its own terms (a command, a button).
NOTHING_INDEXED = "has no indexed documents yet"


class ReadError(Exception):
    """A file that cannot be turned into text, with the reason a user can act on."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class LibraryError(Exception):
    """A library that cannot be opened or used as asked (e.g. wrong embedding model)."""
