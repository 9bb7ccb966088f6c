"""Prompt evaluation (prefill) tokens/s on the CPU over llama.cpp's batch size, micro-
batch size, thread count and flash attention, side by side: every setting is loaded
once, then each round evaluates the same recorded WARP prompt with each setting in turn
(interleaved, so a busy machine slows all of them alike). Prints best and median per
setting; engine.llm.prefill.CPU_PREFILL holds the winner. Each round also times the
engine itself (LlamaBackend with its defaults, through generate() with one reply token,
prompt cache off) per thread count, to set beside llama-cpp-python's direct best.

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
from engine.llm.base import GenerationRequest, generate

DATA = Path(__file__).parent / "data" / "warp_prompts.jsonl"
# (n_batch, n_ubatch, flash_attn)
SETTINGS = [(512, 512, False), (512, 512, True), (2048, 512, True), (2048, 2048, True),
            (256, 256, True), (256, 256, False), (128, 128, False), (1024, 256, False),
            (2048, 2048, False)]


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
    engines = {threads: open_backend("demo", n_ctx=4096, prompt_cache="off", n_threads=threads)
               for threads in {key[3] for key in models}}
    print(f"demo model, prompt {len(tokens)} tokens, {args.rounds} interleaved rounds, load "
          f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    rates: dict[tuple, list[float]] = {key: [] for key in [*models, *engines]}
    text = engines[min(engines)].detokenize(tokens)
    for _ in range(args.rounds):
        for key, llm in models.items():
            llm.reset()
            started = time.perf_counter()
            llm.eval(tokens)
            rates[key].append(len(tokens) / (time.perf_counter() - started))
        for threads, engine in engines.items():
            rates[threads].append(engine_rate(engine, text))
    report(rates, engines)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


def engine_rate(backend, text: str) -> float:
    """Prompt tokens/s of LlamaBackend itself (chat template around the same text)."""
    result = generate(backend, GenerationRequest(messages=[{"role": "user", "content": text}],
                                                 max_tokens=1, temperature=0.0, seed=1))
    return result.prompt_tokens_evaluated / max(result.prompt_seconds, 1e-9)


def report(rates: dict, engines: dict) -> None:
    direct = {k: v for k, v in rates.items() if isinstance(k, tuple)}
    print("n_batch n_ubatch flash threads   best  median tok/s  (llama-cpp-python direct)")
    for key, values in sorted(direct.items(), key=lambda kv: -statistics.median(kv[1])):
        n_batch, n_ubatch, fa, threads = key
        print(f"{n_batch:7d} {n_ubatch:8d} {'on' if fa else 'off':>5} {threads:7d} "
              f"{max(values):6.0f} {statistics.median(values):7.0f}")
    for threads, backend in engines.items():
        best = max(statistics.median(v) for k, v in direct.items() if k[3] == threads)
        mine = statistics.median(rates[threads])
        p = backend.placement
        print(f"engine default (n_batch {p.n_batch}, n_ubatch {p.n_ubatch}, flash "
              f"{'on' if p.flash_attn else 'off'}) {threads} thread(s): median {mine:.0f} "
              f"tok/s, {mine / best:.0%} of the direct best median {best:.0f}")


if __name__ == "__main__":
    raise SystemExit(main())
