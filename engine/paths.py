"""Where Deepdraft keeps its data.

Everything lives under one folder: the platform's user data folder, or
`$DEEPDRAFT_HOME` when set (tests and portable installs point it elsewhere).
"""
from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "DEEPDRAFT_HOME"


def app_home() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        home = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        home = Path(user_data_dir("Deepdraft", "Deepdraft"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def _sub(name: str) -> Path:
    path = app_home() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def libraries_dir() -> Path:
    return _sub("libraries")


def models_dir() -> Path:
    return _sub("models")


def projects_dir() -> Path:
    return _sub("projects")


def settings_file() -> Path:
    return app_home() / "settings.json"


def cache_dir() -> Path:
    """Derived files that can be rebuilt (the embedding model's ONNX export): the
    platform's user cache folder, or $DEEPDRAFT_CACHE. Not under $DEEPDRAFT_HOME, so
    tests and portable installs with their own data folder share one export."""
    override = os.environ.get("DEEPDRAFT_CACHE")
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("Deepdraft", "Deepdraft"))
    path.mkdir(parents=True, exist_ok=True)
    return path
