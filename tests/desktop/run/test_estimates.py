"""Time-left estimates against recorded real jobs (tests/data/timings, see its README):
at a quarter of the job the estimate is within half of the time that was really left;
before it has a rate it says so; the rates it measured start the next job's estimate.
Runs replay through the engine's run timer (engine.warp.run_timer: the estimator with
each step's tokens), the part of the window's progress line that estimates."""
from __future__ import annotations

import pytest

from desktop.library.ingest_progress import IngestProgress
from engine.library.eta import IngestEta
from tests.desktop.recorded_timings import (BASE, Clock, ingest_error, ingest_event, load,
                                            recordings, replay_run, replay_run_to_done,
                                            replay_timer_to_done, timer_error)


# Measured misses, kept visible (strict: the test fails once the estimator meets them).
# All four are a first run on this machine (nothing remembered); with the other runs'
# rates and reply lengths remembered each is within (tests/data/timings/README.md).
# run_dugina16 and run_batsirai16 (held out: recorded after the estimator was settled):
# the demo's writes either stop at once or loop to the token cap, and their first quarter
# held only short ones (replies of 46 to 236 tokens, mean 53 and 86) while most later
# writes looped (mean 626 and 737 tokens). run_crimea24: the machine slowed down after
# its first quarter (load 4 to 16): priced with each later step's true tokens, the rates
# measured by then still predict 31% too little. run_floods12, recorded beside a parallel
# run (load 6 to 16): at its quarter the init-plan has run 327 s, 5x a quiet machine's,
# and the rest of the run went faster than its first two steps.
MISSES = {("fresh", "run_batsirai16"): "the first quarter's writes were all short",
          ("fresh", "run_dugina16"): "the first quarter's writes were all short",
          ("fresh", "run_crimea24"): "the machine slowed after the first quarter",
          ("fresh", "run_floods12"): "its first steps ran 5x slow beside a parallel run"}


def runs(case: str) -> list:
    return [pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(
        strict=True, reason=f"measured miss: {MISSES[case, p.stem]}")]
        if (case, p.stem) in MISSES else []) for p in recordings("run")]


@pytest.mark.parametrize("path", recordings("ingest"), ids=lambda p: p.stem)
def test_ingest_estimate_at_a_quarter_is_within_half(path):
    result = ingest_error(load(path))
    assert result["error"] is not None and abs(result["error"]) <= 0.5, result


@pytest.mark.parametrize("path", runs("fresh"))
def test_run_estimate_at_a_quarter_is_within_half(path):
    """A first run on this machine (nothing remembered), through the engine's run timer
    (engine.warp.run_timer, which reads each step's tokens): it estimates from its first
    timed step on, and at a quarter of the run is within half of the time left."""
    result = timer_error(load(path))
    assert result["error"] is not None and abs(result["error"]) <= 0.5, result


@pytest.mark.parametrize("path", runs("remembered"))
def test_run_estimate_at_a_quarter_with_remembered_rates_is_within_half(path):
    """A later run: the rates the other recorded runs left in the data folder price the
    steps this run has not measured yet."""
    for other in recordings("run"):
        if other != path:
            replay_timer_to_done(load(other))
    result = timer_error(load(path))
    assert result["error"] is not None and abs(result["error"]) <= 0.5, result


def test_the_run_timer_estimates_once_a_step_is_timed_and_remembers(deepdraft_home):
    recording = load(recordings("run")[0])
    first_end = recording["steps"][0]["end"]
    assert timer_error(recording, 0.5 * first_end / recording["steps"][-1]["end"])["error"] \
        is None                                     # nothing timed yet: estimating
    assert timer_error(recording, 1.01 * first_end / recording["steps"][-1]["end"])["error"] \
        is not None
    replay_timer_to_done(recording)
    saved = load(deepdraft_home / "rates.json")["run"]
    assert saved["s_per_token"] > 0 and saved["completion:write"] > 0


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
    _replay_ingest(recording).saving.join()            # to the end: the rate is saved
    assert (deepdraft_home / "rates.json").is_file()
    again = _replay_ingest(recording, until=first_read)
    assert again.seconds_left() is not None and "estimating" not in again.text()


def test_run_says_estimating_until_it_has_rates_and_remembers_them(deepdraft_home):
    recording = load(recordings("run")[0])
    progress = replay_run(recording, 0)              # no step timed yet
    assert progress.remaining_seconds() is None
    assert "estimating the time left…" in progress.describe(now=BASE + 1)
    replay_run_to_done(recording)
    assert (deepdraft_home / "rates.json").is_file()
    again = replay_run(recording, 1)                 # one search in: outline still to come
    assert again.remaining_seconds() is not None
    assert "estimating" not in again.describe(now=BASE + 1)
