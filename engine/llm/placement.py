"""Where a model runs: how many layers go to the GPU and how large a context fits.

llama.cpp decides nothing itself: all layers on the GPU when weights plus KV cache fit
in free GPU memory, fewer otherwise, none on CPU-only builds. The context is the model's
trained length, capped so the KV cache takes at most half of the free memory.
"""
from __future__ import annotations

import os
import shutil
import subprocess

from engine.llm.gguf_header import GGUFInfo

RESERVE_BYTES = 512 * 2**20     # GPU memory kept free for compute buffers
DEFAULT_MAX_CTX = 32768


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


def choose_n_ctx(info: GGUFInfo, requested: int | None, free_bytes: int) -> int:
    trained = info.context_length or 4096
    cap = min(requested or DEFAULT_MAX_CTX, trained)  # beyond the trained length quality drops
    by_memory = (free_bytes // 2) // max(1, info.kv_bytes_per_token())
    return max(512, int(min(cap, by_memory)))


def choose_gpu_layers(info: GGUFInfo, n_ctx: int, requested: int | None,
                      supported: bool, free_gpu: int | None) -> int:
    if requested is not None:
        return requested
    layers = info.n_layers or 0
    if not supported or layers == 0:
        return 0
    if free_gpu is None:  # Metal / unified memory, or no way to ask: offload everything
        return -1
    weights = info.path.stat().st_size
    kv = info.kv_bytes_per_token() * n_ctx
    if weights + kv + RESERVE_BYTES <= free_gpu:
        return -1
    per_layer = (weights + kv) / layers
    return max(0, int((free_gpu - RESERVE_BYTES) / per_layer))


def thread_count() -> int:
    return max(1, (os.cpu_count() or 2))
