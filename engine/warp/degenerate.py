"""Degenerate writes: a model that loops (one line or phrase over and over) or copies its
instructions ("The section text in Markdown, with its citations", "** Output Format **")
instead of writing the section. Such a reply is an invalid write like any other: it is
refused, retried and counted in the run stats under its own reason.

Thresholds were measured with tests/benchmarks/bench_degenerate.py: over the 1,318
section-sized texts of the 100 FreshWiki articles (reference lists included) the highest
share of repeated 8-word sequences is 0.17 (a reference list; threshold 0.35, twice
that), no line of four or more words occurs more than once (a line may occur twice;
three times is a loop) and no text shares six words in a row or a protocol header with
the built-in templates (none share even four).
The demo model's loops score 0.79 to 0.99, and its echoes copy the template's example
sentence whole.
"""
from __future__ import annotations

import re
from collections import Counter

# Every problem this module reports starts with this, so run stats can count them.
DEGENERATE = "degenerate text"

NGRAM = 8                   # words per sequence when looking for a loop
MAX_REPEATED_SHARE = 0.35   # of the text's 8-word sequences that repeat an earlier one
MIN_NGRAMS = 16             # a shorter text has too few sequences to judge
LINE_WORDS = 4              # lines this long or longer ...
MAX_LINE_REPEATS = 2        # ... may occur at most this often
ECHO_WORDS = 6              # this many words in a row copied from the instructions
_WORD = re.compile(r"\w+")
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_HEADER = re.compile(r"^\*\*.+\*\*:?$")   # the protocol's "** User Query **" headers


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


def _line(text: str) -> str:
    return " ".join(text.lower().split())


def repeated_share(text: str) -> float:
    """Share of the text's 8-word sequences that already occurred in it (0 for a text
    too short to judge)."""
    grams = _ngrams(_words(text), NGRAM)
    if len(grams) < MIN_NGRAMS:
        return 0.0
    return 1.0 - len(set(grams)) / len(grams)


def most_repeated_line(text: str) -> tuple[str, int]:
    """The line (of LINE_WORDS words or more) that occurs most often, and how often."""
    counts = Counter(_line(line) for line in text.splitlines()
                     if len(_words(line)) >= LINE_WORDS)
    return counts.most_common(1)[0] if counts else ("", 0)


def echoed_instructions(text: str, instructions: str) -> list[str]:
    """Pieces of the prompt's fixed text (the template without its variables) copied into
    the reply: protocol header lines and runs of ECHO_WORDS words."""
    segments = _TEMPLATE_CODE.split(instructions)
    headers = {_line(line) for segment in segments for line in segment.splitlines()
               if _HEADER.match(line.strip()) and len(_words(line)) >= 2}
    flat = _line(text)
    found = sorted(header for header in headers if header in flat)
    fixed = {gram for segment in segments for gram in _ngrams(_words(segment), ECHO_WORDS)}
    words = _words(text)
    found += [" ".join(words[i:i + ECHO_WORDS])
              for i, gram in enumerate(_ngrams(words, ECHO_WORDS)) if gram in fixed]
    return found


def degenerate_problems(text: str, instructions: str) -> list[str]:
    """Why a write's text is degenerate; empty when it reads as a section. `instructions`
    is the write template the model was prompted with."""
    problems = []
    share = repeated_share(text)
    if share > MAX_REPEATED_SHARE:
        problems.append(f"{DEGENERATE}: {share:.0%} of it repeats itself (a loop)")
    line, count = most_repeated_line(text)
    if count > MAX_LINE_REPEATS:
        problems.append(f"{DEGENERATE}: the line {_clip(line)!r} occurs {count} times")
    echoes = echoed_instructions(text, instructions)
    if echoes:
        problems.append(f"{DEGENERATE}: it copies the instructions ({_clip(echoes[0])!r})")
    return problems


def is_degenerate(problem: str) -> bool:
    return problem.startswith(DEGENERATE)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
