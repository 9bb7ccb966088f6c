"""Switching sections in the real window while a run's updates stream in: the outline
rebuilt by each update, the reading view scrolled to the chosen heading (or the section
editor showing it), the evidence pane following; the longest event-loop gap
(`max_gaps`: section_switch_run_max_gap_ms)."""
from __future__ import annotations

import time

from tests.benchmarks.desktop_views.common import outline_of, probed, settle, show
from tests.benchmarks.desktop_views.report_stream import (nodes_of, rewrite, tell,
                                                         wait_shown)
from tests.export.samples import large_report

STEPS = 30      # each: an update streamed in, a switch while it renders, one after


def running_window(sections: int, words: int):
    """The real window showing the long report as a run left it; returns (window,
    outline)."""
    from desktop.shell.main_window import MainWindow
    from engine.warp.events import OutlineChanged

    report = large_report(sections, words)
    outline = outline_of(report)
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.draft.report.citations = dict(report.citations)
    window.on_event(OutlineChanged(outline, None))
    wait_shown(window.draft)
    settle()
    return window, outline


def switch_during_run(window, outline: dict, steps: int, switched=None) -> None:
    """`steps` streamed updates; a section chosen in the outline while each one renders
    and another once it is shown; the second half in the section editor's page.
    `switched(seconds)` gets each switch's time on the GUI thread."""
    from engine.warp.events import OutlineChanged

    ids = [node["node_id"] for node in nodes_of(outline)]
    choice = 0

    def switch():
        nonlocal choice
        choice = (choice + 7) % len(ids)        # far apart, as a reader jumps
        started = time.perf_counter()
        window.outline.select_node(ids[choice])
        if switched is not None:
            switched(time.perf_counter() - started)
        settle(20)

    for step in range(steps):
        if step == steps // 2:
            window.draft.pages.setCurrentWidget(window.draft.editor)
        window.on_event(OutlineChanged(rewrite(outline, step), f"section-{step % 20 + 1}"))
        switch()
        wait_shown(window.draft)
        settle(20)
        switch()


def report(args) -> None:
    window, outline = running_window(args.sections, args.words)
    times: list[float] = []
    switch_during_run(window, outline, max(2, args.runs), times.append)
    show("switching sections during a run (GUI thread, each switch)", times)
    window.close()


def max_gaps(args) -> dict:
    window, outline = running_window(args.sections, args.words)
    figures = probed(lambda: switch_during_run(window, outline, STEPS))
    tell("section_switch", figures)
    window.close()
    return {"section_switch_run_max_gap_ms": figures["max_gap_ms"]}
