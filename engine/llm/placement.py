"""Where a model runs: GPU layers, context length, KV-cache type and flash attention.

On a GPU (free memory known) the plan prefers, in order: the protocol's context (65,536
tokens, what the WARP model was served with) and every layer on the GPU, with the KV
cache in f16, else q8_0 (near-lossless), else q4_0; then the context halved down to
16,384, trying the same KV types; only then some layers on the CPU (q8_0 KV, protocol
context). Flash attention on the GPU (GPU_FLASH_ATTN) and on the CPU (CPU_PREFILL) comes
from one rule in engine.llm.prefill: on wherever it is faster, as long as prompt-cache
reuse changes the logits no more than batch shapes do (tests/llm/test_reuse_logits.py);
on the GPU llama.cpp also needs it for a quantised V cache, and without it the attention
scores alone take n_ubatch x n_ctx x heads x 4 bytes (4 GiB for an 8B at 64k). On the
CPU the context is capped by DEFAULT_MAX_CTX and half of the free RAM after the weights;
batch sizes there come from engine.llm.prefill (measured). The user's n_gpu_layers,
KV type and flash-attention settings always win. `Placement.notes` say why, for the
log, `deepdraft doctor` and the window (describe()).
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from engine.llm.gguf_header import GGUFInfo
from engine.llm.prefill import CPU_PREFILL, GPU_FLASH_ATTN

RESERVE_BYTES = 512 * 2**20     # GPU memory kept free: CUDA context, fragmentation
PROTOCOL_CTX = 65536            # the context the WARP model is served with
MIN_GPU_CTX = 16384             # below this, shrink layers rather than the context
DEFAULT_MAX_CTX = 32768         # CPU: larger contexts only slow a CPU run down
MIN_CTX = 512
GPU_UBATCH = 512
# ggml type id and bytes per element relative to f16 (q8_0: 34 bytes per 32 values,
# q4_0: 18 bytes per 32).
KV_TYPES = {"f16": (1, 1.0), "q8_0": (8, 34 / 64), "q4_0": (2, 18 / 64)}


@dataclass(frozen=True)
class ModelShape:
    """What placement needs to know about a model, from its GGUF metadata."""
    weights: int                 # bytes of all weight files
    n_layers: int
    kv_f16_per_token: int        # K and V bytes per token in f16, all layers
    n_vocab: int
    n_embd: int
    n_ff: int
    n_head: int
    trained_ctx: int

    @classmethod
    def from_gguf(cls, info: GGUFInfo, weights: int | None = None) -> "ModelShape":
        embd = int(info.arch_value("embedding_length", 4096) or 4096)
        tokens = str(info.metadata.get("tokenizer.ggml.tokens", ""))
        vocab = int(tokens.removeprefix("<array of ").rstrip(">")) if tokens.startswith("<array of ") else 32000
        ff = info.arch_value("feed_forward_length", 4 * embd)
        return cls(weights=int(weights if weights is not None else info.size_bytes),
                   n_layers=int(info.n_layers or 0), kv_f16_per_token=info.kv_bytes_per_token(),
                   n_vocab=vocab, n_embd=embd, n_ff=int(ff if isinstance(ff, int) else 4 * embd),
                   n_head=int(info.arch_value("attention.head_count", 32) or 32),
                   trained_ctx=int(info.context_length or 4096))

    def kv_bytes(self, n_ctx: int, kv_type: str = "f16") -> int:
        return int(self.kv_f16_per_token * KV_TYPES[kv_type][1] * n_ctx)

    def compute_bytes(self, n_ctx: int, flash_attn: bool, n_ubatch: int = GPU_UBATCH) -> int:
        """llama.cpp's compute buffer, estimated on the high side: logits, feed-forward
        and residual activations per batch row, plus the attention scores without FA."""
        per_row = self.n_vocab * 4 + self.n_ff * 8 + self.n_embd * 16
        scores = 0 if flash_attn else n_ctx * self.n_head * 4
        return n_ubatch * (per_row + scores)

    def gpu_need(self, n_ctx: int, kv_type: str, flash_attn: bool = True) -> int:
        return (self.weights + self.kv_bytes(n_ctx, kv_type)
                + self.compute_bytes(n_ctx, flash_attn) + RESERVE_BYTES)


@dataclass
class Placement:
    n_ctx: int
    n_gpu_layers: int            # -1 = all
    kv_type: str = "f16"
    flash_attn: bool = False
    n_batch: int = 512
    n_ubatch: int = 512
    notes: list[str] = field(default_factory=list)

    def llama_kwargs(self) -> dict:
        """The llama_cpp.Llama keyword arguments this plan sets."""
        type_id = KV_TYPES[self.kv_type][0]
        value_id = type_id if self.flash_attn else KV_TYPES["f16"][0]
        return {"n_ctx": self.n_ctx, "n_gpu_layers": self.n_gpu_layers,
                "type_k": type_id, "type_v": value_id, "flash_attn": self.flash_attn,
                "n_batch": self.n_batch, "n_ubatch": self.n_ubatch}

    def summary(self) -> str:
        where = {-1: "all layers on the GPU", 0: "on the CPU"}.get(
            self.n_gpu_layers, f"{self.n_gpu_layers} layers on the GPU, the rest on the CPU")
        fa = "flash attention on" if self.flash_attn else "flash attention off"
        return f"{where}; context {self.n_ctx:,} tokens; KV cache {self.kv_type}; {fa}"


def gpu_offload_supported() -> bool:
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


def free_gpu_bytes() -> int | None:
    """Free memory of the first NVIDIA GPU via nvidia-smi; None if unknown."""
    if not shutil.which("nvidia-smi"):
        return None
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=memory.free",
                              "--format=csv,noheader,nounits"], capture_output=True,
                             text=True, timeout=5).stdout
        return int(out.split()[0]) * 2**20
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None


def free_ram_bytes() -> int:
    import psutil

    return int(psutil.virtual_memory().available)


def thread_count() -> int:
    """The CPU threads a job would take now: every core less those other programs keep
    busy this moment, Deepdraft's own work not counted, or the `threads` setting
    (engine.threads, which also re-checks them between a run's steps)."""
    from engine.threads import choose

    return choose().threads


def choose_n_ctx(shape: ModelShape, requested: int | None, kv_budget: int,
                 kv_type: str = "f16", default: int = DEFAULT_MAX_CTX) -> int:
    cap = min(requested or default, shape.trained_ctx)  # beyond the trained length quality drops
    by_memory = max(0, kv_budget) // max(1, shape.kv_bytes(1, kv_type))
    return max(MIN_CTX, int(min(cap, by_memory)))


def flash_attn_setting(value) -> bool | None:
    """The flash_attn setting: "auto" (None: chosen here), on or off."""
    if value in (None, "", "auto"):
        return None
    return value in (True, "on", "true", 1)


def _as_shape(model: GGUFInfo | ModelShape) -> ModelShape:
    return model if isinstance(model, ModelShape) else ModelShape.from_gguf(model)


def plan(model: GGUFInfo | ModelShape, n_ctx: int | None, n_gpu_layers: int | None, *,
         supported: bool, free_gpu: int | None, free_ram: int, kv_type: str | None = None,
         flash_attn: bool | None = None) -> Placement:
    """Decide context, GPU layers, KV type and flash attention; `notes` say why.
    kv_type / flash_attn None (or "auto") means chosen here."""
    shape = _as_shape(model)
    kv_type = None if kv_type in (None, "", "auto") else kv_type
    if kv_type is not None and kv_type not in KV_TYPES:
        raise ValueError(f"KV cache type must be one of {', '.join(KV_TYPES)} or auto")
    on_gpu = supported and n_gpu_layers != 0 and shape.n_layers > 0
    if not on_gpu:
        where = _cpu_plan(shape, n_ctx, free_ram, kv_type or "f16", n_gpu_layers, supported)
    elif n_gpu_layers is not None or free_gpu is None:
        where = _given_layers_plan(shape, n_ctx, n_gpu_layers, free_gpu, free_ram,
                                   kv_type or "f16")
    else:
        where = _fit_gpu(shape, n_ctx, free_gpu, free_ram, kv_type)
    if flash_attn is not None and flash_attn != where.flash_attn:
        where.flash_attn = flash_attn
        where.notes.append(f"flash attention {'on' if flash_attn else 'off'} as set")
    if where.kv_type != "f16" and not where.flash_attn:
        where.notes.append("a quantised V cache needs flash attention: the V cache stays f16")
    if n_ctx and where.n_ctx < n_ctx:
        where.notes.append(f"context {where.n_ctx:,} instead of the requested {n_ctx:,} "
                           f"(trained length {shape.trained_ctx:,}, or memory)")
    return where


def _cpu_plan(shape: ModelShape, n_ctx: int | None, free_ram: int, kv_type: str,
              n_gpu_layers: int | None, supported: bool) -> Placement:
    budget = max(0, free_ram - shape.weights) // 2
    ctx = choose_n_ctx(shape, n_ctx, budget, kv_type)
    notes = []
    if n_gpu_layers and not supported:
        notes.append("this llama.cpp build cannot offload to a GPU; running on the CPU")
    elif not supported:
        notes.append("CPU-only llama.cpp build: all layers on the CPU")
    else:
        notes.append("all layers on the CPU as set")
    notes.append(f"context {ctx:,}: the trained length {shape.trained_ctx:,}, capped at "
                 f"{DEFAULT_MAX_CTX:,} on a CPU and by half the free RAM after the weights")
    return Placement(ctx, n_gpu_layers if n_gpu_layers is not None else 0, kv_type,
                     CPU_PREFILL.flash_attn, CPU_PREFILL.n_batch, CPU_PREFILL.n_ubatch, notes)


def _given_layers_plan(shape: ModelShape, n_ctx: int | None, layers: int | None,
                       free_gpu: int | None, free_ram: int, kv_type: str) -> Placement:
    """Layers set by the user, or a GPU whose free memory is unknown (Metal's unified
    memory: every layer, the context sized from RAM)."""
    if free_gpu is None:
        budget = max(0, free_ram - shape.weights) // 2
        note = "GPU memory unknown (unified memory?): all layers offloaded, context sized from RAM"
    else:
        budget = max(0, free_gpu - RESERVE_BYTES - shape.weights)
        note = f"{layers} GPU layers as set"
    ctx = choose_n_ctx(shape, n_ctx, budget, kv_type, default=PROTOCOL_CTX)
    return Placement(ctx, -1 if layers is None else layers, kv_type, GPU_FLASH_ATTN,
                     notes=[note])


def _fit_gpu(shape: ModelShape, n_ctx: int | None, free_gpu: int,
             free_ram: int, kv_type: str | None) -> Placement:
    want = min(n_ctx or PROTOCOL_CTX, shape.trained_ctx)
    types = [kv_type] if kv_type else list(KV_TYPES)
    for ctx in _context_ladder(want):
        for kv in types:
            need = shape.gpu_need(ctx, kv, GPU_FLASH_ATTN)
            if need <= free_gpu:
                return Placement(ctx, -1, kv, GPU_FLASH_ATTN,
                                 notes=[_full_note(shape, ctx, kv, need, free_gpu, want)])
    return _partial(shape, want, free_gpu, free_ram, kv_type or "q8_0")


def _context_ladder(want: int) -> list[int]:
    sizes = [want]
    while sizes[-1] // 2 >= MIN_GPU_CTX:
        sizes.append(sizes[-1] // 2)
    return sizes


def _full_note(shape: ModelShape, ctx: int, kv: str, need: int, free: int, want: int) -> str:
    why = "" if kv == "f16" else f" (an f16 cache at this context needs {_gib(shape.gpu_need(ctx, 'f16'))})"
    shrunk = "" if ctx == want else f"; {want:,} tokens do not fit even with a q4_0 cache"
    return (f"all {shape.n_layers} layers on the GPU with a {ctx:,}-token {kv} KV cache: "
            f"{_gib(need)} of {_gib(free)} free{why}{shrunk}")


def _partial(shape: ModelShape, want: int, free_gpu: int, free_ram: int, kv: str) -> Placement:
    """Some layers on the GPU: each takes its share of the weights and its own KV cache."""
    budget = max(0, free_ram - shape.weights) // 2
    ctx = choose_n_ctx(shape, want, budget, kv, default=PROTOCOL_CTX)
    per_layer = (shape.weights + shape.kv_bytes(ctx, kv)) / shape.n_layers
    room = free_gpu - RESERVE_BYTES - shape.compute_bytes(ctx, GPU_FLASH_ATTN)
    layers = max(0, min(shape.n_layers - 1, int(room / per_layer)))
    note = (f"the whole model does not fit {_gib(free_gpu)} even at "
            f"{_context_ladder(want)[-1]:,} tokens with a q4_0 cache: {layers} of {shape.n_layers} layers on the GPU, "
            f"context {ctx:,} with a {kv} cache")
    return Placement(ctx, layers, kv, GPU_FLASH_ATTN, notes=[note])


def _gib(value: int) -> str:
    return f"{value / 2**30:.1f} GiB"


def describe(model_path: str | Path, n_ctx: int | None = None,
             n_gpu_layers: int | None = None, kv_type: str | None = None,
             flash_attn: bool | None = None) -> Placement:
    """The plan for a model file on this machine, without loading it (doctor, window)."""
    from engine.llm.gguf_header import model_bytes, read_gguf

    path = Path(model_path)
    shape = ModelShape.from_gguf(read_gguf(path), model_bytes(path))
    return plan(shape, n_ctx, n_gpu_layers, supported=gpu_offload_supported(),
                free_gpu=free_gpu_bytes(), free_ram=free_ram_bytes(), kv_type=kv_type,
                flash_attn=flash_attn)
