"""Constrained decoding per step: the grammar a reply must follow.

JSON actions use the runtime's WARP reply grammar built from the action's JSON schema.
Write replies get their own grammar: free Markdown that cannot contain '#', '<' or stray
braces, with 1 to 6 `\\cite{...}` commands whose keys are exactly the keys shown in this
step, so even a 135M model cites only what it saw. The validator still checks it all.
"""
from __future__ import annotations

MAX_THOUGHT_CHARS = 400
_SEGMENT = "[^#<\\\\{}]"


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_reply_grammar(keys: list[str], max_thought_chars: int = MAX_THOUGHT_CHARS) -> str:
    if not keys:  # nothing to cite: free text only
        body = f"body ::= {_SEGMENT}{{60,1200}}"
    else:
        alternatives = " | ".join(_literal(k) for k in keys)
        body = "\n".join([
            "body ::= lead cite text (cite text){0,5}",
            f"lead ::= {_SEGMENT}{{60,400}}",
            f"text ::= {_SEGMENT}{{0,400}}",
            'cite ::= "\\\\cite{" key (", " key){0,2} "}"',
            f"key ::= {alternatives}",
        ])
    return "\n".join([
        'root ::= "<thought>" thought "</thought>\\n<action>" body "</action>"',
        f"thought ::= [^<]{{1,{max_thought_chars}}}",
        body,
    ]) + "\n"


def action_reply_grammar(schema: dict, max_thought_chars: int = MAX_THOUGHT_CHARS) -> str:
    from engine.llm.grammar import warp_reply_grammar

    return warp_reply_grammar(schema, max_thought_chars=max_thought_chars)
