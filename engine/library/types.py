"""Data shared by the library and its users (the WARP engine, export, CLI)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol


@dataclass
class VectorHit:
    """One nearest vector, from the exact index or Chroma's graph alike."""

    key: str            # the text key (engine.library.dedup) the vector stands for
    distance: float     # cosine distance


@dataclass
class Passage:
    """One retrieved chunk with everything needed to cite it."""

    chunk_id: str
    text: str
    doc_id: str
    path: str
    title: str
    page: int | None = None          # 1-based page for paged formats (PDF, EPUB, XPS)
    locator: str = ""                # page-less position, e.g. "¶12" or "Methods > Data"
    heading_path: list[str] = field(default_factory=list)
    char_start: int = 0
    char_end: int = 0
    score: float = 0.0
    repeats: int = 0                 # other places in the library holding the same text

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Passage":
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def where(self) -> str:
        """Human-readable position: 'p. 3', or the locator."""
        if self.page is not None:
            return f"p. {self.page}"
        return self.locator


class Retriever(Protocol):
    """What the WARP engine needs from a library (engine.library.library.Library is the
    one implementation; see engine.library.retrieval)."""

    name: str                       # what the user calls it, for messages

    def search_keywords(self, keywords: list[str], budget: int) -> list[Passage]:
        """Search each keyword on its own and merge as the WARP protocol does."""
        ...

    def is_empty(self) -> bool:
        """Nothing indexed, as far as is known (a run stops before searching nothing)."""
        ...

    def close(self) -> None:
        """Release connections and threads; the run that owns the retriever calls it."""
        ...
