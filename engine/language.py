"""The protocol's language rule: a Chinese query needs output over 60% CJK characters,
any other query output under 5% (UltraRAG's current checker; the pinned release said 1%),
counted after stripping spaces, digits, punctuation and cite commands.

Which queries are Chinese: the reference calls any query with a Han character Chinese,
which makes "What did 孔子 say?" a Chinese question. We call a query with Han characters
Chinese unless it reads as English: two or more English function words ("what", "the",
"of", ...). So "介绍一下 Transformer 的 attention" is Chinese and "Explain the history of
北京大学" is English. Japanese and Korean queries (kana or hangul) are neither: the
Chinese ratio cannot judge them, so no language rule applies."""
from __future__ import annotations

import re
import unicodedata

from engine.cite import strip_cites

ZH_MIN, OTHER_MAX = 0.60, 0.05


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0xF900 <= code <= 0xFAFF)


def cjk_ratio(text: str) -> float:
    kept = [c for c in strip_cites(text)
            if not c.isspace() and not c.isdigit()
            and not unicodedata.category(c).startswith(("P", "S"))]
    if not kept:
        return 0.0
    return sum(1 for c in kept if is_cjk(c)) / len(kept)


# Kana (without U+30FB-30FC, the middle dot and long mark Chinese names use too) and
# hangul.
_KANA_HANGUL = re.compile("[\u3040-\u30fa\u30fd-\u30ff\u31f0-\u31ff\u1100-\u11ff"
                          "\u3130-\u318f\uac00-\ud7af]")
_ASCII_WORD = re.compile(r"[A-Za-z]+")
_ENGLISH_FUNCTION_WORDS = frozenset("""a an the of in on at to for from with about by and or
but is are was were be been do does did what which who whom whose when where why how
this that these those it its his her their my our your as than""".split())
UNCHECKED = "unchecked"     # a language the ratio rule cannot judge (or the user's own text)


def query_language(query: str) -> str:
    """'zh' for a Chinese query, 'unchecked' for Japanese or Korean, else 'other'."""
    if _KANA_HANGUL.search(query):
        return UNCHECKED
    if not any(is_cjk(c) for c in query):
        return "other"
    english = sum(1 for w in _ASCII_WORD.findall(query)
                  if w.lower() in _ENGLISH_FUNCTION_WORDS)
    return "other" if english >= 2 else "zh"


def language_problem(text: str, language: str) -> str | None:
    if language == UNCHECKED:
        return None
    ratio = cjk_ratio(text)
    if language == "zh" and ratio <= ZH_MIN:
        return f"output must be Chinese like the query ({ratio:.0%} CJK, need over 60%)"
    if language != "zh" and ratio >= OTHER_MAX:
        return f"output must be in the query's language ({ratio:.1%} CJK, need under 5%)"
    return None
