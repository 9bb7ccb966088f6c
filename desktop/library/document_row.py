"""One document as the library list shows it: its path, name, status text and whether it
failed. A row from a listing keeps the manifest record and makes its texts when first
asked (painting asks for the rows in sight, the filter for every row at its first key), so
taking a listing of 2,000 documents costs no text at all."""
from __future__ import annotations

import os

from desktop.library.texts import status_text


class Row:
    __slots__ = ("path", "failed", "_doc", "_status", "_name", "_search")

    def __init__(self, path: str, status: str | None, failed: bool, doc=None) -> None:
        self.path, self.failed, self._doc, self._status = path, failed, doc, status
        self._name = self._search = None

    @classmethod
    def of(cls, doc) -> "Row":
        """A row for an engine.library manifest record (what a LibraryListing carries)."""
        return cls(doc.path, None, doc.status == "failed", doc)

    @property
    def status(self) -> str:
        if self._status is None:
            self._status = status_text(self._doc)
        return self._status

    @property
    def name(self) -> str:
        if self._name is None:
            self._name = os.path.basename(self.path)
        return self._name

    @property
    def search(self) -> str:
        """Name and status in lower case: what the filter box matches."""
        if self._search is None:
            self._search = f"{self.name} {self.status}".casefold()
        return self._search

    def adopt(self, other: "Row") -> None:
        """Keep `other`'s record (it shows the same): the next listing compares to it."""
        if other._doc is not None:
            self._doc = other._doc

    def same(self, other: "Row") -> bool:
        """Shows the same thing: two listings' records compare without making texts."""
        if self.path != other.path or self.failed != other.failed:
            return False
        if self._doc is not None and other._doc is not None:
            return self._doc == other._doc
        return self.status == other.status
