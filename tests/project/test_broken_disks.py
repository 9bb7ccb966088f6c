"""Broken files and full disks: a damaged project or a lost search index gives a clear
error and keeps the rest; running out of space during a step commit, an export or an
ingest loses at most what was in flight and leaves everything readable."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.library import open_library
from engine.library.events import FileFailed
from engine.project.errors import ProjectError
from engine.project.project_store import ProjectStore
from engine.warp import events as wev
from engine.warp.run_factory import create_project, open_run
from engine.warp.state import RunSettings
from tests.library.test_interrupt import assert_consistent
from tests.project.conftest import fill
from tests.warp.test_conformance import INIT, LONG, body, search

QUESTION = "What caused the 2022 floods and who was hit?"
BIN = Path(sys.executable).parent
TRANSCRIPT = [search("monsoon rain floods"), INIT,
              search("flood causes"), body(LONG, "textid1"),
              search("people affected"), body(LONG, "textid3"),
              search("relief camps"), body(LONG, "textid2"), {"name": "nop"}]


def run_replay(project: Path, replay: str, store: ProjectStore | None = None):
    store = store or create_project(project, QUESTION, model=replay, library="warp-tests",
                                    run=RunSettings(constrained=False))
    return store, open_run(store, model=replay).events()


def deepdraft(*args, home):
    return subprocess.run([str(BIN / "deepdraft"), *args], capture_output=True, text=True,
                          env={**os.environ, "DEEPDRAFT_HOME": str(home)}, timeout=300)


@pytest.fixture
def finished_project(tmp_path, small_library, replay_file):
    store, events = run_replay(tmp_path / "done.ddproj", replay_file(TRANSCRIPT))
    assert list(events)[-1].reason == "complete"
    store.close()
    return tmp_path / "done.ddproj"


@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_damaged_project_file_gives_a_clear_error_and_is_kept(finished_project, damage,
                                                             deepdraft_home, tmp_path):
    data = finished_project.read_bytes()
    if damage == "truncated":
        broken = data[:len(data) // 2]
    else:   # a run of junk over the middle pages (the header still says SQLite)
        middle = len(data) // 2
        broken = data[:middle] + os.urandom(8192) + data[middle + 8192:]
    finished_project.write_bytes(broken)
    with pytest.raises(ProjectError, match="damaged|not a Deepdraft project"):
        ProjectStore.open(finished_project)
    for args in (["resume", str(finished_project)],
                 ["export", str(finished_project), "--docx", str(tmp_path / "x.docx")]):
        result = deepdraft(*args, home=deepdraft_home)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert str(finished_project) in result.stderr
    assert finished_project.read_bytes() == broken     # never "repaired" into a new file
    assert not (tmp_path / "x.docx").exists()


def test_lost_search_index_is_a_clear_error_and_readding_rebuilds_it(
        small_library, corpus_dir, deepdraft_home):
    small_library.close()
    shutil.rmtree(small_library.folder / "chroma")   # between two sessions, as in life
    library = ["--library", "warp-tests"]
    result = deepdraft("library", "search", "monsoon rain", *library, home=deepdraft_home)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "lost its search index" in result.stderr
    assert "Add its documents again" in result.stderr
    listed = deepdraft("library", "list", *library, home=deepdraft_home).stdout
    assert listed.count("chunks") == 3                  # the document list is kept
    added = deepdraft("library", "add", str(corpus_dir), *library, home=deepdraft_home)
    assert "3 indexed" in added.stdout, added.stdout + added.stderr
    found = deepdraft("library", "search", "monsoon rain", "-k", "1", *library,
                      home=deepdraft_home)
    assert found.returncode == 0 and "monsoon" in found.stdout, found.stderr
    # A new session is a new process: this one's Chroma client cache still holds the
    # folder deleted above, so drop it before reading what the CLI rebuilt.
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    reopened = open_library("warp-tests")
    assert_consistent(reopened)
    reopened.close()


def test_disk_full_during_a_step_commit(small_disk, small_library, replay_file):
    project = small_disk / "full.ddproj"
    store, events = run_replay(project, replay_file(TRANSCRIPT))
    filler = None
    with pytest.raises(ProjectError, match="could not save step 4 .*keeps everything"):
        for event in events:
            if isinstance(event, wev.StepFinished) and event.step == 3:
                filler = fill(small_disk)   # the next commit finds no space
    store.close()
    filler.unlink()
    store = ProjectStore.open(project)       # readable, steps 1-3 whole
    assert [s["step"] for s in store.steps()] == [1, 2, 3]
    assert store.load_run_state()["steps"] == 3
    rest = replay_file(TRANSCRIPT[3:])
    _, events = run_replay(project, rest, store)
    assert list(events)[-1].reason == "complete"
    assert [s["step"] for s in store.steps()] == list(range(1, 10))
    store.close()


def test_disk_full_during_an_export(small_disk, finished_project, deepdraft_home):
    from engine.export import export_docx
    from engine.project.project_store import load_report

    report = load_report(finished_project)
    target = small_disk / "report.docx"
    export_docx(report, target)
    good = target.read_bytes()
    filler = fill(small_disk)
    with pytest.raises(OSError, match="No space left"):
        export_docx(report, target)
    assert target.read_bytes() == good                     # the earlier export untouched
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin", "report.docx"]
    fresh = small_disk / "fresh.docx"
    result = deepdraft("export", str(finished_project), "--docx", str(fresh),
                       home=deepdraft_home)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "No space left" in result.stderr and "fresh.docx" in result.stderr
    assert not fresh.exists() and not list(fresh.parent.glob("*.partial"))
    filler.unlink()


def test_disk_full_during_an_ingest(small_disk, monkeypatch, freshwiki_dir, tmp_path):
    from tests.library.test_interrupt import ARTICLES, copy_articles

    monkeypatch.setenv("DEEPDRAFT_HOME", str(small_disk / "home"))
    folder = copy_articles(freshwiki_dir, tmp_path / "wiki")
    library = open_library("full")
    first = list(library.ingest([folder / ARTICLES[0]]))[-1]
    assert first.indexed == 1
    filler = fill(small_disk)
    try:
        events = list(library.ingest([folder]))
        outcome = "finished"
    except Exception as exc:  # noqa: BLE001 - how it fails is reported, what remains is tested
        events, outcome = [], f"{type(exc).__name__}: {exc}"
    library.close()
    filler.unlink()
    # the user is told: the ingest raised, or it reported the files it could not index
    failed = [e for e in events if isinstance(e, FileFailed)]
    said = outcome + " ".join(f"{e.reason} {e.detail}" for e in failed)
    assert outcome != "finished" or failed, "a full disk went unreported"
    assert "full" in said or "No space left" in said, said
    library = open_library("full")
    assert_consistent(library, allow_pending=True)
    done = list(library.ingest([folder]))[-1]
    assert done.failed == 0 and done.indexed + done.skipped == 3, (outcome, events[-3:])
    assert_consistent(library)
    assert library.search("Crimean bridge explosion", k=1)[0].title == \
        "2022 Crimean Bridge explosion"
    library.close()
