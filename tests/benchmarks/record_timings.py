"""Record real timings for the time-left estimators (tests/data/timings/*.json).

    record_timings.py run PROJECT.ddproj --out FILE.json --command "deepdraft write ..."
        per step of a finished run, from the project file: kind, valid, when it started
        and ended (seconds from the first step's start; start = the step's commit time
        less its model, retrieval and engine seconds), the outline's planned and
        written sections after it (rebuilt from the steps' actions), and its prompt
        tokens (submitted, evaluated after cache reuse) and completion tokens
    record_timings.py ingest PATH... --out FILE.json
        a real ingest of PATHs into a fresh library (in a temporary data folder): every
        event with its time (seconds from the start) and fields
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _outline_counts(kind: str, valid: bool, action: dict | None, counts: list[int]) -> None:
    if not valid or not action:
        return
    if kind == "init-plan":
        counts[1] = len(action.get("sections", []))
    elif kind == "extend-plan" and action.get("subsections"):
        counts[1] += len(action["subsections"])
    elif kind == "write":
        counts[0] += 1


def record_run(project: Path, command: str) -> dict:
    db = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    rows = db.execute("SELECT step, kind, valid, action, finished, model_seconds, "
                      "retrieval_seconds, engine_seconds, prompt_tokens, "
                      "prompt_tokens_evaluated, completion_tokens FROM steps ORDER BY step"
                      ).fetchall()
    settings = json.loads(db.execute("SELECT value FROM meta WHERE key = 'settings'")
                          .fetchone()[0])
    reasons = [json.loads(p).get("reason") for (p,) in db.execute(
        "SELECT payload FROM decisions WHERE kind = 'finished' ORDER BY id")]
    first = rows[0]
    origin = first[4] - sum(first[5:8])
    counts, steps = [0, 0], []
    for step, kind, valid, action, finished, model, retrieval, engine, *tokens in rows:
        _outline_counts(kind, bool(valid), json.loads(action) if action else None, counts)
        steps.append({"step": step, "kind": kind, "valid": bool(valid),
                      "start": round(finished - model - retrieval - engine - origin, 3),
                      "end": round(finished - origin, 3),
                      "written": counts[0], "planned": counts[1],
                      **dict(zip(("prompt_tokens", "evaluated", "completion"), tokens))})
    run = settings.get("run", {})
    return {"recorded": f"{command} (machine: {platform.node()}, {os.cpu_count()} cores, "
                        f"load {_load()} when extracted)",
            "limit": run.get("max_steps", 140), "max_extends": run.get("max_extends", 12),
            "finished": reasons[-1] if reasons else None, "steps": steps}


def record_ingest(paths: list[Path]) -> dict:
    with tempfile.TemporaryDirectory() as home:
        os.environ["DEEPDRAFT_HOME"] = home
        from engine.library import open_library

        library = open_library("timings")
        events, started = [], time.monotonic()
        for event in library.ingest(paths):
            fields = {k: v for k, v in dataclasses.asdict(event).items()}
            events.append({"t": round(time.monotonic() - started, 3),
                           "event": type(event).__name__, **fields})
        library.close()
    return {"recorded": f"record_timings.py ingest {' '.join(p.name for p in paths)} "
                        f"(machine: {platform.node()}, {os.cpu_count()} cores, load "
                        f"{_load()} after)", "events": events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    run = sub.add_parser("run")
    run.add_argument("project", type=Path)
    run.add_argument("--command", default="deepdraft write")
    ingest = sub.add_parser("ingest")
    ingest.add_argument("paths", type=Path, nargs="+")
    for p in (run, ingest):
        p.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = (record_run(args.project, args.command) if args.what == "run"
            else record_ingest(args.paths))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
