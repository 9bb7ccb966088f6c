"""Where the export dialog starts: the folder of the last export, else the user's
Documents folder (never the app's data folder with its internal files)."""
from __future__ import annotations

from pathlib import Path

KEY = "last_export_folder"


def documents_folder() -> Path:
    from desktop.qt import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def suggested_export_path(stem: str) -> Path:
    from desktop.common.window_settings import window_settings

    last = window_settings().value(KEY)
    folder = Path(last) if last and Path(last).is_dir() else documents_folder()
    return folder / f"{stem}.docx"


def remember_export_folder(path: str) -> None:
    from desktop.common.window_settings import window_settings

    settings = window_settings()
    settings.setValue(KEY, str(Path(path).parent))
    settings.sync()
