"""Several libraries: create, rename and delete them from the Library panel's menu. The
run bar's Library box chooses the one a report searches (kept in the report's project).
Renaming and deleting run in the engine process, where Chroma lives."""
from __future__ import annotations

from desktop.engine_link.jobs import LibrariesChanged, delete_library_job, rename_library_job
from desktop.qt import QInputDialog, QMenu, QMessageBox, QObject


class LibraryManager(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        menu = QMenu(window.library)
        menu.addAction("New library…", self.create)
        menu.addAction("Rename this library…", self.rename)
        menu.addAction("Delete this library…", self.delete)
        window.library.libraries_button.setMenu(menu)
        window.worker.event.connect(self._on_event)

    def _current(self) -> str:
        return self.window.run_bar.library_name()

    def _ask_name(self, title: str, text: str = "") -> str | None:
        from engine.library.errors import LibraryError
        from engine.library.names import check_name

        name, ok = QInputDialog.getText(self.window, title, "Library name (letters, digits, "
                                        "- and _):", text=text)
        if not ok or not name.strip():
            return None
        try:
            return check_name(name.strip())
        except LibraryError as exc:
            QMessageBox.warning(self.window, title, str(exc).capitalize() + ".")
            return None

    def create(self, name: str | None = None) -> None:
        name = name or self._ask_name("New library")
        if name:
            self.select(name)

    def rename(self, new: str | None = None) -> bool:
        old = self._current()
        new = new or self._ask_name("Rename library", old)
        return bool(new and new != old and self.window._start(
            rename_library_job(old, new), "Renaming the library"))

    def delete(self, confirmed: bool = False) -> bool:
        name = self._current()
        if not confirmed and QMessageBox.question(
                self.window, "Delete library",
                f"Delete the library {name!r}? Its index is removed; your documents stay "
                "where they are.") != QMessageBox.StandardButton.Yes:
            return False
        return self.window._start(delete_library_job(name), "Deleting the library")

    def select(self, name: str) -> None:
        """Show library `name` (opening creates it) and make it the report's choice."""
        from desktop.run.choices import library_names

        combo = self.window.run_bar.library
        combo.clear()
        combo.addItems(sorted(set(library_names()) | {name}))
        combo.setCurrentText(name)
        self.window.refresh_library()

    def _on_event(self, event) -> None:
        if isinstance(event, LibrariesChanged):
            # after the job ends: the worker is busy until then
            self.window.worker.finished.connect(self._after_change)
            self._pending = event.current

    def _after_change(self) -> None:
        self.window.worker.finished.disconnect(self._after_change)
        self.select(self._pending)
