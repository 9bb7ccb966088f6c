"""The window's own settings (geometry, splitters, recent reports, the last export folder):
an ini file in the app data folder, which tests point elsewhere."""
from __future__ import annotations

from desktop.qt import QSettings


def window_settings() -> QSettings:
    from engine.paths import app_home

    return QSettings(str(app_home() / "window.ini"), QSettings.Format.IniFormat)
