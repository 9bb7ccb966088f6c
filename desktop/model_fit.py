"""Whether a model fits this computer, in words: engine.llm.placement decides the layers
and context exactly as a run will; this module only says what that means."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.download_progress import size_text
from engine.llm import placement
from engine.llm.gguf_header import read_gguf

KV_TYPE = "f16"    # llama.cpp's default KV-cache type; the engine does not change it


@dataclass
class Fit:
    fits: bool                  # runs at all, and on the GPU when there is one
    short: str                  # for a table cell
    message: str                # a sentence for the settings page
    n_ctx: int
    n_gpu_layers: int


def model_fit(path: str | Path, system, n_ctx: int | None = None) -> Fit:
    """`system` is a desktop.model_jobs.SystemInfo."""
    info = read_gguf(path)
    where = placement.plan(info, n_ctx, None, supported=system.offload,
                           free_gpu=system.gpu_free, free_ram=system.ram_free)
    size, layers = info.size_bytes, info.n_layers or 0
    if not system.offload:
        if system.ram_free and size > system.ram_free:
            return Fit(False, "too big", f"Too big for this computer: the model needs "
                       f"{size_text(size)}, {size_text(system.ram_free)} of memory is free.",
                       where.n_ctx, 0)
        return Fit(True, "CPU", f"Runs on the CPU ({size_text(size)}; no GPU backend in "
                   "this build).", where.n_ctx, 0)
    free = size_text(system.gpu_free) if system.gpu_free is not None else "shared memory"
    if where.n_gpu_layers < 0:
        return Fit(True, "fits GPU", f"Fits the GPU: all {layers} layers ({size_text(size)}) "
                   f"in {free}" + (" free." if system.gpu_free is not None else "."),
                   where.n_ctx, -1)
    if where.n_gpu_layers > 0:
        return Fit(False, f"{where.n_gpu_layers}/{layers} layers on GPU",
                   f"Won't fit the GPU: the model needs {size_text(size)} and {free} is free, "
                   f"so {where.n_gpu_layers} of {layers} layers go on the GPU and the rest "
                   "run on the CPU (slower).", where.n_ctx, where.n_gpu_layers)
    return Fit(False, "won't fit GPU", f"Won't fit the GPU: the model needs {size_text(size)} "
               f"and only {free} is free; it will run on the CPU (much slower). Choose a "
               "smaller model or a smaller quantization.", where.n_ctx, 0)
