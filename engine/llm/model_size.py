"""What a model costs per token, from its size: the weights a decoded token reads, the
multiply-adds a prompt token takes, the KV cache each token of context adds. Read from a
GGUF file's tensor table, or worked out from a catalogue model's published shape (for a
model not downloaded yet: engine.llm.catalog DOWNLOADABLE[...]["shape"])."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.llm.gguf_header import model_bytes, read_gguf, tensor_elements


@dataclass(frozen=True)
class ModelSize:
    name: str
    weight_bytes: int        # read once per decoded token (all of them)
    block_params: int        # the repeated layers: what every prompt token multiplies by
    layers: int
    attn_width: int          # heads x head size: attention's work per token of context
    kv_bytes_per_token: int  # f16 K and V, all layers

    @property
    def params_label(self) -> str:
        return f"{self.block_params / 1e9:.2f}B" if self.block_params >= 1e9 else \
            f"{self.block_params / 1e6:.0f}M"


def from_gguf(path: str | Path) -> ModelSize:
    """From the file: bytes of the weights, parameters of the `blk.*` tensors (the token
    embedding and output head are left out: a prompt token does not multiply by them)."""
    info = read_gguf(path)
    block = sum(n for name, n in tensor_elements(info.path).items() if name.startswith("blk."))
    embd = int(info.arch_value("embedding_length", 0) or 0)
    heads = int(info.arch_value("attention.head_count", 1) or 1)
    key = int(info.arch_value("attention.key_length", embd // heads) or embd // heads)
    return ModelSize(name=str(info.metadata.get("general.name", info.path.stem)),
                     weight_bytes=model_bytes(info.path), block_params=block,
                     layers=int(info.n_layers or 0), attn_width=heads * key,
                     kv_bytes_per_token=info.kv_bytes_per_token())


def from_shape(name: str, shape: dict) -> ModelSize:
    """From a published configuration (hidden size, layers, feed-forward size, heads, KV
    heads, head size) and the quantised file's size: a gated-MLP decoder's layer holds
    Q and O (hidden x hidden), K and V (hidden x kv_heads x head), three FFN matrices."""
    hidden, layers, ff = shape["hidden"], shape["layers"], shape["ffn"]
    kv_width = shape["kv_heads"] * shape["head_dim"]
    per_layer = 2 * hidden * hidden + 2 * hidden * kv_width + 3 * hidden * ff + 2 * hidden
    return ModelSize(name=name, weight_bytes=int(shape["file_bytes"]),
                     block_params=layers * per_layer, layers=layers,
                     attn_width=shape["heads"] * shape["head_dim"],
                     kv_bytes_per_token=layers * kv_width * 2 * 2)
