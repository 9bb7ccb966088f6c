"""Figures in text, as values: "33 million" = "33,000,000" = "3300万"; "45%" = "45
percent"; "five" = 5; "$1.2 billion"; ranges give both ends; Chinese numerals with 万
and 亿. A sentence's figure is supported when a passage has the same value, or, for a
figure written with a scale word or decimals ("33 million", "1.2 billion"), a value it
rounds ("33,012,345"). Plain integers must match exactly (2,000 is not 2,040)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "lakh": 1e5, "crore": 1e7,
           "万": 1e4, "亿": 1e8, "万亿": 1e12, "千万": 1e7, "百万": 1e6}
_SMALL = {w: i for i, w in enumerate("""zero one two three four five six seven eight nine
ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen""".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty "
                                         "ninety".split(), start=2)}
_WORD_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9,
                "trillion": 1e12}
_DIGITS = re.compile(
    r"(?<![A-Za-z0-9_.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])"
    r"(?:\s?(万亿|千万|百万|万|亿)|\s*(%|％|per\s?cent\b|percent\b)"
    r"|\s?(thousand|million|billion|trillion|lakh|crore|mn|bn|tn|k|m)\b)?", re.I)
_NUMBER_WORD = "|".join([*_SMALL, *_TENS, *_WORD_SCALES])
_WORDS = re.compile(rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*\b"
                    r"(?:\s*(percent|per\s?cent)\b)?", re.I)
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_NUMBER = re.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(?=(.?))")
_ZH_MEASURES = set("倍个人名所座头年月日天次场家项条位吨米元岁户件辆架艘枚起例平%")
_ZH_WORDS_NOT_NUMBERS = ("一些", "一起", "一直", "一定", "一般", "一样", "之一", "统一",
                         "唯一", "一旦", "一切", "一致", "一度", "一并",
                         "进一步", "一方面", "一向", "一同", "一边", "一时", "一带")


@dataclass(frozen=True)
class Figure:
    text: str            # as written
    value: float
    tolerance: float     # how far a passage's value may be and still round to this
    percent: bool = False
    unit: str = ""       # a Chinese measure word after it (月, 倍, 人...): 八月 is not 八倍


def figures_in(text: str, strict: bool = False) -> list[Figure]:
    """Every figure in `text`. `strict` (for sentences, not passages) leaves out what
    is more often a word than a claim: "one", Chinese 一, ordinal-like digit words."""
    found, taken = _digit_figures(text)
    for figure, span in _word_figures(text, strict) + _chinese_figures(text, strict):
        if not any(s < span[1] and span[0] < e for s, e in taken):   # "33 million": once
            found.append(figure)
    return found


def _digit_figures(text: str) -> tuple[list[Figure], list[tuple[int, int]]]:
    out, spans = [], []
    for m in _DIGITS.finditer(text):
        before = text[max(0, m.start() - 2):m.start()]
        after = text[m.end():m.end() + 1]
        if re.match(r"[A-Za-z]-", before) or (after.isascii() and after.isalpha()
                                             and not (m.group(3) or m.group(5))):
            continue            # COVID-19, F-16, 5G, 3D, 21st: names, not figures
        whole, frac = m.group(1).replace(",", ""), m.group(2) or ""
        scale_word = (m.group(3) or m.group(5) or "").lower()
        scale = _SCALES.get(scale_word, 1.0) if scale_word else 1.0
        mantissa = float(f"{whole}.{frac}" if frac else whole)
        out.append(Figure(m.group(0).strip(), mantissa * scale,
                          _tolerance(whole, frac, scale, bool(scale_word), bool(m.group(4))),
                          bool(m.group(4)), after if after in _ZH_MEASURES else ""))
        spans.append(m.span())
    return out, spans


def _tolerance(whole: str, frac: str, scale: float, has_scale: bool, percent: bool) -> float:
    if frac:
        return 0.5 * scale * 10 ** -len(frac)
    # "33 million" rounds 33,012,345; "45%" rounds 45.3%; "2,000" is 2,000 exactly
    return 0.5 * scale if has_scale or percent else 0.0


def _word_figures(text: str, strict: bool) -> list[tuple[Figure, tuple[int, int]]]:
    out = []
    for m in _WORDS.finditer(text):
        words = [w for w in re.split(r"[\s-]+", m.group(0).lower())
                 if w and w not in ("and", "percent", "per", "cent", "percent")]
        if strict and words == ["one"]:
            continue
        value = _words_value(words)
        if value is not None:
            out.append((Figure(m.group(0), value, 0.0, bool(m.group(1))), m.span()))
    return out


def _words_value(words: list[str]) -> float | None:
    total, current = 0.0, 0.0
    for word in words:
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _WORD_SCALES:
            total += (current or 1) * _WORD_SCALES[word]
            current = 0.0
        else:
            return None
    return total + current


def _chinese_figures(text: str, strict: bool) -> list[tuple[Figure, tuple[int, int]]]:
    out = []
    for m in _ZH_NUMBER.finditer(text):
        run, following = m.group(2), m.group(3)
        context = text[max(0, m.start() - 2):m.end() + 2]
        if any(word in context for word in _ZH_WORDS_NOT_NUMBERS):
            continue
        value = zh_number(run)
        if value is None:
            continue
        if strict and not m.group(1) and (value == 1 or not (
                len(run) > 1 or following in _ZH_MEASURES)):
            continue            # 一个, 三 on its own: more often a word than a figure
        unit = following if following in _ZH_MEASURES else ""
        out.append((Figure(m.group(0), value, 0.0, bool(m.group(1)), unit), m.span()))
    return out


def zh_number(run: str) -> float | None:
    """三千三百万 -> 33000000; 两亿 -> 2e8; 十五 -> 15. None if it is not a number."""
    total, section, current = 0.0, 0.0, 0.0
    for char in run:
        if char in _ZH_DIGITS:
            current = float(_ZH_DIGITS[char])
        elif char in _ZH_UNITS:
            section += (current or 1) * _ZH_UNITS[char]
            current = 0.0
        elif char == "万":
            section = (section + current or 1) * 1e4
            current = 0.0
            total, section = total + section, 0.0
        elif char == "亿":
            total = (total + section + current or 1) * 1e8
            section = current = 0.0
        else:
            return None
    value = total + section + current
    return value if value or run in ("零", "〇") else None


def supported(figure: Figure, evidence: list[Figure]) -> bool:
    return any(abs(figure.value - f.value) <= max(figure.tolerance, 1e-9 * abs(f.value))
               and not (figure.unit and f.unit and figure.unit != f.unit) for f in evidence)


def nearest(figure: Figure, evidence: list[Figure]) -> Figure | None:
    """The passage figure most like this one (same kind, closest in ratio), to quote."""
    alike = ([f for f in evidence if f.percent == figure.percent and f.unit == figure.unit
              and f.value > 0] or [f for f in evidence if f.percent == figure.percent
                                   and f.value > 0] or [f for f in evidence if f.value > 0])
    if not alike or figure.value <= 0:
        return None
    return min(alike, key=lambda f: abs(math.log(f.value / figure.value)))
