"""A run closes what it opened: the library's manifest connection (SQLite) and its search
thread pool, and the model backend. Many runs in one process (the engine process runs
every run of a window session) hold no more files or threads than one."""
from __future__ import annotations

import gc
import threading

import psutil

from desktop.engine_link.jobs import WarpJob
from engine.cancel import CancelToken
from engine.warp import events as ev
from engine.warp.run_factory import create_project, open_run
from engine.warp.state import RunSettings

QUESTION = "What caused the 2022 floods?"
LONG = "The evidence in the library describes this part of the flood in useful detail"
RUNS = 5


def transcript() -> list:
    sections = [{"title": "Causes", "plan": "Rain and glaciers."},
                {"title": "Impact", "plan": "People affected."},
                {"title": "Relief", "plan": "Aid and camps."}]
    replies = [{"name": "search", "keywords": ["monsoon rain floods"]},
               {"name": "init-plan", "title": "The 2022 floods", "sections": sections}]
    for keywords in ("flood causes", "people affected", "relief camps"):
        replies += [{"name": "search", "keywords": [keywords]}, LONG + " \\cite{textid1}."]
    return replies + [{"name": "nop"}]


def manifest_files(library) -> list[str]:
    # Only this test's library: objects other tests left to the garbage collector may close
    # their own files at any moment.
    return [f.path for f in psutil.Process().open_files()
            if "manifest.sqlite" in f.path and f.path.startswith(str(library.folder))]


def run_files(tmp_path, library) -> list[str]:
    # Files of this test's projects and library (the project, the manifest, Chroma's files).
    roots = (str(tmp_path), str(library.folder))
    return sorted(f.path for f in psutil.Process().open_files() if f.path.startswith(roots))


def descriptors() -> int:
    gc.collect()   # objects other tests dropped close their descriptors now, not mid-count
    return psutil.Process().num_fds()


def search_threads() -> list[str]:
    gc.collect()   # pools other tests dropped end their threads now, not in the middle
    return [t.name for t in threading.enumerate() if t.name.startswith("bm25")]


def new_project(tmp_path, replay_file, n: int):
    return create_project(tmp_path / f"run{n}.ddproj", QUESTION, model=replay_file(transcript()),
                          library="warp-tests", run=RunSettings(constrained=False))


def test_runs_close_their_library_and_backend(tmp_path, small_library, replay_file):
    small_library.close()
    baseline_files, baseline_threads = manifest_files(small_library), search_threads()
    files = fds = None
    for n in range(RUNS):
        store = new_project(tmp_path, replay_file, n)
        try:
            with open_run(store) as run:
                events = list(run.events())
            assert events[-1].reason == "complete"
            assert any(isinstance(e, ev.RetrievalHits) and e.keys for e in events)
        finally:
            store.close()
        assert manifest_files(small_library) == baseline_files
        assert search_threads() == baseline_threads
        # After the first run: Chroma's client stays open, and nothing else may join it.
        files = run_files(tmp_path, small_library) if files is None else files
        assert run_files(tmp_path, small_library) == files, f"run {n} left files open"
        fds = descriptors() if fds is None else fds
    # Anonymous descriptors (pipes, sockets, eventfds) can't be told apart from those of
    # other tests' leftovers, so allow one stray; a leak of one per run would show RUNS - 1.
    assert descriptors() - fds <= 1, f"{descriptors() - fds} more descriptors after {RUNS} runs"
    run.close()   # closing twice is harmless


def test_the_check_sees_a_run_left_open(tmp_path, small_library, replay_file):
    # The measure can fail: a run that is not closed keeps the manifest and the pool.
    small_library.close()
    before_files, before_threads = manifest_files(small_library), search_threads()
    store = new_project(tmp_path, replay_file, 0)
    run = open_run(store)
    list(run.events())
    assert len(manifest_files(small_library)) > len(before_files)
    assert len(search_threads()) > len(before_threads)
    run.close()
    store.close()
    assert manifest_files(small_library) == before_files and search_threads() == before_threads


def test_engine_process_jobs_close_their_runs(tmp_path, small_library, replay_file):
    # The desktop's WARP job, called the way the engine process calls it.
    small_library.close()
    baseline_files, baseline_threads = manifest_files(small_library), search_threads()
    for n in range(RUNS):
        store = new_project(tmp_path, replay_file, n)
        store.close()
        events = list(WarpJob(str(store.path))(CancelToken()))
        assert isinstance(events[-1], ev.Done) and events[-1].reason == "complete"
        assert manifest_files(small_library) == baseline_files
        assert search_threads() == baseline_threads
