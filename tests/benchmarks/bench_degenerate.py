"""The degenerate-write detector (engine.warp.degenerate) against real prose and real loops.

Prints, over every FreshWiki article cut into section-sized texts, how many the detector
flags (false positives; target 0) and the highest score of each measure next to its
threshold; then how many recorded degenerate writes it catches (target all). With
`--project FILE.ddproj ...` it also scores every write reply of recorded runs (to find
new degenerate samples among a model's replies).

    .venv/bin/python tests/benchmarks/bench_degenerate.py [--corpus DIR] [--project P ...]
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from engine.warp import degenerate as dg  # noqa: E402
from engine.warp.parse import InvalidReply, split_reply  # noqa: E402
from engine.warp.prompts import WRITE_TEMPLATE  # noqa: E402
from tests.warp.degenerate_samples import degenerate_samples, freshwiki_sections  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "freshwiki" / "txt"


def scores(text: str) -> dict:
    return {"share": dg.repeated_share(text), "line": dg.most_repeated_line(text)[1],
            "echo": len(dg.echoed_instructions(text, WRITE_TEMPLATE)),
            "flagged": bool(dg.degenerate_problems(text, WRITE_TEMPLATE))}


def prose_report(corpus: Path) -> None:
    sections = freshwiki_sections(corpus)
    scored = [(name, scores(text)) for name, text in sections]
    flagged = [name for name, s in scored if s["flagged"]]
    articles = len({name.split(":")[0] for name, _ in sections})
    print(f"FreshWiki: {len(sections)} section texts from {articles} articles, "
          f"{len(flagged)} flagged (false positives)")
    for name in flagged:
        print(f"  flagged: {name}")
    top = max(scored, key=lambda item: item[1]["share"])
    print(f"  highest repeated {dg.NGRAM}-word share {top[1]['share']:.3f} "
          f"(threshold {dg.MAX_REPEATED_SHARE}) in {top[0]}")
    top = max(scored, key=lambda item: item[1]["line"])
    print(f"  most repeats of one line of {dg.LINE_WORDS}+ words: {top[1]['line']} "
          f"(allowed {dg.MAX_LINE_REPEATS}) in {top[0]}")
    echoing = sum(1 for _, s in scored if s["echo"])
    print(f"  texts sharing {dg.ECHO_WORDS} words in a row or a header with the write "
          f"template: {echoing}")


def degenerate_report() -> None:
    samples = degenerate_samples()
    caught = 0
    print(f"\nDegenerate samples ({len(samples)}):")
    for sample in samples:
        s = scores(sample["text"])
        caught += s["flagged"]
        print(f"  {'caught' if s['flagged'] else 'MISSED'}  share {s['share']:.2f}  "
              f"line x{s['line']}  echoes {s['echo']}  words {len(sample['text'].split())}"
              f"  {sample['source']}")
    print(f"detected {caught} of {len(samples)}")


def project_report(paths: list[Path]) -> None:
    for path in paths:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = db.execute("SELECT step, raw_reply, valid, problems FROM steps "
                          "WHERE kind = 'write' ORDER BY step").fetchall()
        print(f"\n{path}: {len(rows)} write replies")
        for step, reply, valid, problems in rows:
            try:
                body = split_reply(reply)[1]
            except InvalidReply:
                continue
            s = scores(body)
            words = len(body.split())
            print(f"  step {step:3d} valid {valid} {'FLAGGED' if s['flagged'] else 'ok     '}"
                  f" share {s['share']:.2f} line x{s['line']} echoes {s['echo']} "
                  f"words {words}  {json.loads(problems)[:1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--project", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    prose_report(args.corpus)
    degenerate_report()
    project_report(args.project)


if __name__ == "__main__":
    main()
