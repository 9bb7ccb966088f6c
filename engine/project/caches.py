"""What a project keeps beside itself, and its removal: the prompt-cache slots in
`<project>.kv/` (engine.llm.kv_store), the lock file, SQLite's WAL and shared-memory files.

Settings shows `prompt_cache_bytes()` with a Clear button (`clear_prompt_caches()`);
deleting a project goes through `delete_project`, so no `.kv/` folder outlives it.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from engine.llm.kv_store import folder_bytes, kv_folder
from engine.paths import projects_dir
from engine.project.errors import ProjectBusy
from engine.project.run_lock import busy_message, holder_of, lock_path

KV_GLOB = "*.kv"


@dataclass
class Cleared:
    freed_bytes: int = 0
    skipped: list[Path] = field(default_factory=list)   # projects a run is writing now


def _kv_folders(root: Path | None) -> list[Path]:
    root = Path(root) if root is not None else projects_dir()
    return [p for p in root.glob(KV_GLOB) if p.is_dir()] if root.is_dir() else []


def _project_of(folder: Path) -> Path:
    return folder.with_name(folder.name.removesuffix(".kv"))


def prompt_cache_bytes(root: Path | None = None) -> int:
    """Bytes the prompt-cache folders of the projects in `root` (the projects folder by
    default) take on disk."""
    return sum(folder_bytes(folder) for folder in _kv_folders(root))


def clear_prompt_caches(root: Path | None = None) -> Cleared:
    """Delete the prompt-cache folders in `root`, except those of projects a run is
    writing now (its slots are in use); a resumed run re-reads its prompts once."""
    cleared = Cleared()
    for folder in _kv_folders(root):
        project = _project_of(folder)
        if project.exists() and holder_of(project) is not None:
            cleared.skipped.append(project)
            continue
        cleared.freed_bytes += folder_bytes(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return cleared


def delete_project(project: str | Path) -> None:
    """Delete a project with everything kept beside it; refused (ProjectBusy, naming the
    holder) while a run writes it."""
    project = Path(project)
    holder = holder_of(project)
    if holder is not None:
        raise ProjectBusy(busy_message(holder), holder)
    shutil.rmtree(kv_folder(project), ignore_errors=True)
    for extra in (project.with_name(project.name + "-wal"),
                  project.with_name(project.name + "-shm"), lock_path(project)):
        extra.unlink(missing_ok=True)
    project.unlink(missing_ok=True)
