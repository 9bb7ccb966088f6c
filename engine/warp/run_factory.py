"""Open a WARP run over a project: the model backend and library it names.

Shared by `deepdraft write/resume` and the desktop, so both run the same thing.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from engine.cancel import CancelToken
from engine.llm.kv_store import kv_folder
from engine.paths import projects_dir
from engine.project.project_store import ProjectStore
from engine.app_settings import load_settings
from engine.warp.run import WarpRun
from engine.warp.state import RunSettings


def default_project_path(question: str) -> Path:
    slug = re.sub(r"[^\w]+", "-", question.lower()).strip("-")[:48] or "report"
    return projects_dir() / f"{slug}-{time.strftime('%Y%m%d-%H%M%S')}.ddproj"


def create_project(path: str | Path, question: str, *, model: str = "demo",
                   library: str = "default", ctx: int | None = None, server_model: str = "",
                   author: str = "", run: RunSettings | None = None) -> ProjectStore:
    settings = {"model": model, "library": library, "ctx": ctx, "server_model": server_model,
                "author": author, "run": (run or RunSettings()).to_dict()}
    return ProjectStore.create(path, question, settings)


def open_run(store: ProjectStore, *, cancel: CancelToken | None = None,
             model: str | None = None, overrides: dict | None = None) -> WarpRun:
    """A WarpRun for this project with its backend and library opened; the run owns
    them (close it, or use it as a context manager). The store stays the caller's."""
    from engine.library import open_library
    from engine.llm import open_backend
    from engine.warp.profile import resolve_profile

    store.hold_run_lock()  # before the slow part: a second run is refused at once
    settings = store.settings
    run_settings = RunSettings.from_dict({**settings.get("run", {}), **(overrides or {})})
    # Before anything heavy opens: a template folder that cannot serve is a clear error.
    profile = resolve_profile(run_settings.prompts, model or settings.get("model", "demo"))
    user = load_settings()
    server = user.chroma_server or None
    name = settings.get("library", "default")
    library = open_library(name, server=server)
    try:
        backend = open_backend(model or settings.get("model", "demo"),
                               n_ctx=settings.get("ctx"),
                               server_model=settings.get("server_model", ""),
                               n_gpu_layers=user.n_gpu_layers)
    except BaseException:
        library.close()
        raise
    try:
        keep_kv = getattr(backend, "attach_kv_store", None)   # resume without re-reading
        if keep_kv is not None:
            keep_kv(kv_folder(store.path))
        return WarpRun(store, backend, library, run_settings, cancel=cancel, profile=profile)
    except BaseException:
        backend.close()
        library.close()
        raise
