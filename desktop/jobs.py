"""The engine jobs the desktop runs on its Worker: each is `job(cancel) -> events`.

Heavy engine parts (Chroma, sentence-transformers, llama.cpp) are imported inside the
jobs, on the worker's thread, so the window opens fast.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from engine.cancel import CancelToken


@dataclass
class LibraryListing:
    """The library's documents, read after opening or changing it."""
    library: str
    documents: list


@dataclass
class Exported:
    path: str
    warnings: list[str] = field(default_factory=list)


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


def list_library_job(name: str):
    return _library_job(name, lambda library, cancel: iter(()))


def ingest_job(name: str, paths: list[str]):
    return _library_job(name, lambda library, cancel: library.ingest(paths, cancel=cancel))


def remove_job(name: str, paths: list[str]):
    def work(library, cancel):
        library.remove(paths)
        return iter(())
    return _library_job(name, work)


def export_job(project: str, docx: str):
    def job(cancel: CancelToken):
        from engine.export import write_exports
        from engine.project.store import load_report

        yield Exported(docx, list(write_exports(load_report(project), docx=docx)))
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
        from engine.project.store import ProjectStore
        from engine.warp.session import open_run

        # The run gets its own connection: the GUI keeps reading through its own.
        store = ProjectStore.open(self.project)
        try:
            run = open_run(store, cancel=cancel, model=self.model, overrides=self.overrides)
            with self._lock:
                self._run = run
                for edit in self._held:
                    run.submit(edit)
                self._held.clear()
            try:
                yield from run.events()
            finally:
                run.backend.close()
        finally:
            store.close()
