"""Prefill and decode tokens/s through LlamaBackend versus llama-cpp-python directly
(same model, prompt, threads, context, greedy sampling), and the cost of grammar-
constrained decoding versus free decoding. Target: backend >= 95% of direct.

With --prompt-lookup instead: decode tokens/s of plain decoding and prompt-lookup
decoding (engine.llm.lookup_decode) side by side on the recorded write prompts, both as
the demo model writes (two passes, the write body under its grammar) and free (as a
large model writes), greedy; acceptance of the guessed tokens; how many greedy and
sampled (temperature 0.7, same seed) outputs are identical to plain decoding.

    .venv/bin/python tests/benchmarks/bench_llm_throughput.py [--model demo] [--rounds 5]
    .venv/bin/python tests/benchmarks/bench_llm_throughput.py --prompt-lookup [--prompts 6]
        [--rounds 2] [--tokens 256] [--paths constrained,free]
"""
from __future__ import annotations

import argparse
import statistics
import time

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, generate
from engine.llm.grammar import json_reply
from engine.warp.actions import SEARCH_SCHEMA

PROMPT = [{"role": "user", "content": "Summarise the history of tidal power. " * 40}]
DECODE_TOKENS = 96


def direct(backend, tokens: list[int]) -> tuple[float, float]:
    """(prefill s, decode s) with Llama.eval / Llama.generate and nothing around them."""
    llm = backend.llm
    llm.reset()
    started = time.perf_counter()
    llm.eval(tokens)
    prefill = time.perf_counter() - started
    llm.reset()
    started, first, count = time.perf_counter(), None, 0
    for token in llm.generate(tokens, top_k=40, top_p=0.8, min_p=0.05, temp=0.0):
        first = first or time.perf_counter()
        count += 1
        if count > DECODE_TOKENS:
            break
    return prefill, time.perf_counter() - first


def through_backend(backend, reply=None):
    result = generate(backend, GenerationRequest(messages=PROMPT, max_tokens=DECODE_TOKENS + 1,
                                                 temperature=0.0, seed=1, reply=reply))
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="demo")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--prompt-lookup", action="store_true")
    parser.add_argument("--prompts", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--paths", default="constrained,free",
                        help="--prompt-lookup: the demo model's write path, a large model's")
    args = parser.parse_args()
    if args.prompt_lookup:
        from llm_lookup_compare import compare

        return compare(args.model, args.prompts, args.rounds, args.tokens,
                       args.paths.split(","))
    backend = open_backend(args.model, n_ctx=2048, prompt_cache="off")
    tokens = backend.prompt_tokens(PROMPT)
    print(f"model {backend.name}, threads {backend.n_threads}, prompt {len(tokens)} tokens, "
          f"decode {DECODE_TOKENS} tokens, best of {args.rounds} interleaved rounds")
    rows = {"direct": [], "backend": []}
    for _ in range(args.rounds):
        prefill, decode = direct(backend, tokens)
        rows["direct"].append((len(tokens) / prefill, DECODE_TOKENS / decode))
        result = through_backend(backend)
        rows["backend"].append((result.prompt_tokens_evaluated / result.prompt_seconds,
                                (result.completion_tokens - 1) / result.decode_seconds))
    best = {k: (max(r[0] for r in v), max(r[1] for r in v)) for k, v in rows.items()}
    for name, (pre, dec) in best.items():
        print(f"{name:<8} prefill {pre:8.1f} tok/s   decode {dec:7.1f} tok/s")
    print(f"backend/direct: prefill {best['backend'][0] / best['direct'][0]:.1%}, "
          f"decode {best['backend'][1] / best['direct'][1]:.1%}")
    grammar_cost(backend, args.rounds)
    backend.close()
    return 0


def grammar_cost(backend, rounds: int) -> None:
    """Decode speed with the search reply format the engine uses (two passes, action
    grammar) vs free decoding (per token, same request)."""
    reply = json_reply(SEARCH_SCHEMA)
    free, constrained = [], []
    for _ in range(rounds):
        for sink, fmt in ((free, None), (constrained, reply)):
            r = through_backend(backend, fmt)
            sink.append(max(1, r.completion_tokens - 1) / max(r.decode_seconds, 1e-9))
    f, c = statistics.median(free), statistics.median(constrained)
    print(f"grammar: free {f:.1f} tok/s, constrained (search) {c:.1f} tok/s, "
          f"cost {1 - c / f:.1%} per token")


if __name__ == "__main__":
    raise SystemExit(main())
