"""GBNF grammars for the WARP reply shape: `<thought>` bounded text `</thought>` then
`<action>` body `</action>`, the body a JSON object matching a schema (via llama.cpp's
JSON-schema converter) or, when no schema is given, bounded free Markdown.

The thought is bounded in characters so a rambling small model still reaches a complete
action within max_tokens: a reply cut off by the token limit is invalid.
"""
from __future__ import annotations

import json
import re

DEFAULT_THOUGHT_CHARS = 600
DEFAULT_TEXT_CHARS = 4000
MAX_STRING_CHARS = 240


def json_body_rules(schema: dict, rule_name: str = "actionjson") -> str:
    """llama.cpp's GBNF for `schema`, with its root renamed to `rule_name`."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf = json_schema_to_gbnf(json.dumps(schema))
    gbnf = re.sub(r"^root(\s*::=)", rf"{rule_name}\1", gbnf, flags=re.M)
    # Strings: no raw control characters (json.loads rejects them) and bounded length,
    # so a small model cannot wander inside one string until max_tokens runs out.
    gbnf = gbnf.replace('char ::= [^"\\\\]', 'char ::= [^"\\\\\\x00-\\x1F]')
    gbnf = gbnf.replace("char+", f"char{{1,{MAX_STRING_CHARS}}}")
    return gbnf.replace("char*", f"char{{0,{MAX_STRING_CHARS}}}")


def warp_reply_grammar(action_schema: dict | None,
                       max_thought_chars: int = DEFAULT_THOUGHT_CHARS,
                       max_text_chars: int = DEFAULT_TEXT_CHARS) -> str:
    thought = f"thought ::= [^<]{{1,{max_thought_chars}}}"
    if action_schema is None:
        body = f"body ::= [^<]{{1,{max_text_chars}}}"
    else:
        body = "body ::= ws actionjson ws\nws ::= [ \\t\\n]{0,2}\n" + json_body_rules(action_schema)
    root = 'root ::= "<thought>" thought "</thought>\\n<action>" body "</action>"'
    return "\n".join([root, thought, body]) + "\n"
