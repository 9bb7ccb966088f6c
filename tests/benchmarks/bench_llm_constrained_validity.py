"""Constrained decoding acceptance: with the WARP reply grammar, how often does the demo
135M model produce a reply that parses for search, init-plan and extend-plan (the
latter's step allows extend-plan or nop)? Target >= 95% of 50 tries each.

The check is independent of the WARP validator: <thought>...</thought> then
<action>{json}</action>, the JSON valid against the action's schema (exact keys, counts),
strings non-blank, and the reply finished (not cut by max_tokens). Prompts are the
engine's built-in WARP templates (engine.warp.prompts) over a small fixed report.

    .venv/bin/python tests/benchmarks/bench_llm_constrained_validity.py [--tries 50]
"""
from __future__ import annotations

import argparse
import json
import re
import time

import jsonschema

from engine.llm import open_backend
from engine.llm.base import GenerationRequest, generate
from engine.llm.grammar import warp_reply_grammar
from engine.warp.actions import (EXTEND_PLAN, INIT_PLAN, INIT_PLAN_SCHEMA, SEARCH,
                                 SEARCH_SCHEMA, extend_plan_schema)
from engine.warp.prompts import builtin_templates
from engine.warp.templates import template_values

REPLY = re.compile(r"^\s*<thought>(.*?)</thought>\s*<action>(.*)</action>\s*$", re.S)
QUERY = "How did tidal power develop in Europe, and what limits it today?"
OUTLINE = ("# Title: Tidal power in Europe\n"
           "# Section-1 [Early barrages]: [OK] La Rance opened in 1966 and still runs.\n"
           "# Section-2 [Stream turbines]: [OK] MeyGen and other arrays since 2016.\n"
           "# Section-3 [Limits]: [PLAN] Costs, ecology and grid access.")
PASSAGES = "\n\n".join(f"bibkey:textid{i}\n{text}" for i, text in enumerate([
    "La Rance tidal power station in France has 240 MW capacity and opened in 1966.",
    "The MeyGen project in Scotland installed its first 6 MW of tidal stream turbines.",
    "Tidal range projects face high capital costs and environmental assessments.",
    "Grid connection in remote coastal sites limits tidal energy deployment."], 1))


def cases() -> dict[str, tuple[str, dict]]:
    templates = builtin_templates()

    def prompt(kind: str) -> str:
        return templates.render(kind, template_values(kind, query=QUERY, survey=OUTLINE,
                                                      cursor="section-3",
                                                      information=PASSAGES))
    return {
        "search": (prompt(SEARCH), SEARCH_SCHEMA),
        "init-plan": (prompt(INIT_PLAN), INIT_PLAN_SCHEMA),
        "extend-plan": (prompt(EXTEND_PLAN), extend_plan_schema()),
    }


def problem(text: str, finish: str, schema: dict) -> str | None:
    if finish != "stop":
        return f"finished by {finish}"
    match = REPLY.match(text)
    if not match:
        return "not <thought>..</thought><action>..</action>"
    try:
        action = json.loads(match.group(2))
        jsonschema.validate(action, schema)
    except (ValueError, jsonschema.ValidationError) as exc:
        return f"action: {str(exc).splitlines()[0][:100]}"
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(2))
    return "blank string" if any(not s.strip() for s in strings) else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--thought-chars", type=int, default=400)
    args = parser.parse_args()
    backend = open_backend("demo", n_ctx=4096)
    print(f"{backend.name}, {args.tries} tries each, temperature 0.7, top_p 0.8, "
          f"max_tokens 2048, thought <= {args.thought_chars} chars")
    for name, (prompt, schema) in cases().items():
        grammar = warp_reply_grammar(schema, max_thought_chars=args.thought_chars)
        ok, failures, tokens, started = 0, {}, 0, time.perf_counter()
        for seed in range(args.tries):
            result = generate(backend, GenerationRequest(
                messages=prompts.user_message(prompt), max_tokens=2048, grammar=grammar,
                seed=seed, cache_slot=name))
            tokens += result.completion_tokens
            why = problem(result.text, result.finish_reason, schema)
            ok += why is None
            if why:
                failures[why] = failures.get(why, 0) + 1
        print(f"{name:<12} valid {ok}/{args.tries} = {ok / args.tries:5.1%}   "
              f"mean {tokens / args.tries:5.0f} tokens   {time.perf_counter() - started:5.0f} s"
              + (f"   failures: {failures}" if failures else ""))
    backend.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
