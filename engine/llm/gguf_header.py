"""Read a GGUF file's header and metadata quickly, with clear errors for files that are
not GGUF, truncated, or of an unknown version. Arrays (the vocabulary) are skipped, not
decoded, so even an 8B model's header reads in milliseconds.

Layout (GGUF v2/v3, little-endian): magic "GGUF", u32 version, u64 tensor count,
u64 metadata count, then key/value pairs: string key, u32 type, value.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from engine.llm.base import ModelError

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
FILE_TYPES = {0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
              10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S",
              15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS",
              24: "IQ1_S", 25: "IQ4_NL", 30: "IQ4_XS", 32: "BF16"}


class _Truncated(Exception):
    pass


def _read(handle: BinaryIO, fmt: str):
    size = struct.calcsize(fmt)
    data = handle.read(size)
    if len(data) != size:
        raise _Truncated()
    return struct.unpack(fmt, data)[0]


def _string(handle: BinaryIO) -> str:
    length = _read(handle, "<Q")
    data = handle.read(length)
    if len(data) != length:
        raise _Truncated()
    return data.decode("utf-8", errors="replace")


def _value(handle: BinaryIO, kind: int):
    if kind in _SCALARS:
        return _read(handle, _SCALARS[kind])
    if kind == _STRING:
        return _string(handle)
    if kind == _ARRAY:
        item_kind, count = _read(handle, "<I"), _read(handle, "<Q")
        if item_kind in _SCALARS:  # skip fixed-size items in one seek
            handle.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
        else:
            for _ in range(count):
                _value(handle, item_kind)
        return f"<array of {count}>"
    raise ModelError(f"unknown GGUF value type {kind}")


@dataclass
class GGUFInfo:
    path: Path
    version: int
    metadata: dict

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    def arch_value(self, key: str, default=None):
        return self.metadata.get(f"{self.architecture}.{key}", default)

    @property
    def context_length(self) -> int | None:
        return self.arch_value("context_length")

    @property
    def n_layers(self) -> int | None:
        return self.arch_value("block_count")

    @property
    def chat_template(self) -> str | None:
        return self.metadata.get("tokenizer.chat_template")

    @property
    def quantization(self) -> str:
        file_type = self.metadata.get("general.file_type")
        return FILE_TYPES.get(file_type, f"type {file_type}" if file_type is not None else "?")

    def kv_bytes_per_token(self) -> int:
        """f16 K and V for every layer (an upper bound; GQA models store fewer heads)."""
        layers = self.n_layers or 32
        embed = self.arch_value("embedding_length", 4096)
        heads = self.arch_value("attention.head_count", 32) or 32
        kv_heads = self.arch_value("attention.head_count_kv", heads) or heads
        return int(2 * layers * (embed // heads) * kv_heads * 2)


def read_gguf(path: str | Path) -> GGUFInfo:
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    with path.open("rb") as handle:
        if handle.read(4) != b"GGUF":
            raise ModelError(f"{path.name} is not a GGUF model file (wrong magic bytes)")
        try:
            version = _read(handle, "<I")
            if version not in (2, 3):
                raise ModelError(f"{path.name}: unsupported GGUF version {version}")
            _read(handle, "<Q")
            count = _read(handle, "<Q")
            metadata = {}
            for _ in range(count):
                key = _string(handle)
                metadata[key] = _value(handle, _read(handle, "<I"))
        except _Truncated:
            raise ModelError(f"{path.name} is truncated (the GGUF header ends early)") from None
    return GGUFInfo(path=path, version=version, metadata=metadata)
