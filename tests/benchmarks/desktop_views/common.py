"""What every desktop-views measurement shares: the app, a report as the window receives
it, timing helpers, and the longest event-loop gap around an action (the Probe of
bench_gui_stall: a 10 ms timer on the GUI thread)."""
from __future__ import annotations

import statistics
import time

from desktop.qt import QApplication, QEventLoop, QTimer


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


def settle(ms: int = 60) -> None:
    """Let the event loop run `ms` (queued paints and signals are handled)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark: gave up waiting")
        QApplication.processEvents()
        time.sleep(0.005)


def probed(action, then=None) -> dict:
    """The Probe's figures (max_gap_ms, p99_gap_ms, the worst gaps' split …) from just
    before `action()` until `then()` (a wait for what the action started) returns and the
    result is painted."""
    from tests.benchmarks.bench_gui_stall import Probe

    probe = Probe()
    probe.start()
    settle(30)
    action()
    if then is not None:
        then()
    settle()
    return probe.stop()


def max_gap_ms(action, then=None) -> float:
    return probed(action, then)["max_gap_ms"]


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1)
