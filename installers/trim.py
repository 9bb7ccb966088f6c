"""What the bundle leaves out, and the version it is stamped with.

Each pattern matches a destination path inside the bundle (fnmatch, '/' separators). They
are files the app never loads: torch's C++ headers, test binaries and command-line tools,
static libraries, type stubs, Qt translations (the app is English) and Qt plugins for
platforms a desktop never uses. `make installer` prints the bundle's size by top folder
afterwards (installers/sizes.py), which is how these were chosen.
"""
from __future__ import annotations

import fnmatch
import re
from pathlib import Path

UNUSED = [
    "torch/include/*", "torch/share/*", "torch/bin/*", "torch/test/*",
    "torch/lib/lib*test*.so", "torch/lib/libbackend_with_compiler.so",
    "torch/lib/libaoti_custom_ops.so",
    "*.a", "*.h", "*.hpp", "*.cuh", "*.pyi", "*/__pycache__/*", "*.pyc",
    "PySide6/Qt/translations/*", "PySide6/translations/*",
    "PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqminimal*.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so", "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/virtualkeyboard/*", "PySide6/Qt/qml/*",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",   # needs GTK, absent on many systems
]


# torch starts this helper for shared-memory tensors (DataLoader workers, and at first use).
KEEP = ["torch/bin/torch_shm_manager"]


def _unused(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    return dest not in KEEP and any(fnmatch.fnmatch(dest, pattern) for pattern in UNUSED)


def drop_unused(toc):
    """The TOC (PyInstaller's (dest, source, kind) list) without the unused entries."""
    return [entry for entry in toc if not _unused(entry[0])]


def version(pyproject: Path = Path(__file__).resolve().parents[1] / "pyproject.toml") -> str:
    """The project version, read from pyproject.toml (Python 3.10 has no tomllib)."""
    text = pyproject.read_text(encoding="utf-8")
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit(f"no version in {pyproject}")
    return match.group(1)


if __name__ == "__main__":
    print(version())
