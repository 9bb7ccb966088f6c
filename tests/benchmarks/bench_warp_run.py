"""A full tiny-model WARP run over the FreshWiki library: where the time goes and how much
prompt evaluation the prompt cache saves.

    .venv/bin/python tests/benchmarks/bench_warp_run.py [--steps 140] [--ctx 4096]
        [--cache slots|off|both] [--json-out FILE] [--deepen-all] [--off-steps N]

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


def run_once(steps: int, ctx: int, cache: str, seed: int,
             deepen_all: bool = False) -> tuple[dict, Path]:
    from engine.library import open_library
    from engine.llm import open_backend
    from engine.warp.edits import Deepen
    from engine.warp.events import Done, OutlineChanged, StepFinished, Warning
    from engine.warp.run import WarpRun
    from engine.warp.run_factory import create_project
    from engine.warp.state import RunSettings
    from engine.warp.step_prompt import extend_positions

    path = Path(tempfile.mkdtemp()) / f"bench-{cache}.ddproj"
    store = create_project(path, QUESTION, library="freshwiki", ctx=ctx,
                           run=RunSettings(max_steps=steps, seed=seed))
    backend = open_backend("demo", n_ctx=ctx, prompt_cache=cache)
    run = WarpRun(store, backend, open_library("freshwiki"))
    started, overflow, shrunk, peak = time.perf_counter(), 0, 0, 0
    asked: set[str] = set()
    for event in run.events():
        if deepen_all and isinstance(event, OutlineChanged) and event.cursor is None \
                and event.outline.get("sections"):
            # A co-editing user who, each time the draft is complete, asks the agent to
            # deepen every section that can still take subsections.
            for position in extend_positions(run.outline):
                node_id = run.outline.node_at(position).node_id
                if node_id not in asked:
                    asked.add(node_id)
                    run.submit(Deepen(node_id))
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
    run.close()   # the model and the library
    store.close()
    return stats, path


def first_steps(project: Path, n: int) -> dict:
    """The cached run's figures over its first n steps (to set beside a shorter run)."""
    from engine.project.project_store import ProjectStore

    store = ProjectStore.open(project)
    steps = [s for s in store.steps() if s["step"] <= n]
    store.close()
    return {"steps": len(steps), "model": round(sum(s["model_seconds"] for s in steps), 2),
            "submitted": sum(s["prompt_tokens"] for s in steps),
            "evaluated": sum(s["prompt_tokens_evaluated"] for s in steps)}


def dump_prompts(project: Path, out: Path) -> None:
    from engine.project.project_store import ProjectStore

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
    parser.add_argument("--deepen-all", action="store_true",
                        help="act as a user who asks to deepen every section each time the "
                             "draft is complete (long runs even when the model says nop)")
    parser.add_argument("--off-steps", type=int,
                        help="step limit for the cache-off run (its figures are compared "
                             "with the same first steps of the cached run)")
    args = parser.parse_args()
    os.environ.setdefault("DEEPDRAFT_HOME", "/tmp/deepdraft-bench")
    sys.path.insert(0, str(REPO))
    ensure_library("freshwiki")
    results = {}
    projects = {}
    for cache in (("slots", "off") if args.cache == "both" else (args.cache,)):
        limit = args.off_steps if cache == "off" and args.off_steps else args.steps
        stats, project = run_once(limit, args.ctx, cache, args.seed, args.deepen_all)
        results[cache], projects[cache] = stats, project
        if cache == "off" and "slots" in projects and stats["steps"] < results["slots"]["steps"]:
            results["slots_first_steps"] = first_steps(projects["slots"], stats["steps"])
        if args.json_out:  # written after each mode so a long run leaves its figures early
            args.json_out.write_text(json.dumps(results, indent=2))
        if cache == "slots":
            dump_prompts(project, REPO / "tests" / "benchmarks" / "data" / "warp_prompts.jsonl")
    print(json.dumps(results, indent=2))
    for cache, s in results.items():
        if cache == "slots_first_steps":
            print(f"[slots, first {s['steps']} steps] model {s['model']:.1f}s, prompt tokens "
                  f"evaluated/submitted {s['evaluated']}/{s['submitted']}")
            continue
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
