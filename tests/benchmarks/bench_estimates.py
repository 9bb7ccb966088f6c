"""Time-left estimates of the window (desktop/run_progress.py, desktop/ingest_progress.py)
replayed over recorded real runs and ingests (tests/data/timings): the error of the
estimate at 10, 25, 50 and 75% of each job, (estimate - actual) / actual; target within
+-50% at 25%. Nothing is remembered from earlier jobs (a fresh data folder), as on a
first use.

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
                                                run_error)

    print("job" + "".join(f" | at {share:.0%}" for share in SHARES))
    for kind, error in (("ingest", ingest_error), ("run", run_error)):
        for path in recordings(kind):
            recording = load(path)
            # each job on a fresh data folder: a replayed job remembers its rates
            with tempfile.TemporaryDirectory(prefix="deepdraft-bench-eta-") as home:
                os.environ["DEEPDRAFT_HOME"] = home
                cells = [_cell(error(recording, share)) for share in SHARES]
            print(f"{path.stem}" + "".join(f" | {cell}" for cell in cells))


if __name__ == "__main__":
    main()
