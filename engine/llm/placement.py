"""Where a model runs: how many layers go to the GPU and how large a context fits.

Layers: all on the GPU when weights plus KV cache fit in free GPU memory, a share of them
otherwise, none on CPU-only builds; the user's n_gpu_layers always wins. Context: the
model's trained length, capped by the user's n_ctx (or DEFAULT_MAX_CTX) and by memory:
the KV cache (bytes per token estimated from the GGUF metadata) may take the GPU memory
left after the weights, or half of the free RAM after the weights on CPU.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field

from engine.llm.gguf_header import GGUFInfo

RESERVE_BYTES = 512 * 2**20     # GPU memory kept free for llama.cpp's compute buffers
DEFAULT_MAX_CTX = 32768
MIN_CTX = 512


@dataclass
class Placement:
    n_ctx: int
    n_gpu_layers: int            # -1 = all
    notes: list[str] = field(default_factory=list)


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
    """os.cpu_count(), less the cores other processes keep busy (1-minute load average).
    llama.cpp's threads wait for each other at every layer: one thread more than the
    free cores measured 60x slower here (2 threads beside a busy process: 60 s for
    what 1 thread did in 1 s)."""
    cpus = os.cpu_count() or 2
    try:
        busy = int(os.getloadavg()[0] + 0.5)
    except (OSError, AttributeError):   # Windows has no load average
        busy = 0
    return max(1, min(cpus, cpus - busy))


def choose_n_ctx(info: GGUFInfo, requested: int | None, kv_budget: int) -> int:
    trained = info.context_length or 4096
    cap = min(requested or DEFAULT_MAX_CTX, trained)  # beyond the trained length quality drops
    by_memory = max(0, kv_budget) // max(1, info.kv_bytes_per_token())
    return max(MIN_CTX, int(min(cap, by_memory)))


def choose_gpu_layers(info: GGUFInfo, n_ctx: int, free_gpu: int | None) -> int:
    """Automatic layer count on a build that can offload."""
    layers = info.n_layers or 0
    if layers == 0:
        return 0
    if free_gpu is None:  # Metal / unified memory, or no way to ask: offload everything
        return -1
    weights, kv = info.size_bytes, info.kv_bytes_per_token() * n_ctx
    if weights + kv + RESERVE_BYTES <= free_gpu:
        return -1
    per_layer = (weights + kv) / layers
    return max(0, min(layers, int((free_gpu - RESERVE_BYTES) / per_layer)))


def plan(info: GGUFInfo, n_ctx: int | None, n_gpu_layers: int | None, *, supported: bool,
         free_gpu: int | None, free_ram: int) -> Placement:
    """Decide context size and GPU layers; `notes` say why, for the log."""
    notes: list[str] = []
    gpu_room = None if free_gpu is None else free_gpu - RESERVE_BYTES - info.size_bytes
    wants_gpu = supported and n_gpu_layers != 0 and bool(info.n_layers)
    if wants_gpu and gpu_room is not None and gpu_room > MIN_CTX * info.kv_bytes_per_token():
        budget = gpu_room
    else:
        budget = max(0, free_ram - info.size_bytes) // 2
    ctx = choose_n_ctx(info, n_ctx, budget)
    if n_ctx and ctx < n_ctx:
        notes.append(f"context {ctx} instead of the requested {n_ctx} (trained length "
                     f"{info.context_length}, memory for about {budget // max(1, info.kv_bytes_per_token())} tokens)")
    if n_gpu_layers is not None:
        layers = n_gpu_layers   # passed on as asked: a CPU-only build simply ignores it
        if n_gpu_layers and not supported:
            notes.append("this llama.cpp build cannot offload to a GPU; running on the CPU")
    elif not supported:
        layers = 0
        notes.append("CPU-only llama.cpp build: all layers on the CPU")
    else:
        layers = choose_gpu_layers(info, ctx, free_gpu)
    return Placement(n_ctx=ctx, n_gpu_layers=layers, notes=notes)
