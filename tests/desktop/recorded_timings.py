"""Replay recorded runs and ingests (tests/data/timings/*.json, made by
tests/benchmarks/record_timings.py) through the window's progress estimators on a
recorded clock, and measure how far the time-left estimate is off at a given share of the
job: (estimate - actual time left) / actual time left."""
from __future__ import annotations

import json
from pathlib import Path

from engine.library import events as lib
from engine.warp import events as ev

TIMINGS = Path(__file__).resolve().parents[1] / "data" / "timings"
BASE = 1000.0       # recorded times start at 0; the estimators read 0 as "no time given"


class Clock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def recordings(kind: str) -> list[Path]:
    return sorted(TIMINGS.glob(f"{kind}_*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ingest_event(record: dict):
    fields = {k: v for k, v in record.items() if k not in ("t", "event")}
    if "files" in fields:
        fields["files"] = tuple(tuple(f) for f in fields["files"])
    return getattr(lib, record["event"])(**fields)


def ingest_error(recording: dict, share: float = 0.25, progress_class=None) -> dict:
    """Replay the events up to `share` of the ingest's time; the estimate then."""
    from desktop.ingest_progress import IngestProgress

    events = recording["events"]
    total = events[-1]["t"]
    clock = Clock(0.0)
    progress = (progress_class or IngestProgress)(clock)
    at = share * total
    for record in events:
        if record["t"] > at:
            break
        clock.now = record["t"]
        progress.on_event(ingest_event(record))
    clock.now = at
    return _error(progress.seconds_left(), total - at, at)


def _outline(written: int, planned: int) -> dict:
    return {"sections": [{"title": f"s{i}", **({"content": "x"} if i < written else {})}
                         for i in range(planned)]}


def run_events(recording: dict) -> list[tuple[float, object]]:
    """(time, event) as the window would have received them."""
    timed: list[tuple[float, object]] = [(0.0, ev.OutlineChanged(_outline(0, 0), "outline"))]
    planned = 0
    for step in recording["steps"]:
        added = step["planned"] - planned if step["kind"] == "extend-plan" else 0
        planned = step["planned"]
        timed.append((step["start"], ev.StepStarted(step["step"], step["kind"], None)))
        timed.append((step["end"], ev.StepFinished(
            step["step"], step["kind"], None, step["valid"],
            summary=ev.StepSummary(subsections=added))))
        timed.append((step["end"], ev.OutlineChanged(
            _outline(step["written"], step["planned"]), None)))
    return timed


def replay_run(recording: dict, steps: int):
    """A RunProgress that has seen the first `steps` steps of the recording."""
    from desktop.run_progress import RunProgress

    progress = RunProgress()
    progress.start(recording["limit"], 0, now=BASE)
    last = recording["steps"][steps - 1]["end"] if steps else 0.0
    for t, event in run_events(recording):
        if t > last or (steps == 0 and t > 0):
            break
        progress.on_event(event, now=BASE + t)
    return progress


def replay_run_to_done(recording: dict) -> None:
    """A whole recorded run, ended: its rates are remembered in the data folder."""
    progress = replay_run(recording, len(recording["steps"]))
    progress.on_event(ev.Done(stats={}, reason=recording["finished"] or "step limit"),
                      now=BASE + recording["steps"][-1]["end"])


def run_error(recording: dict, share: float = 0.25, progress_class=None) -> dict:
    """Replay the steps up to `share` of the run's step time; the estimate then."""
    from desktop.run_progress import RunProgress

    total = recording["steps"][-1]["end"]
    at = share * total
    progress = (progress_class or RunProgress)()
    progress.start(recording["limit"], 0, now=BASE)
    for t, event in run_events(recording):
        if t > at:
            break
        progress.on_event(event, now=BASE + t)
    try:
        estimate = progress.remaining_seconds(BASE + at)
    except TypeError:           # the estimator before issue 25 took no time
        estimate = progress.remaining_seconds()
    return _error(estimate, total - at, at)


def _error(estimate: float | None, actual: float, at: float) -> dict:
    error = None if estimate is None else (estimate - actual) / actual
    return {"at": round(at, 1), "estimate": estimate, "actual": round(actual, 1),
            "error": error}
