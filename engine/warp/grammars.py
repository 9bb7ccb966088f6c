"""Constrained decoding per step: the grammar an action body must follow.

The runtime writes the (token-bounded) thought first, then the action body under one of
these grammars, each ending with the closing `</action>`. Write bodies are Markdown
that cannot contain '#', '<' or stray braces, with 1 to 6 `\\cite{...}` commands whose
keys are exactly the keys shown in this step, so even a 135M model cites only what it
saw. JSON strings are bounded to 100 characters: measured on llama.cpp here, that
bound decodes at full speed (~85 tokens/s for the 135M model) while 160+ characters or
unbounded strings fall to 3-10 tokens/s, and unbounded strings let a small model ramble
until max_tokens. The validator checks it all.

A large model (engine.warp.decoding) is constrained only when retrying an invalid reply,
and gets roomier rails fitted to what the authors' prompts invite: a thought of up to
1,024 tokens, JSON strings of up to 600 characters, and write text that may hold LaTeX,
code and Markdown tables with up to 12 cite commands (`\\cite`, `\\citep`, `\\citet`)
of the keys shown in this step. Its write is not closed at a token cap: a reply cut off
by the reply budget is rejected, as the authors reject it.
"""
from __future__ import annotations

from engine.llm.base import ReplyFormat

THOUGHT_TOKENS = 160
JSON_STRING_CHARS = 100
WRITE_TOKENS = 1024   # one section's text; a looping small model is closed here
LARGE_THOUGHT_TOKENS = 1024
LARGE_JSON_STRING_CHARS = 600
LARGE_MAX_CITES = 12
_SEGMENT = "[^#<\\\\{}]"
# Sentence ends, Chinese full-width ones included; a line break ends a sentence too, so
# a small model that loops on one unpunctuated line per paragraph still reaches its
# citation.
_MARKS = ".!?。！？"
_ENDS = _MARKS + "\\n"


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_body_grammar(keys: list[str]) -> str:
    if not keys:  # nothing to cite: free text only
        return f'root ::= {_SEGMENT}+ "</action>"\n'
    return "\n".join([
        'root ::= lead cite text (cite text){0,5} "</action>"',
        # a citation within three sentences: up to two whole ones, then the cite inside
        # the third ("... grew fast \\cite{textid3}.") or after its full stop
        "lead ::= sentence? sentence? (words | sentence)",
        # a run of end marks ("?!", "...") or one line break: a run of "\n." pairs
        # must not count as one endless sentence end
        f'sentence ::= words ([{_MARKS}]+ [ \\n]? | "\\n")',
        # blank lines may separate paragraphs; a "." followed by a letter or digit stays
        # inside the sentence (2.5%, U.S., example.com)
        f"words ::= [ \\n]* (glyph | [ \\t] | [.] glyph)+",
        f"glyph ::= [^#<\\\\{{}} \\t{_ENDS}]",
        f"text ::= {_SEGMENT}*",
        'cite ::= "\\\\cite{" key (", " key){0,2} "}"',
        "key ::= " + " | ".join(_literal(k) for k in keys),
    ]) + "\n"


def large_write_body_grammar(keys: list[str]) -> str:
    """Free Markdown with LaTeX, code and tables: anything but '#' (no headings) and the
    start of a closing tag; a backslash starts any LaTeX command except a cite, which
    must name shown keys."""
    rules = [
        "text ::= piece*",
        'piece ::= [^#<\\\\] | "<" [^/#<\\\\] | "\\\\" latex',
        # any command but one spelling "cite...": \alpha, \frac, \cdot, \%, \\
        'latex ::= [a-bd-zA-Z] | "c" [a-hj-zA-Z] | "ci" [a-su-zA-Z] | "cit" [a-df-zA-Z] '
        '| [^a-zA-Z#<]',
    ]
    if not keys:
        return "\n".join(['root ::= text "</action>"'] + rules) + "\n"
    return "\n".join([
        f'root ::= text (cite text){{0,{LARGE_MAX_CITES}}} "</action>"', *rules,
        'cite ::= "\\\\cite" [pt]? "{" key (", " key){0,11} "}"',
        "key ::= " + " | ".join(_literal(k) for k in keys),
    ]) + "\n"


def json_body_grammar(schema: dict, max_string_chars: int = JSON_STRING_CHARS) -> str:
    from engine.llm.grammar import json_body_rules

    rules = json_body_rules(schema, max_string_chars=max_string_chars)
    return 'root ::= ws actionjson ws "</action>"\nws ::= [ \\t\\n]?\n' + rules


def write_reply(keys: list[str], large: bool = False) -> ReplyFormat:
    if large:
        return ReplyFormat(action_grammar=large_write_body_grammar(keys),
                           thought_tokens=LARGE_THOUGHT_TOKENS)
    return ReplyFormat(action_grammar=write_body_grammar(keys), thought_tokens=THOUGHT_TOKENS,
                       action_tokens=WRITE_TOKENS, close_on_length=True)


def json_reply(schema: dict, large: bool = False) -> ReplyFormat:
    if large:
        return ReplyFormat(action_grammar=json_body_grammar(schema, LARGE_JSON_STRING_CHARS),
                           thought_tokens=LARGE_THOUGHT_TOKENS)
    return ReplyFormat(action_grammar=json_body_grammar(schema), thought_tokens=THOUGHT_TOKENS)
