"""Prompt evaluation (prefill) tokens/s on the CPU over llama.cpp's batch size, micro-
batch size, thread count and flash attention, side by side: every setting is loaded
once, then each round evaluates the same recorded WARP prompt with each setting in turn
(interleaved, so a busy machine slows all of them alike). Prints best and median per
setting; engine.llm.prefill.CPU_PREFILL holds the winner.

    .venv/bin/python tests/benchmarks/bench_llm_prefill.py [--rounds 3] [--tokens 1500]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from engine.bundled import demo_llm_path
from engine.llm import open_backend

DATA = Path(__file__).parent / "data" / "warp_prompts.jsonl"
# (n_batch, n_ubatch, flash_attn)
SETTINGS = [(512, 512, False), (512, 512, True), (2048, 512, True), (2048, 2048, True),
            (256, 256, True), (128, 128, False), (1024, 256, False)]


def prompt_tokens(limit: int) -> list[int]:
    backend = open_backend("demo", n_ctx=4096, prompt_cache="off")
    longest = max((json.loads(line) for line in DATA.read_text().splitlines()),
                  key=lambda row: len(row["messages"][0]["content"]))
    tokens = backend.prompt_tokens(longest["messages"])[:limit]
    backend.close()
    return tokens


def main() -> int:
    import llama_cpp

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=1500)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    tokens = prompt_tokens(args.tokens)
    models = {}
    for threads in (int(t) for t in args.threads.split(",")):
        for n_batch, n_ubatch, fa in SETTINGS:
            models[(n_batch, n_ubatch, fa, threads)] = llama_cpp.Llama(
                model_path=str(demo_llm_path()), n_ctx=4096, n_batch=n_batch, n_ubatch=n_ubatch,
                flash_attn=fa, n_threads=threads, n_threads_batch=threads, verbose=False)
    print(f"demo model, prompt {len(tokens)} tokens, {args.rounds} interleaved rounds, load "
          f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    rates: dict[tuple, list[float]] = {key: [] for key in models}
    for _ in range(args.rounds):
        for key, llm in models.items():
            llm.reset()
            started = time.perf_counter()
            llm.eval(tokens)
            rates[key].append(len(tokens) / (time.perf_counter() - started))
    print("n_batch n_ubatch flash threads   best  median tok/s")
    for key, values in sorted(rates.items(), key=lambda kv: -statistics.median(kv[1])):
        n_batch, n_ubatch, fa, threads = key
        print(f"{n_batch:7d} {n_ubatch:8d} {'on' if fa else 'off':>5} {threads:7d} "
              f"{max(values):6.0f} {statistics.median(values):7.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
