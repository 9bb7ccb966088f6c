"""bench_llm_throughput.py --prompt-lookup: plain vs prompt-lookup decoding, side by side.

One backend; for each recorded write prompt and round, plain decoding then lookup
decoding on the same loaded model, so a busy machine slows both alike. Decode tokens/s
is tokens after the first over the time after the first (prefill excluded), best round
per prompt. Where a greedy text differs, the first differing token is located and the
gap between the model's two best logits there is printed: a near-tie that batched
arithmetic (several tokens per llama_decode) rounds the other way.
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
from engine.warp.grammars import write_reply

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
    lookup = PromptLookup()
    plain_rates, lookup_rates, same, drafted, accepted, ratios = [], [], 0, 0, 0, []
    gaps: list[float] = []
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
        if best["plain"][1].text != best["lookup"][1].text:
            gaps.append(tie_gap(backend, request, best["plain"][1].text,
                                best["lookup"][1].text))
    sampled_same = sum(
        timed(backend, r, None)[0].text == timed(backend, r, PromptLookup())[0].text
        for r in write_requests(prompts, tokens, path, 0.7))
    print(f"{path:<11} plain {statistics.mean(plain_rates):6.1f} tok/s   lookup "
          f"{statistics.mean(lookup_rates):6.1f} tok/s   speedup median "
          f"{statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f})"
          f"   acceptance {accepted / max(drafted, 1):.1%} of {drafted} guessed, "
          f"{(lookup.stats.rounds + lookup.stats.accepted) / max(lookup.stats.rounds, 1):.2f} "
          f"tokens per llama_decode"
          f"   identical greedy {same}/{len(greedy)}, sampled {sampled_same}/{len(greedy)}")
    if gaps:
        print(f"{'':<11} differing greedy texts part where the top-2 logits are "
              f"{', '.join(f'{g:.3f}' for g in gaps)} apart")


def tie_gap(backend, request, plain: str, fast: str) -> float:
    """Top-1 minus top-2 logit where the two texts' tokens first differ (the shared text
    re-evaluated after the prompt, one llama_decode)."""
    import numpy as np

    shared = plain[:next(i for i, (a, b) in enumerate(zip(plain + "\0", fast + "\0"))
                         if a != b)]
    tokens = backend.prompt_tokens(request.messages) + backend.tokenize(shared)
    tokens = tokens[:-1] if shared and len(backend.tokenize(shared)) > 1 else tokens
    llm = backend.llm
    llm.reset()
    llm.eval(tokens)
    logits = np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(llm.n_vocab(),))
    top = np.sort(logits)[-2:]
    llm.reset()
    return float(top[1] - top[0])


def compare(model: str, prompts: int, rounds: int, tokens: int, paths=PATHS) -> int:
    # "last": the same prompt again reuses its KV; prefill is not what is timed here
    backend = open_backend(model, n_ctx=4096, prompt_cache="last", prompt_lookup=False)
    settings = PromptLookup().settings
    print(f"model {backend.name}, threads {backend.n_threads}, {prompts} recorded write "
          f"prompts, up to {tokens} tokens, best of {rounds} interleaved rounds, ngram "
          f"{settings.min_ngram}-{settings.max_ngram}, up to {settings.max_draft} guessed; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for path in paths:
        compare_path(backend, path, prompts, rounds, tokens)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    backend.close()
    return 0
