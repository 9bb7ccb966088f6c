"""Time-left estimates against recorded real jobs (tests/data/timings, see its README):
at a quarter of the job the estimate is within half of the time that was really left;
before it has a rate it says so; the rates it measured start the next job's estimate."""
from __future__ import annotations

import pytest

from desktop.ingest_progress import IngestProgress
from desktop.run_progress import RunProgress
from engine.library.eta import IngestEta
from tests.desktop.recorded_timings import (BASE, Clock, ingest_error, ingest_event, load,
                                            recordings, run_error, run_events)


@pytest.mark.parametrize("path", recordings("ingest"), ids=lambda p: p.stem)
def test_ingest_estimate_at_a_quarter_is_within_half(path):
    result = ingest_error(load(path))
    assert result["error"] is not None and abs(result["error"]) <= 0.5, result


@pytest.mark.parametrize("path", recordings("run"), ids=lambda p: p.stem)
def test_run_estimate_at_a_quarter_is_within_half(path):
    result = run_error(load(path))
    assert result["error"] is not None and abs(result["error"]) <= 0.5, result


def test_there_are_recordings_of_both_kinds():
    assert len(recordings("ingest")) >= 2 and len(recordings("run")) >= 2


def test_a_pdf_is_sized_by_its_type_not_by_its_bytes():
    eta = IngestEta()
    eta.started([("/d/a.txt", 40_000), ("/d/b.pdf", 240_000)], 280_000)
    eta.file_read("/d/a.txt", 40_000, 100)
    assert eta.chunks_to_come() == pytest.approx(240_000 / 12_000)   # not 600, as bytes say


def _replay_ingest(recording: dict, until: float | None = None) -> IngestProgress:
    clock = Clock()
    progress = IngestProgress(clock)
    for record in recording["events"]:
        if until is not None and record["t"] > until:
            break
        clock.now = record["t"]
        progress.on_event(ingest_event(record))
    return progress


def test_ingest_says_estimating_until_it_has_a_rate_and_remembers_it(deepdraft_home):
    recording = load(recordings("ingest")[0])
    first_read = next(r["t"] for r in recording["events"] if r["event"] == "FileRead")
    progress = _replay_ingest(recording, until=first_read)
    assert progress.seconds_left() is None
    assert "estimating the time left…" in progress.text()
    _replay_ingest(recording)                          # to the end: the rate is saved
    assert (deepdraft_home / "rates.json").is_file()
    again = _replay_ingest(recording, until=first_read)
    assert again.seconds_left() is not None and "estimating" not in again.text()


def _replay_run(recording: dict, steps: int) -> RunProgress:
    progress = RunProgress()
    progress.start(recording["limit"], 0, now=BASE)
    last = recording["steps"][steps - 1]["end"] if steps else 0.0
    for t, event in run_events(recording):
        if t > last or (steps == 0 and t > 0):
            break
        progress.on_event(event, now=BASE + t)
    return progress


def test_run_says_estimating_until_it_has_rates_and_remembers_them(deepdraft_home):
    from engine.warp import events as ev

    recording = load(recordings("run")[0])
    first_write = next(s["step"] for s in recording["steps"] if s["kind"] == "write")
    progress = _replay_run(recording, first_write - 1)
    assert progress.remaining_seconds() is None
    assert "estimating the time left…" in progress.describe(now=BASE + 1)
    done = _replay_run(recording, len(recording["steps"]))
    done.on_event(ev.Done(stats={}, reason=recording["finished"]), now=BASE + 1e4)
    assert (deepdraft_home / "rates.json").is_file()
    again = _replay_run(recording, 1)                 # one search in: outline still to come
    assert again.remaining_seconds() is not None
    assert "estimating" not in again.describe(now=BASE + 1)
