"""Indexing and download progress as the window words it (pure Python, a given clock)."""
from __future__ import annotations

from desktop.models.download_progress import DownloadTracker, size_text
from desktop.common.words import time_left
from desktop.library.ingest_progress import IngestProgress
from engine.library import events as lib
from engine.llm import download as dl


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_ingest_estimate_leaves_out_the_model_loading_and_counts_pages_and_chunks():
    clock = Clock()
    progress = IngestProgress(clock)
    progress.on_event(lib.IngestStarted(total=2, total_bytes=40_400,
                                        files=(("/d/a.pdf", 40_000), ("/d/b.txt", 400))))
    progress.on_event(lib.FileStarted("/d/a.pdf", 1, 2, size=40_000))
    progress.on_event(lib.FileRead("/d/a.pdf", pages=9, chunks=40))
    progress.on_event(lib.Phase(lib.LOADING_EMBEDDER))
    clock.now += 30                                   # the model loads: no estimate yet
    assert "Loading the embedding model" in progress.text()
    assert progress.seconds_left() is None
    progress.on_event(lib.Phase(lib.LOADING_EMBEDDER, done=True))
    clock.now += 10
    progress.on_event(lib.ChunksEmbedded("/d/a.pdf", 20, 40))
    assert progress.fraction() == 0.5 * 40_000 / 40_400
    # 20 chunks in 10 s of work; 20 more of this file and b.txt's 400 bytes of text
    # (about 1 chunk at 400 bytes a chunk) are left.
    assert progress.seconds_left() == (20 + 1) / 2
    assert progress.text().splitlines() == [
        "0/2 files · 9 pages · 20 chunks · less than a minute left",
        "a.pdf: embedding 20/40 chunks"]
    progress.on_event(lib.ChunksEmbedded("/d/a.pdf", 40, 40))
    progress.on_event(lib.FileIndexed("/d/a.pdf", "id", "A", 40, 9, 1.0))
    assert progress.files_done == 1


def test_words_for_time_and_size():
    assert time_left(5) == "a few seconds left"
    assert time_left(150) == "about 2 min left"
    assert time_left(3 * 3600 + 600) == "about 3 h 10 min left"
    assert size_text(512) == "512 B" and size_text(5 * 2**30) == "5.0 GB"


def test_download_speed_and_time_left():
    clock = Clock()
    tracker = DownloadTracker(clock)
    tracker.on_event(dl.DownloadStarted("m.gguf", total=100 * 2**20, resumed_from=0))
    for second in range(1, 4):
        clock.now += 1
        tracker.on_event(dl.DownloadProgress(second * 10 * 2**20, 100 * 2**20))
    assert tracker.speed() == 10 * 2**20
    assert tracker.text() == "30.0 MB of 100.0 MB · 10.0 MB/s · a few seconds left"
    tracker.on_event(dl.DownloadVerifying(None))
    assert tracker.text() == "Checking the file's checksum…"


def test_run_bar_is_full_when_the_report_completes_before_the_limit():
    from desktop.run.progress import RunProgress
    from engine.warp import events as ev

    progress = RunProgress()
    progress.start(30, 0, now=1.0)
    progress.on_event(ev.StepStarted(step=14, action="nop", cursor=None), now=2.0)
    assert progress.fraction() == 14 / 30
    progress.on_event(ev.Done(reason="complete", stats={}), now=3.0)
    assert progress.fraction() == 1.0
    progress.start(30, 14, now=4.0)                 # a new run starts from its step
    progress.on_event(ev.Done(reason="cancelled", stats={}), now=5.0)
    assert progress.fraction() == 14 / 30


def test_window_messages_leave_out_command_line_hints():
    from desktop.common.messages import job_failure, run_error

    text = job_failure("embedding model 'bge' is not downloaded yet "
                       "(deepdraft library download-model bge)", during_run=False)
    assert text == "Embedding model 'bge' is not downloaded yet."
    assert run_error("/p/r.ddproj already exists; use `deepdraft resume /p/r.ddproj`") == \
        "/p/r.ddproj already exists"
    assert "deepdraft" not in job_failure("library x is empty (deepdraft library add PATH, "
                                          "then deepdraft resume)", during_run=True)
