"""Prompt-cache reuse across alternating action types.

llama.cpp reuses only the prefix the live context shares with the new prompt. WARP
alternates search / write / search ... and each prompt shares a long prefix with the
previous prompt *of the same type*, not with the previous prompt. So after each call we
save the KV state under its slot (the action type; a slot keeps its DEPTH latest
states); before a call we restore whichever saved state (or the live context) shares
the longest prefix with the new prompt, and llama.cpp evaluates only the rest. States live in RAM, least recently used dropped
first beyond the byte cap.

States are saved per sequence (llama_state_seq_get_data): only the KV cells, not the
logits buffer and score matrix that Llama.save_state / LlamaRAMCache copy each time
(about 9 MB extra for a 49k vocabulary), and lookup is by exact token prefix.
"""
from __future__ import annotations

import ctypes
from collections import OrderedDict
from dataclasses import dataclass

MODES = ("slots", "last", "off")
SEQ = 0  # llama-cpp-python runs everything in sequence 0
# States kept per slot; bench_llm_prompt_cache.py --modes policy measured the whole
# recorded sequence: depth 1 evaluates 2.2% more than the exact-prefix floor.
DEPTH = 4
KEY_MARK = "~"


def common_prefix(a, b) -> int:
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def floor_reuse(tokens, earlier) -> int:
    """The prefix an ideal exact-prefix cache that kept every earlier prompt would reuse
    (at most all but the last token, which is always evaluated): anything after it is
    new to the model, whatever the cache."""
    shared = max((common_prefix(tokens, old) for old in earlier), default=0)
    return min(shared, max(0, len(tokens) - 1))


@dataclass
class Saved:
    tokens: tuple[int, ...]
    data: ctypes.Array      # the sequence's KV cells as llama.cpp serialised them
    size: int


def snapshot(llm) -> Saved:
    """The live context's KV cells and tokens."""
    import llama_cpp

    ctx = llm._ctx.ctx
    size = int(llama_cpp.llama_state_seq_get_size(ctx, SEQ))
    data = (ctypes.c_uint8 * size)()
    written = int(llama_cpp.llama_state_seq_get_data(ctx, data, size, SEQ))
    tokens = tuple(int(t) for t in llm.input_ids[: llm.n_tokens])
    return Saved(tokens, data, written)


def restore(llm, saved: Saved) -> bool:
    """Replace the live context with a snapshot; False if llama.cpp refused it."""
    import llama_cpp

    llm.reset()
    if int(llama_cpp.llama_state_seq_set_data(llm._ctx.ctx, saved.data, saved.size, SEQ)) == 0:
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        return False
    count = len(saved.tokens)
    llm.input_ids[:count] = saved.tokens
    llm.n_tokens = count
    llm._requires_eval = True   # logits are not restored: the suffix decode refreshes them
    return True


class SlotCache:
    def __init__(self, capacity_bytes: int, depth: int = DEPTH) -> None:
        self.capacity_bytes, self.depth = capacity_bytes, depth
        self._slots: OrderedDict[str, Saved] = OrderedDict()

    @property
    def size(self) -> int:
        return sum(s.size for s in self._slots.values())

    def __len__(self) -> int:
        return len(self._slots)

    def best(self, tokens: list[int], live_tokens) -> tuple[str | None, int]:
        """(slot to restore or None to keep the live context, usable prefix length).
        Ties go to the live context: keeping it costs nothing."""
        best_slot, best_len = None, common_prefix(live_tokens, tokens)
        for slot, saved in self._slots.items():
            length = common_prefix(saved.tokens, tokens)
            if length > best_len:
                best_slot, best_len = slot, length
        return best_slot, best_len

    def get(self, slot: str) -> Saved:
        self._slots.move_to_end(slot)
        return self._slots[slot]

    def put(self, slot: str, saved: Saved) -> str:
        """Keep `saved` under `slot`, which holds its `depth` latest states: an older
        prompt of the same action may share more with a coming one than the last does
        (a write returning to an earlier section). The slot's least recently used state
        is replaced. Returns the key it is kept under (`slot`, `slot~1`, ...)."""
        keys = [key for key in self._slots if key.split(KEY_MARK)[0] == slot]
        if len(keys) < self.depth:
            names = [slot] + [f"{slot}{KEY_MARK}{i}" for i in range(1, self.depth)]
            key = next(name for name in names if name not in self._slots)
        else:
            key = keys[0]   # OrderedDict order: least recently used first
        self.keep(key, saved)
        return key

    def keep(self, key: str, saved: Saved) -> None:
        """Store under exactly `key` (a state read back from disk)."""
        self._slots.pop(key, None)
        if saved.size > self.capacity_bytes:
            return
        self._slots[key] = saved
        while self.size > self.capacity_bytes:
            self._slots.popitem(last=False)

    def clear(self) -> None:
        self._slots.clear()
