"""Library work from the window: list, add, retry and remove documents (engine jobs)."""
from __future__ import annotations

from desktop.engine_link.jobs import ingest_job, list_library_job, remove_job, retry_job


class LibraryOperations:
    def refresh_library(self) -> bool:
        return self._start(list_library_job(self.run_bar.library_name()), "Opening library")

    def add_documents(self, paths: list[str]) -> bool:
        return self._index(ingest_job(self.run_bar.library_name(), paths))

    def retry_documents(self, paths: list[str]) -> bool:
        return self._index(retry_job(self.run_bar.library_name(), paths))

    def _index(self, job) -> bool:
        """Start an indexing job, with its progress under the library list."""
        started = self._start(job, "Indexing documents")
        if started:
            self.library.start_progress(self.run_bar.library_name())
        return started

    def remove_documents(self, paths: list[str]) -> bool:
        return self._start(remove_job(self.run_bar.library_name(), paths), "Removing documents")
