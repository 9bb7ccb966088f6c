"""Whether a model fits this computer, in words: engine.llm.placement decides the layers,
context, KV-cache type and flash attention exactly as a run will (the same plan, with the
user's n_gpu_layers, kv_cache_type and flash_attn settings and every shard of a split
GGUF); this module only says what that means."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.models.download_progress import size_text
from engine.llm import placement
from engine.llm.gguf_header import model_bytes, read_gguf


@dataclass
class Fit:
    fits: bool                  # runs at all, and on the GPU when there is one
    short: str                  # for a table cell
    message: str                # a sentence for the settings page
    n_ctx: int
    n_gpu_layers: int
    kv_type: str                # the KV-cache type the run will use
    flash_attn: bool


def model_plan(path: str | Path, system, settings=None,
               n_ctx: int | None = None) -> tuple[placement.Placement, int, int]:
    """(the plan a run of this model makes here, the weights' bytes, the layer count);
    `system` is a desktop.models.jobs.SystemInfo, `settings` the AppSettings (loaded when
    None)."""
    from engine.app_settings import load_settings

    settings = settings or load_settings()
    info = read_gguf(path)
    size = model_bytes(Path(path))
    where = placement.plan(placement.ModelShape.from_gguf(info, size), n_ctx,
                           settings.n_gpu_layers, supported=system.offload,
                           free_gpu=system.gpu_free, free_ram=system.ram_free,
                           kv_type=settings.kv_cache_type,
                           flash_attn=placement.flash_attn_setting(settings.flash_attn))
    return where, size, int(info.n_layers or 0)


def model_fit(path: str | Path, system, settings=None, n_ctx: int | None = None) -> Fit:
    where, size, layers = model_plan(path, system, settings, n_ctx)
    fit = _fit_words(where, size, layers, system, forced=_forced(settings))
    return Fit(*fit, where.n_ctx, where.n_gpu_layers, where.kv_type, where.flash_attn)


def _forced(settings) -> bool:
    from engine.app_settings import load_settings

    return (settings or load_settings()).n_gpu_layers is not None


def _fit_words(where, size: int, layers: int, system, forced: bool) -> tuple[bool, str, str]:
    if not system.offload or where.n_gpu_layers == 0 and forced:
        if system.ram_free and size > system.ram_free:
            return (False, "too big", f"Too big for this computer: the model needs "
                    f"{size_text(size)}, {size_text(system.ram_free)} of memory is free.")
        why = "no GPU backend in this build" if not system.offload else "as set in Settings"
        return True, "CPU", f"Runs on the CPU ({size_text(size)}; {why})."
    free = size_text(system.gpu_free) if system.gpu_free is not None else "shared memory"
    if where.n_gpu_layers < 0:
        return (True, "fits GPU", f"Fits the GPU: all {layers} layers ({size_text(size)}) "
                f"in {free}" + (" free." if system.gpu_free is not None else "."))
    if where.n_gpu_layers > 0 and forced:
        return (True, f"{where.n_gpu_layers}/{layers} layers on GPU",
                f"{where.n_gpu_layers} of {layers} layers on the GPU, as set in Settings "
                f"({size_text(size)} model, {free} free); the rest run on the CPU.")
    if where.n_gpu_layers > 0:
        return (False, f"{where.n_gpu_layers}/{layers} layers on GPU",
                f"Won't fit the GPU: the model needs {size_text(size)} and {free} is free, "
                f"so {where.n_gpu_layers} of {layers} layers go on the GPU and the rest "
                "run on the CPU (slower).")
    return (False, "won't fit GPU", f"Won't fit the GPU: the model needs {size_text(size)} "
            f"and only {free} is free; it will run on the CPU (much slower). Choose a "
            "smaller model or a smaller quantization.")
