"""A full tiny-model WARP run over the FreshWiki library: where the time goes and how much
prompt evaluation the prompt cache saves.

    .venv/bin/python tests/benchmarks/bench_warp_run.py [--steps 140] [--ctx 4096]
        [--cache slots|off|both] [--json-out FILE]

Ingests ../shared/corpus/freshwiki/txt once into $DEEPDRAFT_HOME (default
/tmp/deepdraft-bench), then runs the same question twice with the same seed: prompt cache
per action type ("slots") and no reuse ("off"). Prints the run statistics next to the
paper's averages, and writes the run's prompt sequence to
tests/benchmarks/data/warp_prompts.jsonl for bench_llm_prompt_cache.py.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FRESHWIKI = REPO.parent / "shared" / "corpus" / "freshwiki" / "txt"
QUESTION = "What happened in the 2022 Crimean Bridge explosion, and what followed it?"


def ensure_library(name: str) -> None:
    from engine.library import open_library

    library = open_library(name)
    started = time.perf_counter()
    for _ in library.ingest([FRESHWIKI]):
        pass
    print(f"library ready ({time.perf_counter() - started:.1f}s incl. any ingest)")


def run_once(steps: int, ctx: int, cache: str, seed: int) -> tuple[dict, Path]:
    from engine.library import open_library
    from engine.llm import open_backend
    from engine.warp.events import Done, StepFinished, Warning
    from engine.warp.run import WarpRun
    from engine.warp.session import create_project
    from engine.warp.state import RunSettings

    path = Path(tempfile.mkdtemp()) / f"bench-{cache}.ddproj"
    store = create_project(path, QUESTION, library="freshwiki", ctx=ctx,
                           run=RunSettings(max_steps=steps, seed=seed))
    backend = open_backend("demo", n_ctx=ctx, prompt_cache=cache)
    run = WarpRun(store, backend, open_library("freshwiki"))
    started, overflow, shrunk, peak = time.perf_counter(), 0, 0, 0
    for event in run.events():
        if isinstance(event, StepFinished):
            # An overflow is a step whose prompt plus reply did not fit the window.
            used = event.prompt_tokens + event.completion_tokens
            peak = max(peak, used)
            overflow += used > ctx
        if isinstance(event, Warning) and "prompt shrunk" in event.message:
            shrunk += 1
        if isinstance(event, Done):
            stats = event.stats
            stats["stop_reason"] = event.reason
    stats["wall_clock_seconds"] = round(time.perf_counter() - started, 2)
    stats["overflows"] = overflow
    stats["steps_with_shrunk_prompt"] = shrunk
    stats["peak_context_tokens"] = peak
    backend.close()
    return stats, path


def dump_prompts(project: Path, out: Path) -> None:
    from engine.project.store import ProjectStore

    store = ProjectStore.open(project)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for step in store.steps():
            handle.write(json.dumps({"slot": step["kind"], "messages": [
                {"role": "user", "content": step["prompt"]}]}) + "\n")
    print(f"wrote {out}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=140)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cache", choices=("slots", "off", "both"), default="both")
    parser.add_argument("--json-out", type=Path, help="also write the results here")
    args = parser.parse_args()
    os.environ.setdefault("DEEPDRAFT_HOME", "/tmp/deepdraft-bench")
    sys.path.insert(0, str(REPO))
    ensure_library("freshwiki")
    results = {}
    for cache in (("slots", "off") if args.cache == "both" else (args.cache,)):
        stats, project = run_once(args.steps, args.ctx, cache, args.seed)
        results[cache] = stats
        if args.json_out:  # written after each mode so a long run leaves its figures early
            args.json_out.write_text(json.dumps(results, indent=2))
        if cache == "slots":
            dump_prompts(project, REPO / "tests" / "benchmarks" / "data" / "warp_prompts.jsonl")
    print(json.dumps(results, indent=2))
    for cache, s in results.items():
        secs = s["seconds"]
        print(f"[{cache}] steps {s['steps']} writes {s['writes']} expansions {s['expansions']} "
              f"retries {s['retries']} | wall {secs['wall']:.1f}s = model {secs['model']:.1f} + "
              f"retrieval {secs['retrieval']:.2f} + engine {secs['engine']:.2f} "
              f"(engine {s['engine_share']:.1%}) | prompt tokens evaluated/submitted "
              f"{s['prompt_tokens_evaluated']}/{s['prompt_tokens_submitted']} | "
              f"overflows {s['overflows']} (peak {s['peak_context_tokens']}/{args.ctx} tokens, "
              f"{s['steps_with_shrunk_prompt']} steps shrunk) | stop: {s['stop_reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
