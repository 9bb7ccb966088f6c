"""A long report in the reading view: rendered cold, re-rendered after one section changed,
and the longest event-loop gap while the draft views take one changed outline."""
from __future__ import annotations

import time

from desktop.qt import QEventLoop
from tests.benchmarks.desktop_views.common import outline_of, settle, show, timed
from tests.export.samples import large_report


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


def report(args) -> None:
    bench_reading_view(args.sections, args.words, args.runs)
    bench_streamed_update(args.sections, args.words, args.runs)
