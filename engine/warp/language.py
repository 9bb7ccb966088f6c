"""The protocol's language rule: a Chinese query needs output over 60% CJK characters,
any other query output under 1%, counted after stripping spaces, digits, punctuation
and cite commands.

Which queries are Chinese: the reference calls any query with a Han character Chinese.
We weigh Han characters against Latin-script words instead, so a mixed query such as
"介绍一下 Transformer 的 attention" is Chinese (its long English words would sink a
character ratio) while "the role of 道 in Daoism" stays English. Japanese and Korean
queries (kana or hangul) are neither: the Chinese ratio cannot judge them, so no
language rule applies."""
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


_KANA_HANGUL = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\u3130-\u318f"
                          "\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[^\W\d_]+")
UNCHECKED = "unchecked"     # a language the ratio rule cannot judge (or the user's own text)


def query_language(query: str) -> str:
    """'zh' for a Chinese query, 'unchecked' for Japanese or Korean, else 'other'."""
    if _KANA_HANGUL.search(query):
        return UNCHECKED
    han = sum(1 for c in query if is_cjk(c))
    if not han:
        return "other"
    latin_words = len(_LATIN_WORD.findall("".join(" " if is_cjk(c) else c for c in query)))
    return "zh" if han / (han + latin_words) > 1 / 3 else "other"


def language_problem(text: str, language: str) -> str | None:
    if language == UNCHECKED:
        return None
    ratio = cjk_ratio(text)
    if language == "zh" and ratio <= ZH_MIN:
        return f"output must be Chinese like the query ({ratio:.0%} CJK, need over 60%)"
    if language != "zh" and ratio >= OTHER_MAX:
        return f"output must be in the query's language ({ratio:.1%} CJK, need under 1%)"
    return None
