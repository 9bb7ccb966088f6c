"""Constrained decoding, in one place: the GBNF grammars a WARP reply's action must
follow, the bounds they set, and when a run uses them.

A WARP reply is `<thought>` free text `</thought>` then `<action>` body `</action>`
(engine.llm.base.ReplyFormat). llama.cpp writes the token-bounded thought first, then
the action body under one of these grammars, each ending with the closing `</action>`
(LlamaBackend.stream, two passes over one KV cache); a server takes one combined grammar
(`combined_reply_grammar`).

Bounds. Write bodies are Markdown that cannot contain '#', '<' or stray braces, with 1 to
6 `\\cite{...}` commands whose keys are exactly the keys shown in this step, so even a
135M model cites only what it saw. JSON strings are bounded to 100 characters: measured
on llama.cpp here, that bound decodes at full speed (~85 tokens/s for the 135M model)
while 160+ characters or unbounded strings fall to 3-10 tokens/s, and unbounded strings
let a small model ramble until max_tokens. The validator (engine.warp.validate) checks it
all.

When. The protocol's model was trained to answer freely (temperature 0.7, top_p 0.8, up
to 2048 tokens) and performs as published that way; a small model needs the rails to
make progress at all. So by default (`constrained=None`) a small model is always
constrained, and a large one answers freely and falls back to the grammar only when
retrying an invalid reply, with roomier rails fitted to what the authors' prompts invite:
a thought of up to 1,024 tokens, JSON strings of up to 600 characters, and write text
that may hold LaTeX, code and Markdown tables with up to 12 cite commands (`\\cite`,
`\\citep`, `\\parencite`, ... CITE_COMMANDS) of the keys shown in this step; no other
command with "cite" in its name can be written. Its write is not closed at a token
cap: a reply cut off by the reply budget is rejected, as the authors reject it.
"""
from __future__ import annotations

import copy
import json
import re

from engine.llm.base import Backend, ReplyFormat

THOUGHT_TOKENS = 160
JSON_STRING_CHARS = 100
WRITE_TOKENS = 1024   # one section's text; a looping small model is closed here
LARGE_THOUGHT_TOKENS = 1024
LARGE_JSON_STRING_CHARS = 600
LARGE_MAX_CITES = 12

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
                    max_string_chars: int = JSON_STRING_CHARS) -> str:
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
        "words ::= [ \\n]* (glyph | [ \\t] | [.] glyph)+",
        f"glyph ::= [^#<\\\\{{}} \\t{_ENDS}]",
        f"text ::= {_SEGMENT}*",
        'cite ::= "\\\\cite{" key (", " key){0,2} "}"',
        "key ::= " + " | ".join(_literal(k) for k in keys),
    ]) + "\n"


# LaTeX cite commands the retry grammar lets a large model write (each only with shown
# keys); any other command whose name holds "cite" in any case (\\nocite, \\Citeauthor,
# \\supercite) cannot be written at all.
CITE_COMMANDS = ("cite", "citep", "citet", "parencite", "autocite", "textcite", "footcite")

# A LaTeX command name (letters, read to the last one, as LaTeX does) that holds no
# "cite" in any case: a small automaton, one rule per how much of "cite" was just seen.
_NAME_RULES = [
    'name ::= [abd-zABD-Z] n0 | [cC] n1',
    'n0 ::= ([abd-zABD-Z] n0 | [cC] n1)?',
    'n1 ::= ([abd-hj-zABD-HJ-Z] n0 | [cC] n1 | [iI] n2)?',
    'n2 ::= ([abd-su-zABD-SU-Z] n0 | [cC] n1 | [tT] n3)?',
    'n3 ::= ([abdf-zABDF-Z] n0 | [cC] n1)?',
]


def large_write_body_grammar(keys: list[str]) -> str:
    """Free Markdown with LaTeX, code and tables: anything but '#' (no headings) and the
    start of a closing tag; a backslash starts any LaTeX command but a cite, which is one
    of CITE_COMMANDS naming shown keys. A command name ends where its letters end, so
    `\\par` cannot be followed by "encite{...}" to spell a `\\parencite` unchecked."""
    rules = [
        "text ::= piece* commands?",
        'piece ::= plain | commands after',
        # "\\%", "\\$"; not "\\\\", whose second backslash would start "\\cite" to a reader
        'plain ::= [^#<\\\\] | "<" [^/#<\\\\] | "\\\\" [^a-zA-Z#<\\\\]',
        # what may follow a command name: anything but a letter (which would lengthen it)
        'after ::= [^a-zA-Z#<\\\\] | "<" [^/#<\\\\] | "\\\\" [^a-zA-Z#<\\\\]',
        'commands ::= ("\\\\" name)+',
        *_NAME_RULES,
    ]
    if not keys:
        return "\n".join(['root ::= text "</action>"'] + rules) + "\n"
    return "\n".join([
        f'root ::= text (cite text){{0,{LARGE_MAX_CITES}}} "</action>"', *rules,
        'cite ::= "\\\\" (' + " | ".join(_literal(c) for c in CITE_COMMANDS) + ') "{" '
        'key (", " key){0,11} "}"',
        "key ::= " + " | ".join(_literal(k) for k in keys),
    ]) + "\n"


def json_body_grammar(schema: dict, max_string_chars: int = JSON_STRING_CHARS) -> str:
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


def combined_reply_grammar(action_grammar: str, thought_tokens: int = 160) -> str:
    """One GBNF for a whole WARP reply, for servers (which take a single grammar): a
    thought of at most about `thought_tokens` tokens (4 characters each), then the action
    body under `action_grammar` (whose own `root` must end with `</action>`). The bound
    costs sampling speed on the server, but a small model still reaches its action."""
    body = re.sub(r"^root(\s*::=)", r"actionbody\1", action_grammar.strip(), flags=re.M)
    return (f'root ::= "<thought>" [^<]{{1,{thought_tokens * 4}}} '
            '"</thought>\\n<action>" actionbody\n' + body + "\n")


SMALL_MODEL_BYTES = 2 << 30   # under 2 GiB of weights: ~3B parameters at 4 bits or fewer


def is_small_model(backend: Backend) -> bool:
    """True for a local GGUF under SMALL_MODEL_BYTES; unknown sizes (a server, a replay)
    count as large."""
    size = getattr(backend, "model_bytes", None)   # measured once, at load
    return isinstance(size, int) and 0 < size < SMALL_MODEL_BYTES


def use_grammar(setting: bool | None, backend: Backend, attempt: int) -> bool:
    if setting is not None:
        return bool(setting)
    return attempt > 1 or is_small_model(backend)
