"""Which libraries exist in the app data folder (for pickers: the desktop, the CLI)."""
from __future__ import annotations

from engine.paths import libraries_dir


def library_names() -> list[str]:
    """Names of the libraries on this computer that hold a manifest, sorted; a library
    kept on a Chroma server has its manifest here too, so it is listed as well."""
    root = libraries_dir()
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and any(p.rglob("manifest.sqlite")))
