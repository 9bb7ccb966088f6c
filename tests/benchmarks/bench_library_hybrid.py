"""Does lexical (BM25) fused with vectors (RRF) retrieve better than vectors alone?

FreshWiki: queries are each article's title, "title + section heading", and (harder) the
section headings of three or more words on their own; a hit is a passage from the right
article. Prints hit@1/5/10 and the share of the top 10 that comes
from the right article, for vector-only and hybrid search.
`--backend onnx|torch` embeds the library with that backend (a library per backend in
the benchmark home); `--query-backend` embeds the queries with another one (a library
embedded with one backend searched with the other). `--backends torch,onnx` runs them
all side by side in one process: each backend's own library and queries, then every
library queried with every other backend, one line per query set; `--files N` indexes
only the first N articles (and asks only their queries).
Run: .venv/bin/python tests/benchmarks/bench_library_hybrid.py [--backend onnx [--query-backend torch]]
     .venv/bin/python tests/benchmarks/bench_library_hybrid.py --backends torch,onnx [--vector-only] [--files N]
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench_library_common import (BENCH_HOME, freshwiki_files, freshwiki_library,
                                   heading_queries, use_bench_home)


def evaluate(lib, queries, label: str) -> dict:
    hits = {1: 0, 5: 0, 10: 0}
    precision = 0.0
    for start in range(0, len(queries), 32):
        batch = queries[start:start + 32]
        results = lib._search_many([q for q, _ in batch], 10)  # batched: same code path as search
        for (_, expected), passages in zip(batch, results):
            right = [Path(p.path).name == expected for p in passages]
            for k in hits:
                hits[k] += any(right[:k])
            precision += sum(right) / 10
    n = len(queries)
    print(f"{label:12s} hit@1 {hits[1] / n:.3f}  hit@5 {hits[5] / n:.3f}  "
          f"hit@10 {hits[10] / n:.3f}  right-article share of top 10 {precision / n:.3f}")
    return {k: v / n for k, v in hits.items()}


def query_sets(files: int | None = None) -> list[tuple[str, list]]:
    names = {p.name for p in freshwiki_files(files)}
    queries = [(q, e) for q, e in heading_queries() if e in names]
    titles = [(q, e) for q, e in queries if q == e[:-4].replace("_", " ")]
    sections = [(q, e) for q, e in queries if (q, e) not in titles]
    bare = [(q[len(e) - 3:].strip(), e) for q, e in sections if len(q[len(e) - 3:].split()) >= 3]
    print(f"{len(titles)} title, {len(sections)} title+heading, {len(bare)} bare heading queries")
    return [("titles", titles), ("title+head", sections), ("bare head", bare)]


def side_by_side(backends: list[str], modes: tuple[bool, ...], files: int | None) -> None:
    """Every backend's library with its own queries and with every other backend's."""
    libraries = {}
    for backend in backends:
        os.environ["DEEPDRAFT_EMBED_BACKEND"] = backend
        libraries[backend] = freshwiki_library(home=BENCH_HOME / f"hybrid-{backend}", files=files)
    sets = query_sets(files)
    sets.append(("all", [q for _, subset in sets for q in subset]))
    table = {}
    for embedded in backends:
        for queried in backends:
            os.environ["DEEPDRAFT_EMBED_BACKEND"] = queried
            lib = libraries[embedded]
            for name, subset in sets:
                for hybrid in modes:
                    lib.hybrid = hybrid
                    label = f"{embedded}/{queried} {name} {'hybrid' if hybrid else 'vector'}"
                    table[(embedded, queried, name, hybrid)] = evaluate(lib, subset, label)
    base = backends[0]
    print(f"\nlibrary/queries, points of hit@5 and hit@10 against {base}/{base}:")
    for (embedded, queried, name, hybrid), hits in table.items():
        ref = table[(base, base, name, hybrid)]
        print(f"{embedded:>5s}/{queried:5s} {name:10s} {'hybrid' if hybrid else 'vector':6s} "
              f"hit@5 {100 * hits[5]:5.1f} ({100 * (hits[5] - ref[5]):+.1f})  "
              f"hit@10 {100 * hits[10]:5.1f} ({100 * (hits[10] - ref[10]):+.1f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", help="embedding backend for the library (torch, onnx)")
    parser.add_argument("--query-backend", help="embedding backend for the queries")
    parser.add_argument("--backends", help="comma-separated, side by side: torch,onnx")
    parser.add_argument("--vector-only", action="store_true", help="with --backends")
    parser.add_argument("--files", type=int, help="with --backends: the first N articles only")
    args = parser.parse_args()
    if args.backends:
        side_by_side(args.backends.split(","), (False,) if args.vector_only else (False, True),
                     args.files)
        raise SystemExit
    if args.backend:
        os.environ["DEEPDRAFT_EMBED_BACKEND"] = args.backend
        use_bench_home(BENCH_HOME / f"hybrid-{args.backend}")
    lib = freshwiki_library(home=BENCH_HOME / f"hybrid-{args.backend}" if args.backend else BENCH_HOME)
    if args.query_backend:
        os.environ["DEEPDRAFT_EMBED_BACKEND"] = args.query_backend
    print(f"library embedded with {lib.embedding_backends()['recorded']}, queries with "
          f"{lib.embedding_backends()['requested']}")
    for name, subset in query_sets():
        for hybrid in (False, True):
            lib.hybrid = hybrid
            evaluate(lib, subset, f"{name}/{'hybrid' if hybrid else 'vector'}")
