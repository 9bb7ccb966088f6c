"""Split a section's Markdown into sentences, each with the citation keys attached to it.

A unit is a paragraph, a list item or a table row; headings, code and display math are
skipped (nothing to check). Inside a unit, English sentences end at . ! ? followed by a
space and a capital, digit or quote (not after an abbreviation or an initial), Chinese
ones at 。！？. A cite command standing after the full stop ("...rain. \\cite{textid1}")
belongs to the sentence before it. Spans index the section's Markdown, so a viewer can
underline the very sentence."""
from __future__ import annotations

import re
from typing import Iterator

from engine.check.types import Sentence
from engine.cite import CITE, cite_groups

_FENCE = re.compile(r"^\s*(```|~~~)")
_DISPLAY_MATH = re.compile(r"^\s*(\$\$|\\\[|\\begin\{(equation|align)\*?\})")
_DISPLAY_END = re.compile(r"(\$\$|\\\]|\\end\{(equation|align)\*?\})\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘(\[A-Z0-9\\\u4e00-\u9fff])"
                  r"|[。！？]+[”’」』）)]*")
_ABBREVIATIONS = frozenset("""e.g i.e etc vs al approx ca cf fig no nos vol pp p mr mrs ms
dr prof st jr sr inc ltd co corp gen col lt sgt rev est dept jan feb mar apr jun jul aug sep
sept oct nov dec u.s u.k u.n mt ft""".split())
_LEADING_CITES = re.compile(r"(\s*" + CITE.pattern + r")+")   # used with .match(pos)
_WORDISH = re.compile(r"[^\W_]", re.UNICODE)


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for start, end, is_row in _units(text):
        for s, e in _sentence_spans(text, start, end):
            _append(sentences, text, s, e, is_row)
    return sentences


def _units(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_table_row) of each checkable block."""
    skip_until: re.Pattern | None = None
    current: list[int] | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        stripped = line.strip()
        if skip_until is not None:
            if skip_until.search(stripped):
                skip_until = None
            continue
        opener = _FENCE.match(line) or _DISPLAY_MATH.match(line)
        if opener or not stripped or _HEADING.match(line) or stripped.startswith("|"):
            if current:
                yield current[0], current[1], False
            current = None
            if _FENCE.match(line):
                skip_until = _FENCE
            elif opener and not (stripped != opener.group(0).strip()
                                 and _DISPLAY_END.search(stripped[2:])):
                skip_until = _DISPLAY_END
            elif stripped.startswith("|") and not _TABLE_RULE.match(stripped.strip("|")):
                yield start, end, True
            continue
        item = _LIST_ITEM.match(line)
        if item:
            if current:
                yield current[0], current[1], False
            current = [start + item.end(), end]
        elif current:
            current[1] = end
        else:
            current = [start + len(line) - len(line.lstrip()), end]
    if current and skip_until is None:
        yield current[0], current[1], False


def _sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece, last = text[start:end], 0
    for match in _END.finditer(piece):
        if match.group(0)[0] == "." and _abbreviation(piece, match.start()):
            continue
        yield start + last, start + match.end()
        last = match.end()
    if piece[last:].strip():
        yield start + last, end


def _abbreviation(piece: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", piece[max(0, dot - 24):dot])   # not the whole text
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()
                                       and piece[dot - 1].isupper())


def _append(sentences: list[Sentence], text: str, start: int, end: int, is_row: bool) -> None:
    """Add one span, giving leading cite commands to the sentence before it."""
    while start < end and text[start].isspace():
        start += 1
    lead = _LEADING_CITES.match(text, start, end)
    if lead and sentences and not is_row:
        previous = sentences[-1]
        sentences[-1] = _sentence(text, previous.start, lead.end(), False)
        start = lead.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    sentence = _sentence(text, start, end, is_row)
    if not _WORDISH.search(sentence.plain):
        if sentences and sentence.keys:      # a cite on its own: it cites the last one
            previous = sentences[-1]
            sentences[-1] = _sentence(text, previous.start, end, False)
        return
    sentences.append(sentence)


def _sentence(text: str, start: int, end: int, is_row: bool) -> Sentence:
    raw = text[start:end]
    keys = list(dict.fromkeys(k for group in cite_groups(raw) for k in group))
    return Sentence(text=raw, plain=plain_text(raw, is_row), keys=keys, start=start, end=end)


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_INLINE_MATH = re.compile(r"\$[^$\n]+\$|\\\(.+?\\\)")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?(\[[^\]]*\])?")
_MARKUP = re.compile(r"\*\*|__|[*`~{}]|<[^>\n]{1,200}>")


def plain_text(raw: str, is_row: bool = False) -> str:
    """The sentence as a reader sees it: no cites, links as their text, no emphasis
    markers, no LaTeX (inline math is dropped: its numbers are not claims we can judge)."""
    text = CITE.sub(" ", raw)
    text = _LINK.sub(r"\1", text)
    text = _INLINE_MATH.sub(" ", text)
    text = _LATEX_COMMAND.sub(" ", text)
    text = _MARKUP.sub("", text)
    if is_row:
        text = "; ".join(cell.strip() for cell in text.strip().strip("|").split("|"))
    text = " ".join(text.split())
    return re.sub(r"\s+([,.;:!?。，；：！？%])", r"\1", text)
