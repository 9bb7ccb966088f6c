"""The engine jobs the desktop runs in its engine process.

The window builds a `JobSpec` (a picklable "call this factory with these arguments");
the engine process calls the factory, which returns `job(cancel) -> events`. A job may
also have `submit(edit)` (co-editing a WARP run). Heavy engine parts (Chroma,
sentence-transformers, llama.cpp) are imported inside the jobs, so importing this module
in the window costs nothing.
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field

from engine.cancel import CancelToken


@dataclass(frozen=True)
class JobSpec:
    """`target` is "module:factory"; the engine process runs factory(*args)."""
    target: str
    args: tuple = ()

    @classmethod
    def of(cls, factory, *args) -> "JobSpec":
        return cls(f"{factory.__module__}:{factory.__qualname__}", args)

    def build(self):
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)(*self.args)


@dataclass
class LibraryListing:
    """The library's documents, read after opening or changing it."""
    library: str
    documents: list


@dataclass
class Exported:
    path: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class ModelLoaded:
    """Where the run's model landed, for the status bar."""
    model: str
    n_ctx: int
    n_gpu_layers: int | None    # None: not a llama.cpp model (replay, server)


# --- specs the window asks for -------------------------------------------------------------
def list_library_job(name: str) -> JobSpec:
    return JobSpec.of(_list_library, name)


def ingest_job(name: str, paths: list[str]) -> JobSpec:
    return JobSpec.of(_ingest, name, list(paths))


def remove_job(name: str, paths: list[str]) -> JobSpec:
    return JobSpec.of(_remove, name, list(paths))


def retry_job(name: str, paths: list[str]) -> JobSpec:
    """Index failed files again (their failure is remembered until they change)."""
    return JobSpec.of(_retry, name, list(paths))


def rename_library_job(old: str, new: str) -> JobSpec:
    return JobSpec.of(_rename_library, old, new)


def delete_library_job(name: str) -> JobSpec:
    return JobSpec.of(_delete_library, name)


def export_job(project: str, docx: str, comments: bool = False) -> JobSpec:
    return JobSpec.of(_export, project, docx, comments)


def warp_job(project: str, model: str | None = None, overrides: dict | None = None) -> JobSpec:
    return JobSpec.of(WarpJob, project, model, overrides or {})


# --- what runs in the engine process ----------------------------------------------------------
def _library_job(name: str, work):
    """A job that opens library `name`, lets `work(library, cancel)` yield its events,
    then yields the library's documents and closes it."""
    def job(cancel: CancelToken):
        from engine.library import open_library

        library = open_library(name)
        try:
            yield from work(library, cancel)
            yield LibraryListing(name, list(library.documents()))
        finally:
            library.close()
    return job


def _list_library(name: str):
    return _library_job(name, lambda library, cancel: iter(()))


def _ingest(name: str, paths: list[str]):
    return _library_job(name, lambda library, cancel: library.ingest(paths, cancel=cancel))


def _remove(name: str, paths: list[str]):
    def work(library, cancel):
        library.remove(paths)
        return iter(())
    return _library_job(name, work)


def _retry(name: str, paths: list[str]):
    def work(library, cancel):
        library.remove(paths)
        return library.ingest(paths, cancel=cancel)
    return _library_job(name, work)


@dataclass
class LibrariesChanged:
    """Libraries were renamed or deleted; `current` is the one to show now."""
    current: str


def _rename_library(old: str, new: str):
    def job(cancel: CancelToken):
        from engine.library.names import rename_library

        rename_library(old, new)
        yield LibrariesChanged(new)
    return job


def _delete_library(name: str):
    def job(cancel: CancelToken):
        from engine.library.names import delete_library

        delete_library(name)
        yield LibrariesChanged("default")
    return job


def _export(project: str, docx: str, comments: bool = False):
    def job(cancel: CancelToken):
        from engine.export import write_exports
        from engine.project.project_store import ProjectStore, load_report

        notes, warnings = [], []
        if comments:       # the claim check's undismissed flags, as Word comments
            from engine.check.export_notes import sentence_comments

            store = ProjectStore.open(project, read_only=True)
            try:
                notes, warnings = sentence_comments(store)
            finally:
                store.close()
        warnings += write_exports(load_report(project), docx=docx, comments=notes)
        yield Exported(docx, list(dict.fromkeys(warnings)))
    return job


class WarpJob:
    """Runs (or resumes) WARP on a project file. `submit(edit)` is thread-safe: edits
    made while the model is still loading are held and handed to the run once it exists;
    after that the run applies them at its next step boundary."""

    def __init__(self, project: str, model: str | None = None,
                 overrides: dict | None = None) -> None:
        self.project, self.model, self.overrides = project, model, overrides or {}
        self._lock = threading.Lock()
        self._run = None
        self._held: list = []

    def submit(self, edit) -> None:
        with self._lock:
            if self._run is None:
                self._held.append(edit)
            else:
                self._run.submit(edit)

    def __call__(self, cancel: CancelToken):
        from engine.project.project_store import ProjectStore
        from engine.warp.run_factory import open_run

        # The run gets its own connection: the window reads through its own.
        store = ProjectStore.open(self.project)
        try:
            run = open_run(store, cancel=cancel, model=self.model, overrides=self.overrides)
            with self._lock:
                self._run = run
                for edit in self._held:
                    run.submit(edit)
                self._held.clear()
            with run:   # closes the model and the library (its SQLite and threads)
                yield _model_loaded(run.backend, self.model or store.settings.get("model"))
                yield from run.events()
        finally:
            store.close()


def _model_loaded(backend, spec: str | None) -> ModelLoaded:
    return ModelLoaded(model=str(spec or "demo"), n_ctx=int(backend.context_size()),
                       n_gpu_layers=getattr(backend, "n_gpu_layers", None))
