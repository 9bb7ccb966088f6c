"""The protocol's language rule: a Chinese query needs output over 60% CJK characters,
any other query output under 1%, counted after stripping spaces, digits, punctuation
and cite commands."""
from __future__ import annotations

import re
import unicodedata

_CITE = re.compile(r"\\cite\{[^}]*\}")
ZH_MIN, OTHER_MAX = 0.60, 0.01


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0xF900 <= code <= 0xFAFF)


def cjk_ratio(text: str) -> float:
    kept = [c for c in _CITE.sub("", text)
            if not c.isspace() and not c.isdigit()
            and not unicodedata.category(c).startswith(("P", "S"))]
    if not kept:
        return 0.0
    return sum(1 for c in kept if is_cjk(c)) / len(kept)


def query_language(query: str) -> str:
    """'zh' when the query is mainly Chinese, else 'other'."""
    return "zh" if cjk_ratio(query) > 0.3 else "other"


def language_problem(text: str, language: str) -> str | None:
    ratio = cjk_ratio(text)
    if language == "zh" and ratio <= ZH_MIN:
        return f"output must be Chinese like the query ({ratio:.0%} CJK, need over 60%)"
    if language != "zh" and ratio >= OTHER_MAX:
        return f"output must be in the query's language ({ratio:.1%} CJK, need under 1%)"
    return None
