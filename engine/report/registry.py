"""The citation registry: each distinct passage shown gets a stable key `textidN`,
N counting up from 1 over the whole run; the same passage keeps its key."""
from __future__ import annotations

from engine.library.types import Passage


class CitationRegistry:
    def __init__(self) -> None:
        self._by_key: dict[str, Passage] = {}
        self._key_of_chunk: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._by_key)

    def register(self, passages: list[Passage]) -> list[tuple[str, Passage]]:
        """Keys for these passages, assigning new ones in order of first sight."""
        keyed = []
        for passage in passages:
            key = self._key_of_chunk.get(passage.chunk_id)
            if key is None:
                key = f"textid{len(self._by_key) + 1}"
                self._by_key[key] = passage
                self._key_of_chunk[passage.chunk_id] = key
            keyed.append((key, passage))
        return keyed

    def resolve(self, key: str) -> Passage | None:
        return self._by_key.get(key)

    def items(self) -> list[tuple[str, Passage]]:
        return list(self._by_key.items())

    def to_dict(self) -> dict[str, dict]:
        return {key: passage.to_dict() for key, passage in self._by_key.items()}

    @classmethod
    def from_items(cls, items: list[tuple[str, Passage]]) -> "CitationRegistry":
        registry = cls()
        for key, passage in sorted(items, key=lambda kv: int(kv[0].removeprefix("textid"))):
            registry._by_key[key] = passage
            registry._key_of_chunk[passage.chunk_id] = key
        return registry
