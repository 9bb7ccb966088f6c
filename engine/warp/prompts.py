"""Prompts: our own wording around the protocol's exact interface.

Each prompt is one user message. Inputs sit under the protocol's bold headers; the
instruction string is exactly `You need to update {cursor}`; action formats and the
output format follow. Constant text comes first (with the query) so consecutive
prompts of one action type share a long prefix for the prompt cache.
"""
from __future__ import annotations

from engine.library.types import Passage
from engine.warp.untrusted import defang

INTRO = ("You are a research analyst writing a report, section by section, from the "
         "documents in the user's private library. Base every claim on the retrieved "
         "information.\n\n")
OUTPUT_FORMAT = ("Output format: first your reasoning inside <thought> </thought>, then the "
                 "action inside <action> </action>.")


def header(name: str, body: str) -> str:
    return f"** {name} **\n{body}\n\n"


def passages_block(keyed: list[tuple[str, Passage]], char_limit: int | None = None) -> str:
    if not keyed:
        return "No passages were found."
    parts = []
    for key, passage in keyed:
        text = " ".join(defang(passage.text).split())
        if char_limit is not None and len(text) > char_limit:
            text = text[:char_limit].rstrip() + " ..."
        parts.append(f"bibkey:{key}\n{text}")
    return "\n\n".join(parts)


def search_prompt(query: str, outline_text: str, cursor: str) -> str:
    return (INTRO + header("User Query", query)
            + header("Current Article Outline", outline_text)
            + header("Analyst's Instruction", f"You need to update {cursor}")
            + "Available action: search. Write a few short search queries in plain words "
              "(names, events, topics) that find evidence for the part of the report named "
              "in the instruction; for the outline, evidence about the whole question.\n"
            + 'Action format:\n{"name": "search", "keywords": ["...", ...]}\n\n'
            + OUTPUT_FORMAT)


def init_plan_prompt(query: str, passages_text: str) -> str:
    return (INTRO + header("User Query", query)
            + header("Latest Retrieved Information", passages_text)
            + "Available action: init-plan. Give the report a title and 3 to 12 level-1 "
              "sections, each with a plan saying what it will cover.\n"
            + 'Action format:\n{"name": "init-plan", "title": "...", "sections": '
              '[{"title": "...", "plan": "..."}, ...]}\n\n'
            + OUTPUT_FORMAT)


def write_prompt(query: str, summary_text: str, cursor: str, passages_text: str) -> str:
    return (INTRO + header("User Query", query)
            + header("Current Article Summary", summary_text)
            + header("Analyzer's Instruction", f"You need to update {cursor}")
            + header("Retrieved Information", passages_text)
            + "Available action: write. Write the content of the section named in the "
              "instruction as Markdown paragraphs or lists, without headings, grounded in "
              "the retrieved information. Cite passages as \\cite{textid3} or "
              "\\cite{textid3, textid7}: 1 to 12 citations, only keys shown above.\n"
            + "Action format: the section text itself, not JSON.\n\n"
            + OUTPUT_FORMAT)


def extend_plan_prompt(query: str, report_text: str) -> str:
    return (INTRO + header("User Query", query)
            + header("Current Full Report", report_text)
            + "Available actions: extend-plan or nop. If a level-1 or level-2 section that "
              "has no subsections needs more depth, add 2 to 7 subsections under it; if the "
              "report is deep enough, answer nop.\n"
            + 'Action formats:\n{"name": "extend-plan", "position": "section-x.y", '
              '"subsections": [{"title": "...", "plan": "..."}, ...]}\n{"name": "nop"}\n\n'
            + OUTPUT_FORMAT)


def user_message(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]
