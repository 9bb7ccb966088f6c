"""The model work of one AgentCPM-Report run, in tokens: the steps a full report takes
and, per step, the prompt tokens llama.cpp evaluates and the tokens it generates. What
engine.llm.cpu_estimate multiplies by measured speeds to say how long a report takes.

Steps (docs/warp-protocol.md, the published model's averages): a search and an
init-plan, a search and a write per level-1 section, then deepening: 12 extend attempts,
of which about 8.6 add subsections (about 33 of them: 39.5 writes in all); each new
subsection is a search and a write. Here: 7 level-1 sections, 8 extensions of 4
subsections and 4 attempts answered with nop: 39 writes, 92 steps.

Prompt sizes follow the protocol's renderings: init-plan shows 20 passages, a write 10;
search and write prompts show the outline with written sections abbreviated (about 155
tokens each: the first 100 tokens, ` ... `, the last 50); the extend-plan shows the whole
report. The bases match the prompts the engine built in the recorded demo runs
(tests/data/timings: init-plan 3,373-3,443 tokens, first writes 1,589-1,974, searches
268-388). Replies: a thought plus the action.
"""
from __future__ import annotations

from dataclasses import dataclass

LEVEL1, EXTENSIONS, SUBSECTIONS, EXTEND_ATTEMPTS = 7, 8, 4, 12
PASSAGE = 140            # tokens of a shown passage: ~512 characters and its key line
TEMPLATE = 600           # the prompt's instructions, query and headers
ABBREVIATED = 155        # a written section in an abbreviated outline
SECTION = 450            # a written section's text in full (the extend-plan's report)
REPLY = {"search": 100, "init-plan": 400, "write": 600, "extend-plan": 300}


@dataclass(frozen=True)
class StepTokens:
    kind: str
    prompt: int          # tokens evaluated before the reply
    reply: int           # tokens generated


def step_tokens(kind: str, written: int) -> StepTokens:
    """One step's tokens when `written` sections are already written."""
    prompt = {"search": TEMPLATE + ABBREVIATED * written,
              "init-plan": TEMPLATE + 20 * PASSAGE,
              "write": TEMPLATE + 10 * PASSAGE + ABBREVIATED * written,
              "extend-plan": TEMPLATE + SECTION * written}[kind]
    return StepTokens(kind, prompt, REPLY[kind])


def full_report_steps() -> list[StepTokens]:
    """Every step of a full report, in the order the run takes them."""
    steps = [step_tokens("search", 0), step_tokens("init-plan", 0)]
    written = 0

    def section() -> None:
        nonlocal written
        steps.extend([step_tokens("search", written), step_tokens("write", written)])
        written += 1

    for _ in range(LEVEL1):
        section()
    for attempt in range(EXTEND_ATTEMPTS):
        steps.append(step_tokens("extend-plan", written))
        if attempt < EXTENSIONS:
            for _ in range(SUBSECTIONS):
                section()
    return steps


def run_steps(step_limit: int | None = None) -> list[StepTokens]:
    """The steps a run takes: a full report, cut at the step limit."""
    steps = full_report_steps()
    return steps if step_limit is None else steps[:max(step_limit, 0)]
