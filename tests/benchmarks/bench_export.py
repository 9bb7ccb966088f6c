"""Export of a long report: 60 sections, 30,000 words, 40 sources, to .docx and .md.

    .venv/bin/python tests/benchmarks/bench_export.py [--sections 60] [--words 30000]

Target: the Word export under 2 s. Prints the best of three runs for each format.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from engine.export import export_docx, export_markdown  # noqa: E402
from tests.export.samples import large_report  # noqa: E402

TARGET_SECONDS = 2.0


def best_of(runs: int, action) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=60)
    parser.add_argument("--words", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report = large_report(args.sections, args.words)
    with tempfile.TemporaryDirectory() as folder:
        docx_s, result = best_of(args.runs, lambda: export_docx(report, Path(folder) / "r.docx"))
        md_s, _ = best_of(args.runs, lambda: export_markdown(report, Path(folder) / "r.md"))
        size_kb = result.path.stat().st_size / 1024
    verdict = "ok" if docx_s < TARGET_SECONDS else f"OVER the {TARGET_SECONDS:.0f} s target"
    print(f"report: {result.sections} sections, {args.words} words, "
          f"{result.citations} references")
    print(f"docx: {docx_s:.2f} s ({size_kb:.0f} KiB) -- {verdict}")
    print(f"markdown: {md_s:.3f} s")
    return 0 if docx_s < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
