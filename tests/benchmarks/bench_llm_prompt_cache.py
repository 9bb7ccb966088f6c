"""Prompt-cache reuse over a WARP prompt sequence: tokens evaluated / submitted with the
cache off, llama.cpp's own last-prompt reuse, and per-slot reuse. Target: slots <= half
of last.

Reads tests/benchmarks/data/warp_prompts.jsonl ({"slot": ..., "messages": [...]} per
line; bench_warp_run.py records one) when present, else a synthetic sequence shaped like
WARP: search and write alternate, each prompt extends the outline or summary its slot
saw last time (1-3k tokens shared), then differs in its tail (cursor, passages).

    .venv/bin/python tests/benchmarks/bench_llm_prompt_cache.py [--steps 12] [--synthetic]
        [--modes off,last,slots,policy|none]   (policy: the slots policy on tokens only)
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, generate
from engine.llm.prompt_cache import Saved

DATA = Path(__file__).parent / "data" / "warp_prompts.jsonl"
QUERY = "** User Query **\nHow did tidal power develop in Europe, and what limits it today?\n"


def _section(n: int) -> str:
    return (f"# Section-{n} [Topic {n}]: [OK] Tidal barrages and stream turbines in region "
            f"{n} changed output by {n * 7} percent after the {1960 + n} reforms, with costs "
            f"falling as grid links and storage matured across the decade. ")


def synthetic(steps: int) -> list[dict]:
    """search/write pairs; the outline grows by two sections per pair (~2.8k tokens at
    the end with the demo tokenizer)."""
    prompts = []
    for step in range(steps // 2):
        outline = "".join(_section(n) for n in range(1, 8 + 2 * step))
        search = (f"{QUERY}** Current Article Outline **\n{outline}\n** Analyst's Instruction **"
                  f"\nYou need to update section-{8 + 2 * step}\nGive keywords as JSON.")
        passages = "".join(f"bibkey:textid{step * 10 + k}\nPassage {k} about turbines at "
                           f"site {step}-{k}, rated {k * 3} MW.\n\n" for k in range(10))
        write = (f"{QUERY}** Current Article Summary **\n{outline}\n** Analyzer's Instruction "
                 f"**\nYou need to update section-{8 + 2 * step}\n** Retrieved Information **"
                 f"\n{passages}")
        prompts += [{"slot": "search", "messages": [{"role": "user", "content": search}]},
                    {"slot": "write", "messages": [{"role": "user", "content": write}]}]
    return prompts


def run(prompts: list[dict], mode: str, ctx: int) -> tuple[int, int, float]:
    backend = open_backend("demo", n_ctx=ctx, prompt_cache=mode)
    submitted = evaluated = 0
    started = time.perf_counter()
    for item in prompts:
        result = generate(backend, GenerationRequest(messages=item["messages"], max_tokens=4,
                                                     temperature=0.0, seed=1,
                                                     cache_slot=item["slot"]))
        submitted += result.prompt_tokens
        evaluated += result.prompt_tokens_evaluated
    backend.close()
    return submitted, evaluated, time.perf_counter() - started


def slot_policy(prompts: list[dict], ctx: int, depth: int | None = None) -> tuple[int, int]:
    """(submitted, evaluated) of the slots policy replayed on tokens alone: the engine's
    SlotCache choosing between the live context and each slot's saved prompt (the few
    reply tokens a real run also keeps are left out, and nothing is evicted: the demo
    model's slots stay far below the byte cap). Fast enough for the whole sequence on a
    loaded machine; the `slots` mode runs the model for real."""
    from engine.llm.prompt_cache import SlotCache, common_prefix

    backend = open_backend("demo", n_ctx=ctx, prompt_cache="off")
    cache, live = SlotCache(1 << 62, **({"depth": depth} if depth else {})), ()
    submitted = evaluated = 0
    for item in prompts:
        tokens = backend.prompt_tokens(item["messages"])
        slot, shared = cache.best(tokens, live)
        shared = common_prefix(live, tokens) if slot is None else shared
        submitted += len(tokens)
        evaluated += len(tokens) - min(shared, len(tokens) - 1)
        live = tuple(tokens)
        cache.put(item["slot"], Saved(live, None, len(live)))
    backend.close()
    return submitted, evaluated


def exact_prefix_floor(prompts: list[dict], ctx: int) -> tuple[int, int]:
    """(submitted, evaluated) for an ideal exact-prefix cache that kept every earlier
    prompt: each prompt evaluates only what follows its longest shared prefix with any
    earlier one. No KV cache that reuses exact prefixes can evaluate less."""
    from engine.llm.prompt_cache import floor_reuse

    backend = open_backend("demo", n_ctx=ctx, prompt_cache="off")
    seen: list[list[int]] = []
    submitted = evaluated = 0
    for item in prompts:
        tokens = backend.prompt_tokens(item["messages"])
        submitted += len(tokens)
        evaluated += len(tokens) - floor_reuse(tokens, seen)
        seen.append(tokens)
    backend.close()
    return submitted, evaluated


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--modes", default="off,last,slots",
                        help="cache modes to run through the model (comma-separated; "
                             "'none' computes only the ideal floor, which needs no model run)")
    args = parser.parse_args()
    real = DATA.is_file() and not args.synthetic
    if real:
        prompts = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()
                   if line.strip()][: args.steps]
    else:
        prompts = synthetic(args.steps)
    print(f"{len(prompts)} prompts ({'recorded ' + str(DATA) if real else 'synthetic'}), "
          f"slots {sorted({p['slot'] for p in prompts})}")
    modes = [m for m in args.modes.split(",") if m and m != "none"]
    results = {mode: run(prompts, mode, args.ctx) for mode in modes if mode != "policy"}
    if "policy" in modes:
        results["policy"] = (*slot_policy(prompts, args.ctx), 0.0)
    for mode, (submitted, evaluated, seconds) in results.items():
        print(f"{mode:<6} evaluated/submitted {evaluated:>6}/{submitted:<6} = "
              f"{evaluated / submitted:6.1%}   wall {seconds:6.1f} s")
    floor_submitted, floor_evaluated = exact_prefix_floor(prompts, args.ctx)
    print(f"ideal  evaluated/submitted {floor_evaluated:>6}/{floor_submitted:<6} = "
          f"{floor_evaluated / floor_submitted:6.1%}   (any earlier prompt's prefix, no model run)")
    if "slots" in results and "last" in results:
        ratio = results["slots"][1] / max(1, results["last"][1])
        print(f"slots evaluate {ratio:.1%} of what last does (target <= 50%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
