"""Resume without re-reading: prompt tokens evaluated by the first steps after a resume,
with the prompt-cache slots saved beside the project and without them.

Runs the first `--before` recorded WARP prompts on a backend that keeps its slots in a
folder, closes it (as a stopped run does), then opens two fresh backends (a resumed run)
-- one that loads the saved slots, one cold -- and runs the next `--after` prompts.

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
    print("step  slot    submitted  evaluated(saved state)  evaluated(cold)")
    totals = [0, 0, 0]
    for number, row in enumerate(rows[args.before:args.before + args.after], args.before + 1):
        w, c = step(warm, row), step(cold, row)
        totals = [totals[0] + w.prompt_tokens, totals[1] + w.prompt_tokens_evaluated,
                  totals[2] + c.prompt_tokens_evaluated]
        print(f"{number:4d}  {row['slot']:7s} {w.prompt_tokens:9d}  {w.prompt_tokens_evaluated:22d}"
              f"  {c.prompt_tokens_evaluated:15d}")
    print(f"first {args.after} steps after resume: {totals[1]} of {totals[0]} tokens evaluated "
          f"with saved state, {totals[2]} cold")
    warm.close()
    cold.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
