"""The built-in prompt templates: our own words, in the structure of the authors'
templates (role line, rules, inputs under the protocol's bold headers, an action example
wrapped in `<action>` tags, an output-format block, a closing line), with the authors'
variable names. They state no rule the validator contradicts.

Each rendered prompt is one user message. Constant text comes first (then the query),
so consecutive prompts of one action type share a long prefix for the prompt cache.
"""
from __future__ import annotations

from engine.warp.actions import EXTEND_PLAN, INIT_PLAN, SEARCH, WRITE
from engine.warp.templates import PromptTemplates

# The format block names no words a small model could copy into its action (it copies
# recent text); "..." cannot start a string under the grammar.
OUTPUT_FORMAT = """** Output Format **
<thought> ... </thought>
<action> ... </action>

Reply strictly in this format: your reasoning in the thought, then {action}."""

SEARCH_TEMPLATE = """You are the researcher of a report written section by section from the \
documents in the user's private library. Your task now: choose search keywords for the \
part of the report named in the instruction (for the outline: the user's query as a whole).
- Keywords are short phrases in plain words: the names, places, events and topics of the \
query and of that part of the report.
- At most five keywords, in the same language as the user's query.

** User Query **
{{ user_query }}

** Current Article Outline **
{{ current_outline }}

** Analyst's Instruction **
{{ current_instruction }}

## Action Example:
<action>
{"name": "search", "keywords": ["...", "..."]}
</action>

""" + OUTPUT_FORMAT.format(action="the action") + """

The user's query once more: {{ user_query }}"""   # a small model takes its keywords from
# the text nearest its reply: without this line the demo model wrote digits (3/6 on topic
# in bench_warp_validity.py --only search, 5/6 with it)

INIT_PLAN_TEMPLATE = """You are the planner of a report written section by section from \
the documents in the user's private library. Your task now: give the report a title and \
its top-level sections, each with a plan saying what it will cover, based on the query \
and the retrieved information.
- Cover the query fully, each section with its own distinct part of it.
- Use the same language as the user's query.

** User Query **
{{ user_query }}

** Latest Retrieved Information **
{{ current_information }}

## Action Example:
<action>
{"name": "init-plan", "title": "...", "sections": [{"title": "...", "plan": "..."}, \
{"title": "...", "plan": "..."}]}
</action>

""" + OUTPUT_FORMAT.format(action="the action")

WRITE_TEMPLATE = """You are the writer of a report written section by section from the \
documents in the user's private library. Your task now: write the content of the section \
named in the instruction.
- Write only that section's body: no section title or heading, nothing of other sections.
- Do not repeat what other sections of the report already say.
- Be analytical and comparative: relate, contrast and weigh the evidence rather than \
listing it. Examples and Markdown tables are welcome.
- Ground claims in the retrieved information and cite it by key, as \\cite{textid3} or \
\\cite{textid3, textid7}.
- Use the same language as the user's query.

** User Query **
{{ user_query }}

** Current Article Summary **
{{ current_survey }}

** Analyzer's Instruction **
{{ current_instruction }}

** Retrieved Information **
{{ current_information }}

## Action Example:
<action>
The section text in Markdown, with its citations \\cite{textid3}.
</action>

""" + OUTPUT_FORMAT.format(action="the section text")

EXTEND_PLAN_TEMPLATE = """You are the editor of a report written section by section from \
the documents in the user's private library. Your task now: read the whole report and \
decide whether it needs more depth.
- If it does, pick the single section most in need of expansion (a top-level or \
second-level section without subsections) and give it subsections, each with a plan.
- If the report is already detailed enough, answer nop.
- Use the same language as the user's query.

** User Query **
{{ user_query }}

** Current Full Report **
{{ current_survey }}

## Action Example:
<action>
{"name": "extend-plan", "position": "section-2", "subsections": [{"title": "...", \
"plan": "..."}, {"title": "...", "plan": "..."}]}
</action>
or
<action>
{"name": "nop"}
</action>

""" + OUTPUT_FORMAT.format(action="one action")


def builtin_templates() -> PromptTemplates:
    return PromptTemplates({SEARCH: SEARCH_TEMPLATE, INIT_PLAN: INIT_PLAN_TEMPLATE,
                            WRITE: WRITE_TEMPLATE, EXTEND_PLAN: EXTEND_PLAN_TEMPLATE})


def user_message(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]
