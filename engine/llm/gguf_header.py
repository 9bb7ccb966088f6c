"""Read a GGUF file's header and metadata quickly, with clear errors for files that are
not GGUF, truncated, or of an unknown version. Arrays (the vocabulary) are skipped, not
decoded, so even an 8B model's header reads in milliseconds.

Layout (GGUF v2/v3, little-endian): magic "GGUF", u32 version, u64 tensor count,
u64 metadata count, then key/value pairs: string key, u32 type, value.
"""
from __future__ import annotations

import glob
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from engine.llm.base import ModelError

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
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
        """The file type as llama.cpp names it (Q4_K_M, Q8_0, ...)."""
        from gguf import LlamaFileType

        file_type = self.metadata.get("general.file_type")
        if file_type is None:
            return "unknown"
        try:
            return LlamaFileType(file_type).name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            return f"type {file_type}"

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size

    def kv_bytes_per_token(self) -> int:
        """f16 K and V for every layer, per KV head (grouped-query models store fewer)."""
        layers = self.n_layers or 32
        embed = self.arch_value("embedding_length", 4096) or 4096
        heads = self.arch_value("attention.head_count", 32) or 32
        kv_heads = self.arch_value("attention.head_count_kv", heads) or heads
        key = self.arch_value("attention.key_length", embed // heads) or embed // heads
        value = self.arch_value("attention.value_length", key) or key
        return int(layers * kv_heads * (key + value) * 2)


def _header(handle: BinaryIO, name: str) -> tuple[int, int, dict]:
    """(version, tensor count, metadata), leaving the handle at the tensor table."""
    if handle.read(4) != b"GGUF":
        raise ModelError(f"{name} is not a GGUF model file (wrong magic bytes)")
    try:
        version = _read(handle, "<I")
        if version not in (2, 3):
            raise ModelError(f"{name}: unsupported GGUF version {version}")
        tensors = _read(handle, "<Q")
        count = _read(handle, "<Q")
        metadata = {}
        for _ in range(count):
            key = _string(handle)
            metadata[key] = _value(handle, _read(handle, "<I"))
    except _Truncated:
        raise ModelError(f"{name} is truncated (the GGUF header ends early)") from None
    return version, tensors, metadata


def _open(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    return path


def read_gguf(path: str | Path) -> GGUFInfo:
    path = _open(path)
    with path.open("rb") as handle:
        version, _, metadata = _header(handle, path.name)
    return GGUFInfo(path=path, version=version, metadata=metadata)


def tensor_elements(path: str | Path) -> dict[str, int]:
    """Each tensor's number of values, from the tensor table after the metadata (name,
    dimensions, type, offset): a model's parameter count without reading its weights."""
    path = _open(path)
    with path.open("rb") as handle:
        _, count, _ = _header(handle, path.name)
        elements = {}
        try:
            for _ in range(count):
                name = _string(handle)
                size = 1
                for _ in range(_read(handle, "<I")):
                    size *= _read(handle, "<Q")
                _read(handle, "<I"), _read(handle, "<Q")     # type, offset
                elements[name] = size
        except _Truncated:
            raise ModelError(f"{path.name} is truncated (the tensor table ends early)") from None
    return elements


def verify_gguf(path: str | Path) -> GGUFInfo:
    """Full check before a file enters the catalogue: the header (read_gguf) and, with the
    gguf package, every tensor's data lying inside the file (a cut-off download fails)."""
    info = read_gguf(path)
    from gguf import GGUFReader

    try:
        reader = GGUFReader(info.path)
        end = max((t.data_offset + int(t.n_bytes) for t in reader.tensors), default=0)
    except (ValueError, IndexError, OSError) as exc:
        raise ModelError(f"{info.path.name} is truncated or corrupt ({exc})") from None
    if end > info.size_bytes:
        raise ModelError(f"{info.path.name} is truncated: tensor data needs {end} bytes, "
                         f"the file has {info.size_bytes}")
    if not reader.tensors:
        raise ModelError(f"{info.path.name} holds no tensors: not a model")
    return info


def model_bytes(path: str | Path) -> int:
    """Size of the weights: the file, or all shards of a split GGUF (name-00001-of-00003)."""
    path = Path(path)
    split = re.match(r"(.*)-\d{5}-of-(\d{5})\.gguf$", path.name)
    if not split:
        return path.stat().st_size
    shards = path.parent.glob(f"{glob.escape(split.group(1))}-?????-of-{split.group(2)}.gguf")
    return sum(shard.stat().st_size for shard in shards)
