"""Screenshot tour pages for the Models page and the Library's indexing progress: each
function drives a real window (real engine process) into its state, saves a PNG in the
given folder and returns its path. desktop.tour calls them; run from the repository
root (the download page serves the bundled demo model from the tests' loopback hub, as
no real download may happen in a tour).

    from desktop.tour_pages import library_progress, models_download
    models_download(Path("shots"))       # shots/models.png: a download in progress
    library_progress(Path("shots"))      # shots/library-progress.png: indexing, time left
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The shared corpus sits beside the repository (or beside the folder of worktrees).
CORPUS = next((p / "shared" / "corpus" for p in (REPO, REPO.parent, REPO.parent.parent)
               if (p / "shared" / "corpus").is_dir()), REPO.parent / "shared" / "corpus")
TIMEOUT_S = 900


def _wait(condition_signal, done, timeout_s: float = TIMEOUT_S) -> None:
    """Run the event loop until done() holds, checked whenever the signal fires."""
    from PySide6.QtCore import QEventLoop

    from desktop.qt import QTimer

    loop = QEventLoop()
    check = lambda *_: loop.quit() if done() else None   # noqa: E731
    condition_signal.connect(check)
    QTimer.singleShot(int(timeout_s * 1000), lambda: loop.exit(1))
    try:
        if not done() and loop.exec() != 0:
            raise TimeoutError("the tour page did not reach its state in time")
    finally:
        condition_signal.disconnect(check)


def _window():
    from desktop.app import apply_style
    from desktop.main_window import MainWindow
    from desktop.qt import QApplication

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    window = MainWindow()
    window.resize(1360, 860)
    window.show()
    window.extras.warm()
    return window


def models_download(out: Path) -> Path:
    """models.png: the Models page with AgentCPM-Report downloading (progress, speed,
    time left)."""
    from tests.llm.hub_server import Hub

    from engine.bundled import demo_llm_path
    from engine.llm import download as dl

    window = _window()
    hub = Hub(demo_llm_path())
    try:
        page = window.extras.open_models()
        _wait(window.extras.system_lane.finished, lambda: window.extras.system is not None)
        page.hub_url = hub.url
        page.start_download()
        _wait(page.lane.event, lambda: page.tracker is not None
              and page.tracker.speed() is not None and 0.2 < page.tracker.fraction() < 0.9
              or not page.lane.busy)
        target = out / "models.png"
        page.grab().save(str(target))
        page.pause_button.click()
        _wait(page.lane.finished, lambda: not page.lane.busy)
    finally:
        window.close()
        hub.close()
    return target


def library_progress(out: Path, count: int = 30) -> Path:
    """library-progress.png: FreshWiki articles and a PDF indexing, with pages, chunks,
    the current file's embedding and the time left."""
    window = _window()
    try:
        files = sorted((CORPUS / "freshwiki" / "txt").glob("*.txt"))[:count]
        files.append(CORPUS / "pymupdf-tests" / "test_open2.pdf")
        window.add_documents([str(f) for f in files])
        tracker = lambda: window.library.tracker   # noqa: E731
        _wait(window.worker.event, lambda: not window.worker.busy or (
            tracker() is not None and tracker().files_done >= 3
            and tracker().seconds_left() is not None and tracker().current is not None
            and "embedding" in window.library.progress_label.text()))
        target = out / "library-progress.png"
        window.grab().save(str(target))
        window.stop()
        _wait(window.worker.finished, lambda: not window.worker.busy)
    finally:
        window.close()
    return target


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "tour")
    folder.mkdir(parents=True, exist_ok=True)
    print(models_download(folder))
    print(library_progress(folder))
