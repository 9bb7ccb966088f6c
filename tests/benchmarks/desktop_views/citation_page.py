"""A click on a citation to its rendered, highlighted PDF page."""
from __future__ import annotations

import tempfile
from pathlib import Path

from desktop.qt import QUrl
from tests.benchmarks.desktop_views.common import show, timed


def bench_click_to_pdf_page(runs: int) -> None:
    from desktop.shell.main_window import MainWindow
    from tests.desktop.evidence_project import build_project, manifest_library

    store, _ = build_project(Path(tempfile.mkdtemp()) / "bench.ddproj", manifest_library())
    path = store.path
    store.close()
    window = MainWindow()
    window.show()
    window.open_project(str(path))
    window.outline.setCurrentItem(window.outline.topLevelItem(0))
    view = window.editor.view
    first = view.marker_urls()[0]

    def click_and_open():
        view.anchorClicked.emit(QUrl(first))
        window.evidence.open_at_page()

    show("click on a citation to a rendered, highlighted PDF page", timed(runs, click_and_open))
    window.close()


def report(args) -> None:
    bench_click_to_pdf_page(args.runs)
