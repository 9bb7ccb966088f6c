"""Multi-word proper names and quoted phrases, and whether a text has them.

A name is a run of two or more capitalised words ("Kerch Strait", "Bank of England",
"Shehbaz Sharif's"); the first word of a sentence counts only when it is not a common
opening word ("The", "In", "According"...). Matching ignores case, accents, possessives
and hyphens: a name is found when the phrase occurs, or (a shortened or reordered form,
"President Putin" for "President Vladimir Putin") when each of its words occurs as a
word. A quotation must occur as a phrase."""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_CONNECTORS = frozenset("of the de del della da di van von der den la le du al bin ibn "
                        "y for on upon".split())
_OPENERS = frozenset("""the a an in on at by for from to of with as after before during
since until while when where why how what which who this that these those there here it its
his her their our my your we they he she i according however although though despite
meanwhile moreover furthermore also both each every many most some several other another
such then thus yet but and or so if because unlike like following between among under over
about around across against along amid within without one two three four five six seven
eight nine ten first second third last early late new old more less all no not only""".split())
_QUOTED = re.compile(r"[\"“]([^\"”\n]{3,300})[\"”]|[「『]([^」』\n]{2,300})[」』]")


def names_in(sentence: str) -> list[str]:
    """Multi-word proper names, as written (possessive kept; the match drops it). A run
    of words stops at punctuation: "Santa Clara, California" is two places."""
    words = [(m.group(0).rstrip(".,’'"), m.start(), m.end()) for m in _WORD.finditer(sentence)]
    names, run = [], []
    for index, (word, start, _) in enumerate(words):
        if run and sentence[words[index - 1][2]:start].strip():
            _close(run, names)
            run = []
        capital = word[:1].isupper()
        if capital and not (index == 0 and word.lower() in _OPENERS):
            run.append(word)
        elif run and word.lower() in _CONNECTORS and index + 1 < len(words) \
                and words[index + 1][0][:1].isupper():
            run.append(word)
        else:
            _close(run, names)
            run = []
    _close(run, names)
    return names


def _close(run: list[str], names: list[str]) -> None:
    while run and run[-1].lower() in _CONNECTORS:
        run.pop()
    if sum(1 for w in run if w.lower() not in _CONNECTORS) >= 2:
        names.append(" ".join(run))


def quotations_in(sentence: str) -> list[str]:
    """Quoted phrases of two words or more (or two CJK characters or more)."""
    found = []
    for m in _QUOTED.finditer(sentence):
        phrase = (m.group(1) or m.group(2)).strip()
        if len(phrase.split()) >= 2 or (m.group(2) and len(phrase) >= 2):
            found.append(phrase)
    return found


def normalize(text: str) -> str:
    """Case-, accent-, possessive- and hyphen-blind form, words separated by one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    text = re.sub(r"['’]s\b|(?<=s)['’](?=\s|$)", "", text)
    return " " + " ".join(re.findall(r"[^\W_]+", text)) + " "


def phrase_found(phrase: str, haystack: str) -> bool:
    """`haystack` is already normalize()d."""
    return normalize(phrase) in haystack


def name_found(name: str, haystack: str, words: set[str]) -> bool:
    """The phrase, or every word of it (connectors aside) as a word of the evidence."""
    if phrase_found(name, haystack):
        return True
    parts = [p for p in normalize(name).split() if p not in _CONNECTORS]
    return bool(parts) and all(p in words for p in parts)
