"""The claim check (engine.check) on a labelled set of real passages: precision and
recall per kind of error, the relevance curve and its chosen threshold, and the time
per 500-word section.

    .venv/bin/python tests/benchmarks/bench_claim_check.py [--per-kind 80 --zh-per-kind 25]

The set (claim_check_set.py) is built from FreshWiki paragraphs and Chinese passages;
each item is one sentence citing one passage. Targets: recall >= 95% for changed figures
and swapped names at precision >= 90%; under 50 ms of rules per 500-word section.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from claim_check_set import Item, build_set, freshwiki_passages  # noqa: E402

NEGATIVE = {"figure": ("supported", "name", "zh-supported"),
            "name": ("supported", "figure", "zh-supported", "zh-figure")}
POSITIVE = {"figure": ("figure", "zh-figure"), "name": ("name",)}


def rule_flags(items: list[Item]) -> list[set[str]]:
    from engine.check import ClaimChecker, Evidence

    checker = ClaimChecker()
    return [{f.kind for f in checker.check(item.sentence, Evidence(
        citations={"textid1": item.passage}, question=item.question))} for item in items]


def relevance_scores(items: list[Item]) -> list[float]:
    from engine.check.relevance import library_relevance
    from engine.check.sentences import split_sentences

    relevance = library_relevance(None)
    plain = [split_sentences(item.sentence)[0].plain for item in items]
    return relevance.scores(plain, [[item.passage] for item in items])


def report_rules(items: list[Item], flags: list[set[str]]) -> None:
    print(f"{'rule':8} {'tp':>4} {'fn':>4} {'fp':>4} {'recall':>7} {'precision':>9}")
    for rule, positive in POSITIVE.items():
        for scope, kinds in (("all", positive), *((k, (k,)) for k in positive if len(positive) > 1)):
            tp = sum(rule in f for i, f in zip(items, flags) if i.kind in kinds)
            fn = sum(rule not in f for i, f in zip(items, flags) if i.kind in kinds)
            negatives = NEGATIVE[rule] if scope == "all" else tuple(
                n for n in NEGATIVE[rule] if n.startswith("zh") == scope.startswith("zh"))
            fp = sum(rule in f for i, f in zip(items, flags) if i.kind in negatives)
            print(f"{rule + ('' if scope == 'all' else ':' + scope):8} {tp:4} {fn:4} {fp:4} "
                  f"{tp / max(1, tp + fn):7.1%} {tp / max(1, tp + fp):9.1%}")


def report_kinds(items: list[Item], flags: list[set[str]], scores: list[float]) -> None:
    """Share of each kind flagged, by any rule and by each (relevance at the engine's
    thresholds, Chinese sentences at their own)."""
    from engine.check.relevance import MINILM_CJK_THRESHOLD, THRESHOLD

    print(f"\n{'kind':13} {'n':>4} {'any flag':>9} {'figure':>7} {'name':>6} {'relev.':>7}")
    for kind in dict.fromkeys(i.kind for i in items):
        threshold = MINILM_CJK_THRESHOLD if kind.startswith("zh") else THRESHOLD
        rows = [(f, s) for i, f, s in zip(items, flags, scores) if i.kind == kind]
        n = len(rows)
        anyflag = sum(bool(f) or s < threshold for f, s in rows)
        print(f"{kind:13} {n:4} {anyflag / n:9.1%} {sum('figure' in f for f, _ in rows) / n:7.1%} "
              f"{sum('name' in f for f, _ in rows) / n:6.1%} "
              f"{sum(s < threshold for _, s in rows) / n:7.1%}")


def relevance_curve(items, scores, positives, negatives, label) -> float | None:
    """Print precision/recall per threshold; return the highest-recall threshold with
    precision >= 90% (None if none)."""
    pos = [s for i, s in zip(items, scores) if i.kind in positives]
    neg = [s for i, s in zip(items, scores) if i.kind in negatives]
    print(f"\nrelevance, {label}: {len(pos)} wrong citations vs {len(neg)} right ones "
          f"(median similarity {statistics.median(pos):.2f} vs {statistics.median(neg):.2f})")
    print(f"{'threshold':>9} {'recall':>7} {'precision':>9}")
    best = None
    for step in range(2, 15):
        t = round(step * 0.05, 2)
        tp, fp = sum(s < t for s in pos), sum(s < t for s in neg)
        recall, precision = tp / len(pos), tp / max(1, tp + fp)
        print(f"{t:9.2f} {recall:7.1%} {precision:9.1%}")
        if precision >= 0.9 and tp:
            best = t
    return best


def timing(freshwiki: Path, sections: int = 20) -> None:
    """Rules (and, apart, the embedding) per section of about 500 words with citations."""
    from engine.check import ClaimChecker, Evidence
    from engine.check.relevance import library_relevance

    articles = freshwiki_passages(freshwiki)
    built = []
    for topic in sorted(articles)[:sections]:
        citations, parts, words = {}, [], 0
        for n, passage in enumerate(articles[topic], start=1):
            citations[f"textid{n}"] = passage
            for paragraph in passage.text.split(". "):
                parts.append(f"{paragraph.strip()} \\cite{{textid{n}}}.")
                words += len(paragraph.split())
            if words >= 500:
                break
        if words >= 450:
            built.append((" ".join(parts), Evidence(citations=citations, question=topic)))
    rules, cold, warm = [], [], []
    relevance = library_relevance(None)
    relevance.scores(["warm up"], [[]])
    for text, evidence in built:
        checker = ClaimChecker()
        started = time.perf_counter()
        checker.check(text, evidence)
        rules.append(time.perf_counter() - started)
        checker.relevance = relevance
        for into in (cold, warm):
            before = relevance.seconds
            checker.check(text, evidence)
            into.append(relevance.seconds - before)
    words = statistics.mean(len(t.split()) for t, _ in built)
    print(f"\ntime per section ({len(built)} sections, {words:.0f} words on average):")
    for label, values in (("rules (figures, names, sources)", rules),
                          ("embedding, passages not yet seen", cold),
                          ("embedding, passages seen (sentences only)", warm)):
        ms = sorted(v * 1000 for v in values)
        print(f"  {label:42} median {statistics.median(ms):6.1f} ms, max {ms[-1]:6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=80)
    parser.add_argument("--zh-per-kind", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DEEPDRAFT_HOME", tempfile.mkdtemp(prefix="dd-check-"))
    shared = Path(os.environ.get("DEEPDRAFT_SHARED") or next(
        p / "shared" for p in HERE.parents if (p / "shared" / "corpus").is_dir()))
    corpus = shared / "corpus"
    from engine.check.relevance import MINILM_CJK_THRESHOLD, THRESHOLD

    items = build_set(corpus / "freshwiki" / "txt", corpus, args.seed, args.per_kind,
                      args.zh_per_kind)
    print(f"{len(items)} sentences: " + ", ".join(
        f"{k} {sum(i.kind == k for i in items)}" for k in dict.fromkeys(i.kind for i in items)))
    flags = rule_flags(items)
    scores = relevance_scores(items)
    report_rules(items, flags)
    english = relevance_curve(items, scores, ("wrong",), ("supported", "figure", "name"),
                              "English")
    chinese = relevance_curve(items, scores, ("zh-wrong",), ("zh-supported", "zh-figure"),
                              "Chinese (MiniLM)")
    print(f"\nhighest-recall threshold at precision >= 90%: English {english}, Chinese "
          f"{chinese}; the engine uses {THRESHOLD} and, for Chinese with MiniLM, "
          f"{MINILM_CJK_THRESHOLD}")
    report_kinds(items, flags, scores)
    timing(corpus / "freshwiki" / "txt")
    print(f"\nload average: {open('/proc/loadavg').read().split()[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
