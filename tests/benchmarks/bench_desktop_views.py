"""The window's rendered views: re-rendering the reading view of a 60-section report, how
long the window's event loop stalls when a run's update re-renders it (on the GUI thread,
as an edit does, against off it, as a run's streamed updates do), and the time from
clicking a citation to a rendered PDF page with the passage highlighted.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_desktop_views.py \
        [--sections 60] [--words 30000] [--runs 7]

Prints the median and best of `runs` for each. Both run in the real window's widgets.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DEEPDRAFT_HOME"] = tempfile.mkdtemp(prefix="deepdraft-bench-views-")

from desktop.qt import QApplication, QUrl  # noqa: E402
from tests.export.samples import large_report  # noqa: E402


def outline_of(report) -> dict:
    """The Report as an Outline.to_dict() (node ids added), as the window receives it."""
    def node(section, path):
        data = {"title": section.title, "plan": section.plan, "node_id": "n" + path,
                "subsections": [node(c, f"{path}_{i}") for i, c in
                                enumerate(section.subsections, 1)]}
        if section.content is not None:
            data["content"] = section.content
        return data
    return {"title": report.title, "sections": [node(s, str(i)) for i, s in
                                                enumerate(report.sections, 1)]}


def timed(runs: int, action) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        QApplication.processEvents()
        timings.append(time.perf_counter() - started)
    return timings


def show(name: str, timings: list[float]) -> None:
    print(f"{name}: median {statistics.median(timings) * 1000:.0f} ms, "
          f"best {min(timings) * 1000:.0f} ms over {len(timings)} runs")


def bench_reading_view(sections: int, words: int, runs: int) -> None:
    """Cold: nothing rendered before. After a write: one section's text changed, as after
    each step of a run (the other sections' Markdown is remembered)."""
    from desktop.report.reading_view import ReadingView
    from desktop.report.render import clear_cache, render_report

    report = large_report(sections, words)
    outline = outline_of(report)
    view = ReadingView()
    view.resize(800, 900)
    view.show()

    def cold():
        clear_cache()
        view.show_report(render_report(outline, report.citations))

    def after_a_write():
        node = outline["sections"][-1]
        node["content"] = node["content"] + " More."
        view.show_report(render_report(outline, report.citations))

    label = f"reading view of {sections} sections / {words} words"
    show(f"{label}, cold render", timed(runs, cold))
    show(f"{label}, re-render after one section changed", timed(runs, after_a_write))


def bench_streamed_update(sections: int, words: int, runs: int) -> None:
    """The longest gap of a 10 ms timer while the draft views take one changed outline:
    rendered on the GUI thread (show_outline: an edit, a reload) and rendered on the
    render thread (outline_streamed: each step of a run), the GUI thread's CPU beside it."""
    import copy

    from desktop.shell.draft_views import DraftViews
    from desktop.qt import QEventLoop, QTimer
    from tests.benchmarks.bench_gui_stall import Probe

    report = large_report(sections, words)
    outline = outline_of(report)
    draft = DraftViews()
    draft.report.citations = dict(report.citations)
    draft.pages.resize(800, 900)
    draft.pages.show()
    draft.show_outline(outline)
    probe = Probe()

    def changed() -> dict:
        node = outline["sections"][-1]
        node["content"] = node["content"] + " More."
        return copy.deepcopy(outline)

    def settle(ms: int = 60) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    for name, update in (("on the GUI thread (an edit)", draft.show_outline),
                         ("on the render thread (a run's update)", draft.outline_streamed)):
        gaps, cpu = [], []
        for _ in range(runs):
            outline_now = changed()
            probe.start()
            settle(30)
            started = time.thread_time()
            rendered = QEventLoop()
            draft.renderer.rendered.connect(rendered.quit)
            update(outline_now)
            if draft.renderer.busy or draft._render_timer.isActive():
                rendered.exec()
            draft.renderer.rendered.disconnect(rendered.quit)
            settle()                                   # the swapped document is painted
            cpu.append(time.thread_time() - started)
            gaps.append(probe.stop()["max_gap_ms"] / 1000)
        show(f"longest event-loop gap, update rendered {name}", gaps)
        show(f"GUI thread CPU for that update, {name}", cpu)
    draft.shutdown()


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=60)
    parser.add_argument("--words", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    QApplication.instance() or QApplication(sys.argv[:1])
    bench_reading_view(args.sections, args.words, args.runs)
    bench_streamed_update(args.sections, args.words, args.runs)
    bench_click_to_pdf_page(args.runs)


if __name__ == "__main__":
    main()
