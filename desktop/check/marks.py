"""Sentences the claim check flagged, marked in a rendered view: a wavy underline over the
sentence as the reader sees it (citations shown as numbers, Markdown gone), and the words
for its tooltip: why, and the cited passage with the figure or name it has highlighted."""
from __future__ import annotations

import html

from desktop.qt import QColor, QTextCharFormat, QTextCursor, QTextFormat
from engine.check.sentences import plain_text

FLAG_INDEX = QTextFormat.Property.UserProperty + 20
UNDERLINE = QColor("#d9822b")
HEAD_WORDS, TAIL_WORDS = 6, 3


def sentence_span(document, sentence: str) -> tuple[int, int] | None:
    """Where a sentence (Markdown, cites included) is in a rendered document: from its
    first words to its last ones (the citation numbers between them do not matter)."""
    words = plain_text(sentence).split()
    if not words:
        return None
    start = document.find(" ".join(words[:HEAD_WORDS]))
    if start.isNull():
        return None
    tail = " ".join(words[-TAIL_WORDS:]).rstrip(".!?;:。！？；")
    end = document.find(tail, start.selectionStart())
    block_end = start.block().position() + start.block().length() - 1
    if end.isNull() or end.selectionEnd() > block_end:
        return start.selectionStart(), max(start.selectionEnd(), block_end)
    return start.selectionStart(), end.selectionEnd()


def mark_flags(document, flags: list,
               within: list[tuple[int, int]] | None = None) -> int:
    """Underline each flag's sentence; returns how many were found. `within`: only the
    sentences starting inside these ranges (the rest of the document kept its marks)."""
    marked = 0
    for index, flag in enumerate(flags):
        span = sentence_span(document, flag.sentence)
        if span is None or (within is not None and
                            not any(a <= span[0] < b for a, b in within)):
            continue
        underline(document, span, index)
        marked += 1
    return marked


def underline(document, span: tuple[int, int], index: int) -> None:
    """A wavy underline over `span`, carrying the flag's index for the hover."""
    cursor = QTextCursor(document)
    cursor.setPosition(span[0])
    cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(UNDERLINE)
    fmt.setProperty(FLAG_INDEX, index)
    cursor.mergeCharFormat(fmt)


def flag_tooltip(flag, citations: dict) -> str:
    """Why the sentence is flagged, and its cited passages with the figure or name they
    have highlighted."""
    parts = [f"<p><b>To check:</b> {html.escape(flag.detail)}</p>"]
    for key in flag.keys[:3]:
        passage = citations.get(key)
        if passage is None:
            continue
        text = html.escape(" ".join(passage.text.split())[:500])
        if flag.evidence:
            found = html.escape(flag.evidence)
            text = text.replace(found, f'<span style="background:#ffe08a">{found}</span>')
        parts.append(f"<p><i>{html.escape(passage.title or passage.path)}</i>: {text}</p>")
    return "".join(parts)
