"""The claim check of one section: each sentence against the passages it cites.

Rules (engine.check.figures, .names, .relevance): every figure must be in a cited
passage (or the question); every multi-word name and quotation in a cited passage, the
question or the outline; a cited sentence must be close enough to its best passage. An
uncited sentence is judged against all the section's citations; a section that cites
nothing has nothing to judge against and gets no flags. A cited passage no longer in the
library gives a "source" flag instead of being used."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from engine.check.figures import Figure, figures_in, nearest, supported
from engine.check.names import name_found, names_in, normalize, phrase_found, quotations_in
from engine.check.relevance import Relevance
from engine.check.sentences import split_sentences
from engine.check.types import FIGURE, NAME, RELEVANCE, SOURCE, Flag, Sentence
from engine.library.types import Passage


@dataclass
class Evidence:
    """What a section is checked against."""
    citations: dict[str, Passage]                  # the report's registry: key -> passage
    question: str = ""
    outline_text: str = ""                         # every title and plan
    missing: set[str] = field(default_factory=set)  # keys whose chunk left the library


@dataclass
class _Read:
    """A passage read once: its figures, its normalized text and words."""
    figures: list[Figure]
    text: str
    words: set[str]


class ClaimChecker:
    """Checks sections; keeps what it read of each passage (and, with `relevance`, their
    vectors) for the next section. Not thread-safe: one per run or per window."""

    def __init__(self, relevance: Relevance | None = None) -> None:
        self.relevance = relevance
        self._read: dict[str, _Read] = {}
        self.rule_seconds = 0.0

    def check(self, text: str | None, evidence: Evidence, *, section: str = "",
              node_id: str = "", title: str = "") -> list[Flag]:
        if not text:
            return []
        started = time.perf_counter()
        sentences = split_sentences(text)
        context = self._context(evidence)
        section_keys = list(dict.fromkeys(k for s in sentences for k in s.keys))
        flags: list[Flag] = []
        scored: list[tuple[Sentence, list[Passage]]] = []
        for sentence in sentences:
            make = _maker(sentence, section, node_id, title)
            flags += self._sources(sentence, evidence, make)
            keys = sentence.keys or section_keys
            usable = [evidence.citations[k] for k in keys
                      if k in evidence.citations and k not in evidence.missing]
            if not usable:
                continue
            used = [k for k in keys if k in evidence.citations and k not in evidence.missing]
            flags += self._rules(sentence, used, usable, context, make)
            if sentence.keys:
                scored.append((sentence, usable))
        self.rule_seconds += time.perf_counter() - started
        if self.relevance is not None and scored:
            flags += self._relevance(scored, section, node_id, title)
        return sorted(flags, key=lambda f: f.start)     # stable: rule order kept per sentence

    def _context(self, evidence: Evidence) -> _Read:
        extra = evidence.question + "\n" + evidence.outline_text
        text = normalize(extra)
        return _Read(figures_in(evidence.question), text, set(text.split()))

    def _passage(self, passage: Passage) -> _Read:
        read = self._read.get(passage.chunk_id)
        if read is None:
            text = normalize(passage.text)
            read = _Read(figures_in(passage.text), text, set(text.split()))
            self._read[passage.chunk_id] = read
        return read

    @staticmethod
    def _sources(sentence: Sentence, evidence: Evidence, make) -> list[Flag]:
        flags = []
        for key in sentence.keys:
            passage = evidence.citations.get(key)
            if passage is None:
                flags.append(make(SOURCE, f"cites {key}, which no passage of this report has",
                                  [key]))
            elif key in evidence.missing:
                where = ", ".join(x for x in (passage.title, passage.where()) if x)
                flags.append(make(SOURCE, f"source no longer in the library ({where})", [key]))
        return flags

    def _rules(self, sentence: Sentence, keys: list[str], usable: list[Passage],
               context: _Read, make) -> list[Flag]:
        reads = [self._passage(p) for p in usable]
        flags = []
        figures = [f for r in reads for f in r.figures]
        for figure in figures_in(sentence.plain, strict=True):
            if not sentence.keys and figure.value < 10 and not figure.text[:1].isdigit():
                continue    # "Two further causes:" counts the text's own items, not a claim
            if not supported(figure, figures + context.figures):
                close = nearest(figure, figures)
                said = f" (they say {close.text})" if close else ""
                flags.append(make(FIGURE, f"figure {figure.text} not in its sources{said}",
                                  keys, close.text if close else ""))
        haystack = " ".join(r.text for r in reads) + context.text
        words = set().union(context.words, *(r.words for r in reads))
        for name in names_in(sentence.plain):
            if not name_found(name, haystack, words):
                flags.append(make(NAME, f'name "{name}" not in its sources', keys))
        for quote in quotations_in(sentence.plain):
            if not phrase_found(quote, haystack):
                flags.append(make(NAME, f'quotation "{quote}" not in its sources', keys))
        return flags

    def _relevance(self, scored, section, node_id, title) -> list[Flag]:
        scores = self.relevance.scores([s.plain for s, _ in scored], [p for _, p in scored])
        flags = []
        for (sentence, _), score in zip(scored, scores):
            if score < self.relevance.threshold_for(sentence.plain):
                make = _maker(sentence, section, node_id, title)
                flags.append(make(RELEVANCE, "the cited passage does not seem to say this "
                                  f"(similarity {score:.2f})", sentence.keys))
        return flags


def _maker(sentence: Sentence, section: str, node_id: str, title: str):
    def make(kind: str, detail: str, keys: list[str], evidence: str = "") -> Flag:
        return Flag(section=section, sentence=sentence.plain, kind=kind, detail=detail,
                    keys=list(keys), node_id=node_id, title=title, start=sentence.start,
                    end=sentence.end, evidence=evidence)
    return make
