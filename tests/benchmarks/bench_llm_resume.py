"""Resume without re-reading: prompt tokens evaluated by the first steps after a resume,
with the prompt-cache slots saved beside the project and without them.

Runs the first `--before` recorded WARP prompts on a backend that keeps its slots in a
folder, closes it (as a stopped run does), then opens two fresh backends (a resumed run)
-- one that loads the saved slots, one cold -- and runs the next `--after` prompts.
Beside them, the floor: what an ideal exact-prefix cache that kept every earlier
prompt would evaluate (everything after a prompt's longest prefix shared with any
earlier prompt is new to the model). The saved state reaches it when "saved" equals
"floor"; what remains above it is text the prompts change early (the outline sits
before the passages), which no exact-prefix cache can skip.

    .venv/bin/python tests/benchmarks/bench_llm_resume.py [--before 6] [--after 3]
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, generate
from engine.llm.prompt_cache import floor_reuse

DATA = Path(__file__).parent / "data" / "warp_prompts.jsonl"


def step(backend, row: dict):
    request = GenerationRequest(messages=row["messages"], max_tokens=16, temperature=0.0,
                                seed=1, cache_slot=row["slot"])
    return generate(backend, request)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=int, default=6)
    parser.add_argument("--after", type=int, default=3)
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text().splitlines()]
    folder = Path(tempfile.mkdtemp(prefix="resume-bench-")) / "project.kv"
    first = open_backend("demo", n_ctx=8192)
    first.attach_kv_store(folder)
    for row in rows[:args.before]:
        step(first, row)
    first.close()
    size = sum(p.stat().st_size for p in folder.glob("*.kv"))
    print(f"{args.before} steps run, slots saved: {size / 2**20:.1f} MiB in {folder}")
    warm, cold = open_backend("demo", n_ctx=8192), open_backend("demo", n_ctx=8192)
    started = time.perf_counter()
    loaded = warm.attach_kv_store(folder)
    print(f"resumed: {loaded} slots loaded in {time.perf_counter() - started:.2f}s")
    seen = [warm.prompt_tokens(row["messages"]) for row in rows[:args.before]]
    print("step  slot         submitted  evaluated: saved state    cold   floor")
    totals = [0, 0, 0, 0]
    for number, row in enumerate(rows[args.before:args.before + args.after], args.before + 1):
        tokens = warm.prompt_tokens(row["messages"])
        floor = len(tokens) - floor_reuse(tokens, seen)
        seen.append(tokens)
        w, c = step(warm, row), step(cold, row)
        counts = (w.prompt_tokens, w.prompt_tokens_evaluated, c.prompt_tokens_evaluated, floor)
        totals = [t + n for t, n in zip(totals, counts)]
        print(f"{number:4d}  {row['slot']:11s} {counts[0]:9d}  {counts[1]:22d}  {counts[2]:6d}"
              f"  {counts[3]:6d}")
    print(f"first {args.after} steps after resume: {totals[1]} of {totals[0]} tokens evaluated "
          f"with saved state, {totals[2]} cold, floor {totals[3]}")
    warm.close()
    cold.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
