"""GBNF grammars for the WARP reply shape: `<thought>` bounded text `</thought>` then
`<action>` body `</action>`, the body a JSON object matching a schema (via llama.cpp's
JSON-schema converter) or, when no schema is given, bounded free Markdown.

Everything is bounded (the thought, each JSON string, the write text) so a rambling small
model still reaches a complete action within max_tokens: a reply cut off by the token
limit is invalid.
"""
from __future__ import annotations

import copy
import json
import re

DEFAULT_THOUGHT_CHARS = 600
DEFAULT_TEXT_CHARS = 4000
MAX_STRING_CHARS = 240

# A JSON string character that json.loads accepts (no raw control characters).
_CHAR = 'char ::= [^"\\\\\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})'
# The first character of a non-empty string is a letter, a digit or a non-ASCII
# character other than punctuation (CJK included): never a space, so " " cannot pass for
# a title or keyword, and never punctuation, so a small model cannot copy the "..."
# placeholders of the protocol's action formats (it did, every time, with a worded
# example).
_FIRST = ('firstchar ::= [^\\x00-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7F'
          '\\u2000-\\u206F\\u3000-\\u303F] | [“‘《「『【〈〔〖(]')   # opening quotes may start
# ("《红楼梦》人物", "(Un)making"); other general and CJK punctuation ("…", "。") may not


def _portable_patterns(schema):
    """llama.cpp's Python converter copies `\\d` literally; spell digits as [0-9]."""
    if isinstance(schema, dict):
        out = {k: _portable_patterns(v) for k, v in schema.items()}
        if isinstance(out.get("pattern"), str):
            out["pattern"] = out["pattern"].replace("\\d", "[0-9]")
        return out
    if isinstance(schema, list):
        return [_portable_patterns(v) for v in schema]
    return schema


def json_body_rules(schema: dict, rule_name: str = "actionjson",
                    max_string_chars: int = MAX_STRING_CHARS) -> str:
    """llama.cpp's GBNF for `schema`, root renamed to `rule_name`, strings bounded."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf = json_schema_to_gbnf(json.dumps(_portable_patterns(copy.deepcopy(schema))))
    gbnf = re.sub(r"^root(\s*::=)", rf"{rule_name}\1", gbnf, flags=re.M)
    # ...and copies regex escapes such as `\.` into literals, which llama.cpp rejects.
    gbnf = re.sub(r'(?<!\\)\\([.\-/])', r"\1", gbnf)
    gbnf = re.sub(r"^char ::= .*$", lambda _: _CHAR, gbnf, flags=re.M)
    gbnf = gbnf.replace("char+", f"firstchar char{{0,{max_string_chars - 1}}}")
    gbnf = gbnf.replace("char*", f"char{{0,{max_string_chars}}}")
    if "firstchar" in gbnf:
        gbnf += "\n" + _FIRST
    return gbnf.strip() + "\n"


def warp_reply_grammar(action_schema: dict | None,
                       max_thought_chars: int = DEFAULT_THOUGHT_CHARS,
                       max_text_chars: int = DEFAULT_TEXT_CHARS,
                       max_string_chars: int = MAX_STRING_CHARS) -> str:
    """GBNF for `<thought>…</thought>\\n<action>…</action>`.

    With a schema the action body is one JSON object matching it; with None (write) it is
    Markdown of 1..max_text_chars characters without `<`, so it cannot contain `</action>`.
    """
    thought = f"thought ::= [^<]{{1,{max_thought_chars}}}"
    if action_schema is None:
        body = f"body ::= [^<]{{1,{max_text_chars}}}"
    else:
        body = ("body ::= ws actionjson ws\nws ::= [ \\t\\n]{0,2}\n"
                + json_body_rules(action_schema, max_string_chars=max_string_chars))
    root = 'root ::= "<thought>" thought "</thought>\\n<action>" body "</action>"'
    return "\n".join([root, thought, body.strip()]) + "\n"


def combined_reply_grammar(action_grammar: str, thought_tokens: int = 160) -> str:
    """One GBNF for a whole WARP reply, for servers (which take a single grammar): a
    thought of at most about `thought_tokens` tokens (4 characters each), then the action
    body under `action_grammar` (whose own `root` must end with `</action>`). The bound
    costs sampling speed on the server, but a small model still reaches its action."""
    body = re.sub(r"^root(\s*::=)", r"actionbody\1", action_grammar.strip(), flags=re.M)
    return (f'root ::= "<thought>" [^<]{{1,{thought_tokens * 4}}} '
            '"</thought>\\n<action>" actionbody\n' + body + "\n")
