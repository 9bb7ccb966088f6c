"""bench_llm_throughput.py --prompt-lookup: plain vs prompt-lookup decoding, side by side.

One backend; for each recorded write prompt and round, plain decoding then lookup
decoding on the same loaded model, so a busy machine slows both alike. Decode tokens/s
is tokens after the first over the time after the first (prefill excluded), best round
per prompt. Why texts can differ: the logits of one multi-token llama_decode are set
beside those of one-token calls at the same positions (printed first).
"""
from __future__ import annotations

import json
import os
import re
import statistics
from pathlib import Path

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, generate
from engine.llm.lookup_decode import PromptLookup
from engine.llm.grammar import write_reply

DATA = Path(__file__).parent / "data" / "warp_prompts.jsonl"
PATHS = ("constrained", "free")   # the demo model's write path; a large model's


def write_requests(count: int, tokens: int, path: str, temperature: float) -> list:
    rows = [json.loads(line) for line in DATA.read_text().splitlines()]
    writes = [row for row in rows if row["slot"] == "write"][:count]
    requests = []
    for row in writes:
        keys = re.findall(r"bibkey:(\S+)", row["messages"][0]["content"])
        reply = write_reply(keys) if path == "constrained" else None
        requests.append(GenerationRequest(messages=row["messages"], max_tokens=tokens,
                                          temperature=temperature, seed=7, reply=reply))
    return requests


def timed(backend, request, lookup: PromptLookup | None):
    backend.lookup = lookup
    before = (lookup.stats.drafted, lookup.stats.accepted) if lookup else (0, 0)
    result = generate(backend, request)
    rate = max(0, result.completion_tokens - 1) / max(result.decode_seconds, 1e-9)
    drafted = lookup.stats.drafted - before[0] if lookup else 0
    accepted = lookup.stats.accepted - before[1] if lookup else 0
    return result, rate, drafted, accepted


def compare_path(backend, path: str, prompts: int, rounds: int, tokens: int) -> None:
    lookup, sampling = PromptLookup(), PromptLookup()
    plain_rates, lookup_rates, same, drafted, accepted, ratios = [], [], 0, 0, 0, []
    greedy = write_requests(prompts, tokens, path, 0.0)
    for request in greedy:
        best = {"plain": (0.0, None), "lookup": (0.0, None)}
        for _ in range(rounds):
            for name, mode in (("plain", None), ("lookup", lookup)):
                result, rate, d, a = timed(backend, request, mode)
                drafted, accepted = drafted + d, accepted + a
                if rate > best[name][0]:
                    best[name] = (rate, result)
        plain_rates.append(best["plain"][0])
        lookup_rates.append(best["lookup"][0])
        ratios.append(best["lookup"][0] / max(best["plain"][0], 1e-9))
        same += best["plain"][1].text == best["lookup"][1].text
    sampled = [(timed(backend, r, None), timed(backend, r, sampling))
               for r in write_requests(prompts, tokens, path, 0.7)]
    sampled_same = sum(p[0].text == f[0].text for p, f in sampled)
    print(f"{path:<11} greedy: plain {statistics.mean(plain_rates):6.1f} tok/s   lookup "
          f"{statistics.mean(lookup_rates):6.1f} tok/s   speedup median "
          f"{statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f})"
          f"   acceptance {accepted / max(drafted, 1):.1%} of {drafted} guessed, "
          f"{(lookup.stats.rounds + lookup.stats.accepted) / max(lookup.stats.rounds, 1):.2f} "
          f"tokens per llama_decode   identical greedy {same}/{len(greedy)}")
    print(f"{'':<11} sampled (T 0.7, one round): plain "
          f"{statistics.mean(p[1] for p, _ in sampled):6.1f} tok/s   lookup "
          f"{statistics.mean(f[1] for _, f in sampled):6.1f} tok/s   acceptance "
          f"{sampling.stats.acceptance:.1%}   identical {sampled_same}/{len(sampled)}")


def batch_drift(backend, request, positions: int = 8) -> tuple[float, float]:
    """(max, mean) |logit difference| between one-token llama_decode calls and one call
    with `positions` tokens, at the same positions after the same prefix: llama.cpp's CPU
    kernels compute a one-token batch (matrix-vector) differently from a larger one."""
    import numpy as np

    llm, vocab = backend.llm, backend.llm.n_vocab()
    tokens = backend.prompt_tokens(request.messages)[:600]
    prefix, tail = tokens[:-positions], tokens[-positions:]

    def logits(i):
        return np.ctypeslib.as_array(llm._ctx.get_logits_ith(i), shape=(vocab,)).copy()

    def run(batches):
        llm.reset()
        llm.eval(prefix)
        out = []
        for batch in batches:
            llm._batch.set_batch(batch=batch, n_past=llm.n_tokens, logits_all=True)
            llm._ctx.decode(llm._batch)
            llm.n_tokens += len(batch)
            out += [logits(i) for i in range(len(batch))]
        return np.array(out)

    drift = np.abs(run([[t] for t in tail]) - run([tail]))
    llm.reset()
    return float(drift.max()), float(drift.mean())


def compare(model: str, prompts: int, rounds: int, tokens: int, paths=PATHS) -> int:
    # "last": the same prompt again reuses its KV; prefill is not what is timed here
    backend = open_backend(model, n_ctx=4096, prompt_cache="last", prompt_lookup=False)
    settings = PromptLookup().settings
    print(f"model {backend.name}, threads {backend.n_threads}, {prompts} recorded write "
          f"prompts, up to {tokens} tokens, best of {rounds} interleaved rounds, ngram "
          f"{settings.min_ngram}-{settings.max_ngram}, up to {settings.max_draft} guessed; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    top, mean = batch_drift(backend, write_requests(1, tokens, "free", 0.0)[0])
    print(f"logits of one 8-token llama_decode vs 8 one-token calls: max |difference| "
          f"{top:.3f}, mean {mean:.4f} (greedy texts part where the top two are closer)")
    for path in paths:
        compare_path(backend, path, prompts, rounds, tokens)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    backend.close()
    return 0
