"""Prompt-cache reuse across alternating action types.

llama.cpp reuses only the prefix the live context shares with the new prompt. WARP
alternates search / write / search ... and each prompt shares a long prefix with the
previous prompt *of the same type*, not with the previous prompt. So after each call we
save the KV state under its slot (the action type); before a call we restore whichever
saved state (or the live context) shares the longest prefix with the new prompt, and
llama.cpp evaluates only the rest. States live in RAM, least recently used dropped
first beyond the byte cap.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

MODES = ("slots", "last", "off")


def common_prefix(a, b) -> int:
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


@dataclass
class Saved:
    tokens: tuple[int, ...]
    state: object          # llama_cpp.LlamaState
    size: int


class SlotCache:
    def __init__(self, capacity_bytes: int = 1 << 30) -> None:
        self.capacity_bytes = capacity_bytes
        self._slots: OrderedDict[str, Saved] = OrderedDict()

    @property
    def size(self) -> int:
        return sum(s.size for s in self._slots.values())

    def best(self, tokens: list[int], live_tokens) -> tuple[str | None, int]:
        """(slot to restore or None to keep the live context, usable prefix length)."""
        best_slot, best_len = None, common_prefix(live_tokens, tokens)
        for slot, saved in self._slots.items():
            length = common_prefix(saved.tokens, tokens)
            if length > best_len:
                best_slot, best_len = slot, length
        return best_slot, best_len

    def get(self, slot: str) -> Saved:
        self._slots.move_to_end(slot)
        return self._slots[slot]

    def put(self, slot: str, tokens, state, size: int) -> None:
        self._slots.pop(slot, None)
        self._slots[slot] = Saved(tuple(tokens), state, size)
        while self.size > self.capacity_bytes and len(self._slots) > 1:
            self._slots.popitem(last=False)

    def clear(self) -> None:
        self._slots.clear()
