"""What a project keeps beside itself goes with it, and Settings can size and clear the
prompt caches: real project files, real lock, a real run's `.kv/` folder."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from engine.llm.kv_store import kv_folder
from engine.project.caches import clear_prompt_caches, delete_project, prompt_cache_bytes
from engine.project.errors import ProjectBusy
from engine.project.project_store import ProjectStore
from engine.warp.run_factory import create_project
from tests.conftest import REPO


def _with_cache(path, size: int):
    create_project(path, "Why do rivers flood?").close()
    folder = kv_folder(path)
    folder.mkdir()
    (folder / "write.kv").write_bytes(b"\0" * size)
    return path


def test_deleting_a_project_removes_its_cache_and_lock(tmp_path):
    project = _with_cache(tmp_path / "a.ddproj", 1000)
    store = ProjectStore.open(project)
    store.hold_run_lock()
    with pytest.raises(ProjectBusy, match="being written by Deepdraft"):
        delete_project(project)
    store.close()
    delete_project(project)
    assert list(tmp_path.iterdir()) == []


def test_cache_size_and_clear_spare_a_running_project(tmp_path):
    running = _with_cache(tmp_path / "running.ddproj", 3000)
    idle = _with_cache(tmp_path / "idle.ddproj", 1000)
    orphan = kv_folder(tmp_path / "gone.ddproj")    # its project was deleted by hand
    orphan.mkdir()
    (orphan / "search.kv").write_bytes(b"\0" * 500)
    assert prompt_cache_bytes(tmp_path) == 4500
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; from engine.project.project_store import ProjectStore;"
        "s = ProjectStore.open(sys.argv[1]); s.hold_run_lock(); print('held', flush=True);"
        "sys.stdin.readline()"), str(running)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout.readline().strip() == "held"
        cleared = clear_prompt_caches(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert cleared.freed_bytes == 1500 and cleared.skipped == [running]
    assert not kv_folder(idle).exists() and not orphan.exists()
    assert prompt_cache_bytes(tmp_path) == 3000
