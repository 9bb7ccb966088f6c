"""A click on a citation to its rendered, highlighted PDF page: the time it takes, and the
longest event-loop gap from the click until the page is shown, the first time (nothing of
pymupdf loaded in the window's process yet, as in the app: the project is built in a child
process) and repeated (the same citation clicked again)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from desktop.qt import QApplication, QUrl
from tests.benchmarks.desktop_views.common import (max_gap_ms, median, settle, show, timed,
                                                    wait_until)

REPO = Path(__file__).resolve().parents[3]
BUILD = """
import sys
from pathlib import Path
from tests.desktop.evidence_project import build_project, manifest_library
store, _ = build_project(Path(sys.argv[1]), manifest_library())
store.close()
"""


def _project() -> str:
    """Built by a child process (same DEEPDRAFT_HOME), so that reading the PDF does not
    load pymupdf into this one before the first click."""
    path = Path(tempfile.mkdtemp()) / "bench.ddproj"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-c", BUILD, str(path)], cwd=REPO, env=env, check=True)
    return str(path)


def _window():
    from desktop.shell.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.open_project(_project())
    settle(500)                         # the window idle before the first click
    return window


def _select(window, section: int) -> None:
    """The section selected and painted (its views are not this measurement's)."""
    window.outline.setCurrentItem(window.outline.topLevelItem(section))
    QApplication.processEvents()


def _clicker(window):
    """A click on the selected section's first citation (a PDF passage), then Open at
    page; and a wait until the page is shown (at once where the GUI thread renders it)."""
    def click():
        view = window.editor.view
        view.anchorClicked.emit(QUrl(view.marker_urls()[0]))
        window.evidence.open_at_page()

    def shown():
        wait_until(lambda: not getattr(window.evidence.viewer, "pending", False))
    return click, shown


def _shutdown(window) -> None:
    window.close()
    window.deleteLater()
    settle(200)                         # deleted now, not during the next measurement


def bench_click_to_pdf_page(runs: int) -> None:
    window = _window()
    _select(window, 0)
    click, shown = _clicker(window)

    def click_and_wait():
        click()
        shown()
    show("click on a citation to a rendered, highlighted PDF page",
         timed(runs, click_and_wait))
    _shutdown(window)


def max_gaps(args) -> dict:
    """First: the first click of the session, at once after its section was selected
    (its page not rendered, nothing of pymupdf loaded in this process, no page process
    yet); then the same on another section's page (the page process running); repeated:
    the first click again, the window idle before each."""
    window = _window()
    loaded = "pymupdf" in sys.modules or _page_process_running()
    click, shown = _clicker(window)
    _select(window, 0)
    first = max_gap_ms(click, shown)
    _select(window, 1)
    other = max_gap_ms(click, shown)
    _select(window, 0)
    repeats = [max_gap_ms(click, shown) for _ in range(args.runs)]
    print(f"citation page: first click {first} ms (pymupdf or a page process there before: "
          f"{loaded}), first click on another section's page {other} ms, repeated: "
          f"{repeats} ms", file=sys.stderr)
    _shutdown(window)
    return {"citation_page_first_max_gap_ms": first,
            "citation_page_repeat_max_gap_ms": median(repeats)}


def _page_process_running() -> bool:
    try:
        from desktop.evidence import page_renderer
    except ImportError:                 # before pages were rendered off the GUI thread
        return False
    return page_renderer._RENDERER is not None and page_renderer._RENDERER.process is not None


def report(args) -> None:
    bench_click_to_pdf_page(args.runs)
