"""The labelled sentence set of bench_claim_check.py, built from real passages: FreshWiki
paragraphs (English) and Chinese passages (data/zh_docs.py and the Chinese scoring
criteria of DeepResearch Bench). Every item is one sentence citing one passage.

Kinds: supported (a sentence of the passage, lightly reworded), figure (one number
changed, in digits or in words), name (a multi-word name replaced by one from another
article), wrong (the citation points at a passage of another article), and the same
supported / figure / wrong kinds in Chinese. A change the passage would still support
(the new number or name occurs in it elsewhere) is not made: the check cannot know."""
from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from engine.check.figures import figures_in, supported
from engine.check.names import name_found, names_in, normalize, phrase_found
from engine.check.sentences import split_sentences
from engine.library.types import Passage

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "data"))

_REWORD = [(r"\bapproximately\b", "about"), (r"\bHowever, ", ""), (r"\bbegan\b", "started"),
           (r"\blarge\b", "big"), (r"\balso ", ""), (r"\bvery ", ""), (r"\bIn addition, ", ""),
           (r"\bwhich was\b", "that was"), (r"\bsaid\b", "stated"), (r"\bkilled\b", "left dead"),
           (r"\bdue to\b", "because of"), (r"\bwas held\b", "took place")]
_WORD_SWAP = {"two": "four", "three": "seven", "four": "nine", "five": "eight", "six": "eleven",
              "seven": "three", "eight": "five", "nine": "two", "ten": "twelve",
              "twenty": "forty", "thirty": "sixty", "hundred": "thousand",
              "thousand": "million", "million": "billion", "billion": "million"}
_ZH_SWAP = {"一": "七", "二": "六", "两": "六", "三": "八", "四": "九", "五": "八",
            "六": "二", "七": "三", "八": "四", "九": "五", "十": "二十", "百": "千", "千": "万"}


@dataclass
class Item:
    kind: str            # supported | figure | name | wrong | zh-supported | zh-figure | zh-wrong
    sentence: str        # Markdown, with its cite command
    passage: Passage     # what it cites
    question: str


