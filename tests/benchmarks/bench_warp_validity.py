"""How often the demo model's replies pass the WARP validator on the engine's own path
(two-pass generation: token-bounded thought, then the action under its grammar), and
how often they are on topic (use a word of the question rather than a copied
placeholder such as "keyword" or "...").

    .venv/bin/python tests/benchmarks/bench_warp_validity.py [--tries 50]

Builds real prompts with engine.warp.step_prompt over a small outline and passages,
generates with the bundled SmolLM2-135M, parses and validates with engine.warp.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engine.library.types import Passage  # noqa: E402
from engine.llm import open_backend  # noqa: E402
from engine.llm.base import GenerationRequest, generate  # noqa: E402
from engine.report.outline import Node, Outline  # noqa: E402
from engine.warp.actions import EXTEND_PLAN, INIT_PLAN, NOP, SEARCH, WRITE  # noqa: E402
from engine.warp.parse import InvalidReply, parse_reply  # noqa: E402
from engine.warp.prompts import builtin_templates, user_message  # noqa: E402
from engine.warp.render import Abbreviator  # noqa: E402
from engine.warp.step_prompt import build_step_prompt  # noqa: E402
from engine.warp.validate import ValidationContext, validate  # noqa: E402

QUERY = "What happened in the 2022 Crimean Bridge explosion, and what followed it?"
TEXTS = ["On 8 October 2022 a truck bomb exploded on the Crimean Bridge, collapsing two road spans.",
         "Russia blamed Ukraine's security service; Ukraine later acknowledged involvement.",
         "Rail traffic resumed within hours while road repairs took months."]


def cases():
    passages = [(f"textid{i}", Passage(chunk_id=str(i), text=t, doc_id="d", path="/wiki.txt",
                                       title="Crimean Bridge explosion"))
                for i, t in enumerate(TEXTS, start=1)]
    outline = Outline(title="The Crimean Bridge explosion", sections=[
        Node("Background", plan="The bridge and its role.", content=TEXTS[0]),
        Node("The explosion", plan="What happened on 8 October.", content=TEXTS[0]),
        Node("Aftermath", plan="Repairs and responses.", content=TEXTS[2])])
    yield SEARCH, Outline(), "outline", []
    yield INIT_PLAN, Outline(), "outline", passages
    yield EXTEND_PLAN, outline, None, []
    half = Outline(title=outline.title, sections=[
        Node("Background", plan="The bridge and its role.", content=TEXTS[0]),
        Node("The explosion", plan="What happened on 8 October."),
        Node("Aftermath", plan="Repairs and responses.")])
    yield WRITE, half, "section-2", passages


def on_topic(action) -> bool:
    """The reply uses a word of the question (4+ letters), not a copied placeholder."""
    words = {w for w in QUERY.lower().replace("?", " ").replace(",", " ").split() if len(w) > 3}
    text = " ".join(getattr(action, "keywords", []) or [getattr(action, "title", "")]
                    + [i.title for i in getattr(action, "sections", [])]
                    + [i.title for i in getattr(action, "subsections", [])]
                    + [getattr(action, "text", "")]).lower()
    return any(w in text for w in words)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--only", choices=(SEARCH, INIT_PLAN, EXTEND_PLAN, WRITE))
    args = parser.parse_args()
    backend = open_backend("demo", n_ctx=4096)
    abbreviate = Abbreviator(backend.tokenize, backend.detokenize)
    templates = builtin_templates()
    for kind, outline, cursor, passages in cases():
        if args.only and kind != args.only:
            continue
        allowed = (EXTEND_PLAN, NOP) if kind == EXTEND_PLAN else (kind,)
        ok, topical, started, reasons = 0, 0, time.perf_counter(), {}
        for attempt in range(args.tries):
            prompt = build_step_prompt(kind, query=QUERY, outline=outline, cursor=cursor,
                                       passages=passages, backend=backend,
                                       abbreviate=abbreviate, max_tokens=2048, constrained=True,
                                       templates=templates)
            result = generate(backend, GenerationRequest(
                messages=user_message(prompt.text), max_tokens=prompt.reply_budget,
                reply=prompt.reply, cache_slot=kind, seed=1000 + attempt))
            try:
                _, action = parse_reply(result.text, allowed)
                problems = validate(action, ValidationContext(
                    outline=outline, shown_keys={k for k, _ in prompt.shown}))
                topical += on_topic(action)
            except InvalidReply as exc:
                problems = [str(exc)]
            if result.finish_reason == "length":
                problems.append("cut off")
            ok += not problems
            for problem in problems:
                reasons[problem[:60]] = reasons.get(problem[:60], 0) + 1
        seconds = time.perf_counter() - started
        print(f"{kind:12} valid {ok}/{args.tries} ({ok / args.tries:.0%}), on topic "
              f"{topical}/{args.tries}, in {seconds:.0f}s; problems: {reasons or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
