"""Two tour shots taken before the tour's run, each driving the real window (real engine
process) into a state that does not last: `models.png`, the Models page with
AgentCPM-Report downloading (progress, speed, time left) from the tour's loopback hub
(desktop.tour.hub: the bundled demo model stands in, no network), and
`library-progress.png`, a library indexing with its phase, pages, chunks and time left.

The indexing shot uses FreshWiki articles and a 9-page PDF from the shared corpus beside
the repository when it is there (enough work for an estimate to show); otherwise the
tour's own documents, which index too quickly to show much. It indexes into a library of
its own and stops the indexing after the shot, so the tour's run is unchanged.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The shared corpus sits beside the repository (or beside the folder of worktrees).
CORPUS = next((p / "shared" / "corpus" for p in (REPO, REPO.parent, REPO.parent.parent)
               if (p / "shared" / "corpus").is_dir()), REPO.parent / "shared" / "corpus")
PROGRESS_LIBRARY = "tour-indexing"
ARTICLES = 30
TIMEOUT_S = 900


def wait_for(signal, done, what: str, timeout_s: float = TIMEOUT_S) -> None:
    """Run the event loop until done() holds, checked whenever `signal` (or any of a
    tuple of signals) fires."""
    from desktop.qt import QEventLoop, QTimer

    loop = QEventLoop()
    check = lambda *_: loop.quit() if done() else None   # noqa: E731
    signals = signal if isinstance(signal, tuple) else (signal,)
    for each in signals:
        each.connect(check)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: loop.exit(1))
    timer.start(int(timeout_s * 1000))
    try:
        if not done() and loop.exec() != 0:
            raise TimeoutError(f"tour: gave up waiting for {what}")
    finally:
        timer.stop()
        for each in signals:
            each.disconnect(check)


def shot_models_download(tour):
    """The Models page mid-download; the download is paused after the shot."""
    from desktop.engine_link.jobs import JobSpec
    from desktop.tour.hub import tour_download, tour_hub
    from engine.bundled import demo_llm_path

    window = tour.window
    hub = tour_hub(demo_llm_path())
    try:
        page = window.extras.open_models()
        page.hub_url = hub.url
        page.download_spec = lambda name, url: JobSpec.of(tour_download, name, url)
        wait_for(window.extras.system_lane.finished, lambda: window.extras.system is not None,
                 "the GPU detection")
        page.start_download()
        wait_for((page.lane.event, page.lane.finished), lambda: not page.lane.busy or (
            page.tracker is not None and page.tracker.speed() is not None
            and 0.25 < page.tracker.fraction() < 0.9), "a download in progress")
        if not page.lane.busy:
            raise RuntimeError("tour: the download ended before it could be shown")
        tour.settle()
        image = page.grab().toImage()
        tour.notes["models.png"] = page.download_text.text()
        page.pause_button.click()
        wait_for(page.lane.finished, lambda: not page.lane.busy, "the download to pause")
        page.hide()
        return image
    finally:
        hub.close()


def progress_documents() -> list[str]:
    articles = sorted((CORPUS / "freshwiki" / "txt").glob("*.txt"))[:ARTICLES]
    pdf = CORPUS / "pymupdf-tests" / "test_open2.pdf"
    if articles and pdf.is_file():
        return [str(f) for f in articles] + [str(pdf)]
    from desktop.tour.fixture import TOUR

    return [str(TOUR / "library")]


def shot_library_progress(tour):
    """The window while a library indexes, once the estimate shows; then stopped."""
    window = tour.window
    window.run_bar.library.setCurrentText(PROGRESS_LIBRARY)
    try:
        assert window.add_documents(progress_documents())
        tracker = lambda: window.library.tracker   # noqa: E731
        # an ingest quicker than the estimate ends with `finished`, after its last event
        ended = (window.worker.event, window.worker.finished)
        wait_for(ended, lambda: not window.worker.busy or (
            tracker() is not None and tracker().files_done >= 2
            and tracker().seconds_left() is not None
            and "embedding" in window.library.progress_label.text()), "indexing progress")
        tour.settle()
        image = window.grab().toImage()
        tour.notes["library-progress.png"] = window.library.progress_label.text()
        window.stop()
        wait_for(window.worker.finished, lambda: not window.worker.busy, "the stop")
        return image
    finally:
        window.run_bar.library.setCurrentText("default")