def freshwiki_passages(folder: Path) -> dict[str, list[Passage]]:
    """Article -> its paragraphs of 200-1,500 characters (headings dropped)."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        topic = path.stem
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")]
        out[topic] = [Passage(chunk_id=f"{topic}:{i}", text=p, doc_id=topic, path=str(path),
                              title=topic.replace("_", " "))
                      for i, p in enumerate(paragraphs)
                      if 200 <= len(p) <= 1500 and not p.startswith("#")]
    return {t: ps for t, ps in out.items() if ps}


def chinese_passages(corpus: Path) -> list[Passage]:
    from zh_docs import DOCS

    texts = list(DOCS.values())
    criteria = corpus / "deep_research_bench" / "criteria.jsonl"
    for line in criteria.read_text(encoding="utf-8").splitlines():
        for group in json.loads(line).get("criterions", {}).values():
            texts += [c["explanation"] for c in group if re.search("[\u4e00-\u9fff]", c["explanation"])]
    return [Passage(chunk_id=f"zh:{i}", text=t, doc_id=f"zh{i}", path="", title=f"zh{i}")
            for i, t in enumerate(texts)]


def _sentences(passage: Passage, lo: int = 40, hi: int = 400) -> list[str]:
    return [s.plain for s in split_sentences(passage.text) if lo <= len(s.plain) <= hi]


def _cite(sentence: str) -> str:
    body = sentence.rstrip()
    end = body[-1] if body and body[-1] in ".。!?！？" else ""
    return f"{body[:len(body) - len(end)]} \\cite{{textid1}}{end}"


def reword(sentence: str) -> str:
    for pattern, repl in _REWORD:
        sentence = re.sub(pattern, repl, sentence)
    return sentence[:1].upper() + sentence[1:]


def change_figure(sentence: str, passage: Passage, rng: random.Random) -> str | None:
    evidence = figures_in(passage.text)
    for figure in rng.sample(figures_in(sentence, strict=True), k=len(figures_in(sentence, strict=True))):
        new = _changed(figure.text, rng)
        if new is None or new == figure.text:
            continue
        changed = sentence.replace(figure.text, new, 1)
        moved = [f for f in figures_in(changed, strict=True) if not supported(f, evidence)]
        if moved:          # the new number is not elsewhere in the passage
            return changed
    return None


def _changed(text: str, rng: random.Random) -> str | None:
    lowered = text.lower()
    for word, other in _WORD_SWAP.items():
        if re.search(rf"\b{word}\b", lowered):
            return re.sub(rf"\b{word}\b", other, text, count=1, flags=re.I)
    for char, other in _ZH_SWAP.items():
        if char in text and not re.search(r"\d", text):
            return text.replace(char, other, 1)
    digits = re.search(r"\d[\d,]*(\.\d+)?", text)
    if not digits:
        return None
    raw = digits.group(0)
    value = float(raw.replace(",", ""))
    if digits.group(1):
        new = f"{value + rng.choice([1.5, 2.5, -0.7]):.{len(digits.group(1)) - 1}f}"
    elif 1900 <= value <= 2100 and "," not in raw:
        new = str(int(value) + rng.choice([-3, -2, 2, 3]))
    else:
        bumped = int(value + max(1, round(value * rng.choice([0.3, 0.5, 0.8]))))
        new = f"{bumped:,}" if "," in raw else str(bumped)
    return text.replace(raw, new, 1)


def swap_name(sentence: str, passage: Passage, pool: list[str], rng: random.Random) -> str | None:
    haystack = normalize(passage.text)
    words = set(haystack.split())
    for name in names_in(sentence):
        if not phrase_found(name, haystack):
            continue
        for other in rng.sample(pool, k=min(20, len(pool))):
            if not name_found(other, haystack, words):
                return sentence.replace(re.sub(r"['’]s?$", "", name), other, 1)
    return None


def build_set(freshwiki: Path, corpus: Path, seed: int = 7, per_kind: int = 80,
              zh_per_kind: int = 25) -> list[Item]:
    rng = random.Random(seed)
    articles = freshwiki_passages(freshwiki)
    topics = sorted(articles)
    pool_of = {t: sorted({n for p in ps for n in names_in(p.text) if phrase_found(n, normalize(p.text))})
               for t, ps in articles.items()}
    candidates = [(t, p, s) for t in topics for p in articles[t] for s in _sentences(p)]
    rng.shuffle(candidates)
    items: list[Item] = []
    counts = dict.fromkeys(("supported", "figure", "name", "wrong"), 0)
    for topic, passage, sentence in candidates:
        question = topic.replace("_", " ")
        for kind in sorted(counts, key=counts.get):
            if counts[kind] >= per_kind:
                continue
            made = _make(kind, sentence, passage, topic, topics, articles, pool_of, rng)
            if made is not None:
                items.append(Item(kind, _cite(made[0]), made[1], question))
                counts[kind] += 1
                break
    return items + chinese_set(chinese_passages(corpus), rng, zh_per_kind)


def _make(kind, sentence, passage, topic, topics, articles, pool_of, rng):
    if kind == "supported":
        return reword(sentence), passage
    if kind == "figure":
        changed = change_figure(sentence, passage, rng)
        return (changed, passage) if changed else None
    if kind == "name":
        others = [n for t in rng.sample(topics, 8) if t != topic for n in pool_of[t]]
        swapped = swap_name(sentence, passage, others, rng) if others else None
        return (swapped, passage) if swapped else None
    other = rng.choice([t for t in topics if t != topic])
    return reword(sentence), rng.choice(articles[other])


def chinese_set(passages: list[Passage], rng: random.Random, per_kind: int) -> list[Item]:
    candidates = [(p, s) for p in passages for s in _sentences(p, 12, 200)]
    rng.shuffle(candidates)
    items: list[Item] = []
    counts = dict.fromkeys(("zh-supported", "zh-figure", "zh-wrong"), 0)
    for passage, sentence in candidates:
        for kind in sorted(counts, key=counts.get):
            if counts[kind] >= per_kind:
                continue
            if kind == "zh-figure":
                changed = change_figure(sentence, passage, rng)
                if not changed:
                    continue
                items.append(Item(kind, _cite(changed), passage, ""))
            elif kind == "zh-wrong":
                other = rng.choice([p for p in passages if p.doc_id != passage.doc_id])
                items.append(Item(kind, _cite(sentence), other, ""))
            else:
                items.append(Item(kind, _cite(sentence), passage, ""))
            counts[kind] += 1
            break
    return items
