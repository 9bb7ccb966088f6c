"""Time-left estimates of the window (desktop/run_progress.py, desktop/ingest_progress.py)
replayed over recorded real runs and ingests (tests/data/timings): the error of the
estimate at 10, 25, 50 and 75% of each job, (estimate - actual) / actual; target within
+-50% at 25%. Each job first on a fresh data folder (nothing remembered, as on a first
use), then each run again with the rates the other recorded runs remembered.

    .venv/bin/python tests/benchmarks/bench_estimates.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

SHARES = (0.10, 0.25, 0.50, 0.75)


def _cell(result: dict) -> str:
    if result["error"] is None:
        return "estimating"
    return f"{result['error']:+.0%} ({result['estimate']:.0f}s of {result['actual']:.0f}s)"


def main() -> None:
    from tests.desktop.recorded_timings import (ingest_error, load, recordings,
                                                replay_run_to_done, run_error)

    print("job" + "".join(f" | at {share:.0%}" for share in SHARES))
    runs = recordings("run")
    jobs = [(p, ingest_error, []) for p in recordings("ingest")]
    jobs += [(p, run_error, []) for p in runs]
    jobs += [(p, run_error, [o for o in runs if o != p]) for p in runs]
    for path, error, remembered in jobs:
        recording = load(path)
        # each job on a fresh data folder (a replayed job remembers its rates), holding
        # only what the named other runs left there
        with tempfile.TemporaryDirectory(prefix="deepdraft-bench-eta-") as home:
            os.environ["DEEPDRAFT_HOME"] = home
            for other in remembered:
                replay_run_to_done(load(other))
            cells = [_cell(error(recording, share)) for share in SHARES]
        label = path.stem + (f" (rates of {', '.join(o.stem for o in remembered)})"
                             if remembered else "")
        print(label + "".join(f" | {cell}" for cell in cells))

if __name__ == "__main__":
    main()
