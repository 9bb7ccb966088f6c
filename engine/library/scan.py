"""Find the files to ingest under the paths a user named.

Folders are walked recursively, following symlinks but never into a folder already seen
(by real path), so symlink loops end. Files are reported by real path, once each.
Problems found while walking (loops, unreadable folders, vanished paths) become entries
with a reason instead of exceptions.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from engine.library.errors import MISSING, NOT_A_FILE, PERMISSION_DENIED, SYMLINK_LOOP


@dataclass
class ScanResult:
    files: list[Path] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # path, reason, detail
    folders: list[Path] = field(default_factory=list)    # roots walked completely enough
    unreadable: list[Path] = field(default_factory=list) # subtrees we could not list


def os_error_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return PERMISSION_DENIED
    if isinstance(exc, FileNotFoundError):
        return MISSING
    if exc.errno == errno.ELOOP:
        return SYMLINK_LOOP
    return MISSING if exc.errno == errno.ENOENT else f"unreadable ({exc.strerror or exc})"


def scan_paths(paths) -> ScanResult:
    result, seen_files, seen_dirs = ScanResult(), set(), set()
    for raw in paths:
        path = Path(raw).expanduser().absolute()
        try:
            is_dir = path.is_dir()
            real = path.resolve(strict=True)
        except OSError as exc:
            result.problems.append((str(path), os_error_reason(exc), str(exc)))
            continue
        if is_dir:
            result.folders.append(real)
            _walk(real, result, seen_files, seen_dirs)
        elif not real.is_file():
            result.problems.append((str(path), NOT_A_FILE, "a pipe, socket or device"))
        elif real not in seen_files:
            seen_files.add(real)
            result.files.append(real)
    result.files.sort()
    return result


def _walk(root: Path, result: ScanResult, seen_files: set, seen_dirs: set) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        if folder in seen_dirs:
            continue
        seen_dirs.add(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError as exc:
            result.unreadable.append(folder)
            result.problems.append((str(folder), os_error_reason(exc), str(exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files and folders (.git, .DS_Store) are not documents
            _visit(Path(entry.path), entry, stack, result, seen_files)


def _visit(path: Path, entry, stack: list, result: ScanResult, seen_files: set) -> None:
    try:
        real = path.resolve(strict=True)
        is_dir = entry.is_dir(follow_symlinks=True)
        is_file = entry.is_file(follow_symlinks=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: resolve() on a loop (older Pythons)
        reason = os_error_reason(exc) if isinstance(exc, OSError) else SYMLINK_LOOP
        result.problems.append((str(path), reason, str(exc)))
        return
    if is_dir:
        stack.append(real)
    elif not is_file:
        result.problems.append((str(path), NOT_A_FILE, "a pipe, socket or device"))
    elif real not in seen_files:
        seen_files.add(real)
        result.files.append(real)
