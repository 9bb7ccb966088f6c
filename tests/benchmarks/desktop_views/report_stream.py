"""A long report in the reading view: rendered cold, re-rendered after one section changed,
and the longest event-loop gap while the draft views take changed outlines, one at a time
and all 60 of a run's updates in a row (`max_gaps`: report_stream_max_gap_ms)."""
from __future__ import annotations

import copy
import sys
import time

from desktop.qt import QEventLoop, QTimer
from tests.benchmarks.desktop_views.common import outline_of, probed, settle, show, timed
from tests.export.samples import large_report

UPDATES = 60


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


def streaming_views(sections: int, words: int):
    """Draft views showing the long report, the reader halfway down; returns (views,
    outline)."""
    from desktop.shell.draft_views import DraftViews

    report = large_report(sections, words)
    outline = outline_of(report)
    draft = DraftViews()
    draft.report.citations = dict(report.citations)
    draft.pages.resize(800, 900)
    draft.pages.show()
    draft.show_outline(outline)
    settle()
    bar = draft.reading.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    return draft, outline


def nodes_of(outline: dict) -> list[dict]:
    found, stack = [], list(reversed(outline["sections"]))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.get("subsections", [])))
    return found


def rewrite(outline: dict, step: int) -> dict:
    """A run's step: one section (the next in reading order) rewritten with one more
    paragraph; the outline as the engine sends it (a fresh dict)."""
    nodes = nodes_of(outline)
    node = nodes[step % len(nodes)]
    node["content"] = (node.get("content") or "") + \
        f"\n\nStep {step} added this paragraph to the section while the run went on."
    return copy.deepcopy(outline)


def wait_shown(draft, timeout_ms: int = 60_000) -> None:
    """Run the event loop until the streamed outline is rendered and swapped in."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: draft.renderer.busy or draft._render_timer.isActive()
                         or loop.quit())
    QTimer.singleShot(timeout_ms, lambda: loop.exit(1))
    poll.start()
    if loop.exec() != 0:
        raise TimeoutError("benchmark: the streamed update was never shown")
    poll.stop()


def stream(draft, outline: dict, updates: int, between=None) -> None:
    """`updates` steps of a run, each shown before the next arrives (a run's steps take
    seconds); `between(step)` runs after each."""
    for step in range(updates):
        draft.outline_streamed(rewrite(outline, step))
        wait_shown(draft)
        settle(20)
        if between is not None:
            between(step)


def bench_streamed_update(sections: int, words: int, runs: int) -> None:
    """The longest gap of a 10 ms timer while the draft views take one changed outline:
    rendered on the GUI thread (show_outline: an edit, a reload) and streamed (outline_
    streamed: each step of a run), the GUI thread's CPU beside it."""
    from tests.benchmarks.bench_gui_stall import Probe

    draft, outline = streaming_views(sections, words)
    probe = Probe()
    step = [0]

    def edit():
        draft.show_outline(rewrite(outline, step[0]))

    def streamed():
        draft.outline_streamed(rewrite(outline, step[0]))
        wait_shown(draft)

    for name, update in (("on the GUI thread (an edit)", edit),
                         ("streamed (a run's update)", streamed)):
        gaps, cpu = [], []
        for _ in range(runs):
            step[0] += 1
            probe.start()
            settle(30)
            started = time.thread_time()
            update()
            settle()                                   # the changed document is painted
            cpu.append(time.thread_time() - started)
            gaps.append(probe.stop()["max_gap_ms"] / 1000)
        show(f"longest event-loop gap, update rendered {name}", gaps)
        show(f"GUI thread CPU for that update, {name}", cpu)
    draft.shutdown()


def report(args) -> None:
    bench_reading_view(args.sections, args.words, args.runs)
    bench_streamed_update(args.sections, args.words, args.runs)


def max_gaps(args) -> dict:
    """The longest gap while the report takes UPDATES streamed steps, each shown."""
    draft, outline = streaming_views(args.sections, args.words)
    figures = probed(lambda: stream(draft, outline, UPDATES))
    tell("report_stream", figures)
    draft.shutdown()
    return {"report_stream_max_gap_ms": figures["max_gap_ms"]}


def tell(name: str, figures: dict) -> None:
    """The probe's details on stderr (--json prints only the max gaps): how much of the
    worst gaps the GUI thread spent on a CPU, waiting for a core or blocked."""
    print(f"({name}: max gap {figures['max_gap_ms']} ms, p99 {figures['p99_gap_ms']} ms, "
          f"most GUI-thread CPU in one gap {figures['max_busy_ms']} ms; worst gaps (ms, "
          f"cpu ms) {figures['worst_gaps_ms_cpu_ms']}; the worst: "
          f"{figures['worst_gaps'][:1]})", file=sys.stderr)
