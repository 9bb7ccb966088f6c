"""Search latency (p50/p95), query embedding included, vector-only and hybrid:
on the FreshWiki library (~5,600 chunks) and on a 100,000-chunk library of synthetic
random unit vectors with random FreshWiki-vocabulary text (so BM25 has work to do).
Run: .venv/bin/python tests/benchmarks/bench_library_search.py
`--trees OLD,NEW [--rounds 3]`: the 100,000-chunk library (built by a plain run first)
searched by two checkouts of the engine (e.g. `git archive BASE engine` unpacked in a
folder, and this one), each round a fresh process per tree, interleaved, so both see the
same load: p50/p95 per round and the medians.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from bench_library_common import BENCH_HOME, freshwiki_library, heading_queries, percentile

SYNTHETIC = "synthetic100k"
N_SYNTHETIC = 100_000
PER_DOC = 1_000


def latencies(lib, queries: list[str], k: int = 10) -> tuple[float, float]:
    lib.search(queries[0], k)  # warm: model loaded, collection opened
    times = []
    for query in queries:
        started = time.perf_counter()
        lib.search(query, k)
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95)


def report(lib, queries: list[str], label: str) -> None:
    for hybrid in (False, True):
        lib.hybrid = hybrid
        p50, p95 = latencies(lib, queries)
        print(f"{label:28s} {'hybrid' if hybrid else 'vector':6s} "
              f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({len(queries)} queries, k=10)")


def build_synthetic(vocabulary: list[str]):
    """100 documents x 1,000 chunks, written through the library's own store and manifest."""
    from engine.library import open_library
    from engine.library.manifest import INDEXED, ChunkRow, DocRecord

    lib = open_library(SYNTHETIC, server="")
    if lib.manifest.chunk_count() >= N_SYNTHETIC:
        return lib
    rng, started = np.random.default_rng(7), time.perf_counter()
    for doc in range(N_SYNTHETIC // PER_DOC):
        doc_id, path = f"synthetic{doc:03d}", f"/synthetic/{doc:03d}.txt"
        vectors = rng.standard_normal((PER_DOC, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        texts = [" ".join(random.choices(vocabulary, k=70)) for _ in range(PER_DOC)]
        rows = [ChunkRow(f"{doc_id}:{n}", doc_id, n, t, None, "", [], 0, 0)
                for n, t in enumerate(texts)]
        lib.store.add([r.text_key for r in rows], vectors)   # one vector per text key
        lib.manifest.commit_indexed(DocRecord(doc_id, path, 0, 0, "", doc_id, 0, PER_DOC,
                                              INDEXED, "", "", 0.0), rows)
    print(f"built {N_SYNTHETIC} synthetic chunks in {time.perf_counter() - started:.0f}s "
          f"(kept in {BENCH_HOME})")
    return lib


TREE_SCRIPT = """
import json, sys, time
from engine.library import open_library
queries = json.load(open(sys.argv[1]))
lib = open_library(sys.argv[2], server="")
out = {}
for hybrid in (False, True):
    lib.hybrid = hybrid
    lib.search(queries[0], 10)
    times, cpu = [], time.process_time()
    for q in queries:
        started = time.perf_counter()
        lib.search(q, 10)
        times.append((time.perf_counter() - started) * 1000)
    out["hybrid" if hybrid else "vector"] = [sorted(times),
                                             (time.process_time() - cpu) * 1000 / len(queries)]
print(json.dumps(out))
"""


def compare_trees(trees: list[str], rounds: int, queries: list[str]) -> None:
    """Vector and hybrid latency at 100,000 chunks, per checkout, interleaved rounds."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(queries, handle)
    p95: dict[tuple[str, str], list[float]] = {}
    for number in range(rounds):
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": tree, "DEEPDRAFT_HOME": str(BENCH_HOME)}
            load = os.getloadavg()[0]
            out = subprocess.run([sys.executable, "-c", TREE_SCRIPT, handle.name, SYNTHETIC],
                                 env=env, capture_output=True, text=True, check=True, cwd=tree)
            for mode, (times, cpu) in json.loads(out.stdout.strip().splitlines()[-1]).items():
                p95.setdefault((tree, mode), []).append(percentile(times, 0.95))
                print(f"round {number + 1} {tree:24s} {mode:6s} p50 {percentile(times, 0.5):6.1f}"
                      f" ms  p95 {percentile(times, 0.95):6.1f} ms  CPU {cpu:5.1f} ms/query "
                      f"(load {load:.1f})", flush=True)
    for (tree, mode), values in p95.items():
        print(f"median p95 {tree:24s} {mode:6s} {statistics.median(values):6.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", help="comma-separated checkout folders, e.g. before,after")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    random.seed(7)
    if args.trees:
        compare_trees(args.trees.split(","), args.rounds,
                      [q for q, _ in heading_queries()][:300])
        raise SystemExit(0)
    lib = freshwiki_library()
    queries = [q for q, _ in heading_queries()][:300]
    report(lib, queries, f"FreshWiki ({lib.manifest.chunk_count()} chunks)")
    vocabulary = sorted({w for q in lib.get_passages([f"{d.doc_id}:0" for d in lib.documents()])
                         for w in q.text.split() if w.isalpha()})
    big = build_synthetic(vocabulary)
    report(big, queries, f"synthetic ({big.manifest.chunk_count()} chunks)")
