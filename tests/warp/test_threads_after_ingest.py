"""A run started at once after a real ingest takes every core other programs leave: the
ingest's CPU time is Deepdraft's own and does not count (issue 26: with the 1-minute load
average such a run got 1 thread of 2 for its whole life).

Real parts: FreshWiki articles embedded with MiniLM into Chroma on disk, then the demo
model in llama.cpp. The machine may be busy with other programs (CI): the test measures
their load itself, before and after the run's choice, and holds the choice to it, never
to absolute idleness."""
from __future__ import annotations

import shutil
import time

import llama_cpp

from engine.threads import LoadWatch, threads_for, usable_cores
from engine.warp import events as ev
from engine.warp.run_factory import create_project, open_run

ARTICLES = 3
SLACK = 0.4     # other programs' cores that may come and go between the measurements


def test_a_run_right_after_an_ingest_gets_the_cores_others_leave(tmp_path, freshwiki_dir):
    from engine.library import open_library

    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(freshwiki_dir.glob("*.txt"))[:ARTICLES]:
        shutil.copy(path, folder / path.name)
    span, cpu = LoadWatch(), time.process_time()
    library = open_library("threads")
    done = list(library.ingest([folder]))[-1]
    library.close()
    assert done.indexed == ARTICLES and done.threads is not None
    store = create_project(tmp_path / "run.ddproj", "What happened in 2022?", model="demo",
                           library="threads")
    try:
        with open_run(store) as run:
            choice = run.backend.threads.choice
            started = next(e for e in run.events() if isinstance(e, ev.StepStarted))
            live = llama_cpp.llama_n_threads(run.backend.llm.ctx)
        ingest, cpu = span.read(), time.process_time() - cpu
        after = LoadWatch().read(1.0)
    finally:
        store.close()
    # The ingest and the model load were this process's work, and were seen as our own:
    # at least the CPU time the process itself reports over the same span.
    assert ingest.own * ingest.seconds >= 0.9 * cpu > 0
    # The run's choice counts only other programs: no more than they kept busy over the
    # ingest or in the second after, give or take SLACK.
    assert choice.source == "measured"
    assert choice.threads == threads_for(choice.cores, choice.other, usable_cores())
    others = max(ingest.other, after.other)
    assert choice.threads >= threads_for(choice.cores, others + SLACK, usable_cores()), (
        choice, ingest, after)
    if others < 0.1:                     # a quiet machine: every core
        assert choice.threads == usable_cores()
    # The first step's count (re-checked as it starts) is the one llama.cpp runs with.
    assert started.threads == live >= 1
