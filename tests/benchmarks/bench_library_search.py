"""Search latency (p50/p95), query embedding included, vector-only and hybrid:
on the FreshWiki library (~5,600 chunks) and on a 100,000-chunk library of synthetic
random unit vectors with random FreshWiki-vocabulary text (so BM25 has work to do).
Run: .venv/bin/python tests/benchmarks/bench_library_search.py
"""
from __future__ import annotations

import random
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


if __name__ == "__main__":
    random.seed(7)
    lib = freshwiki_library()
    queries = [q for q, _ in heading_queries()][:300]
    report(lib, queries, f"FreshWiki ({lib.manifest.chunk_count()} chunks)")
    vocabulary = sorted({w for q in lib.get_passages([f"{d.doc_id}:0" for d in lib.documents()])
                         for w in q.text.split() if w.isalpha()})
    big = build_synthetic(vocabulary)
    report(big, queries, f"synthetic ({big.manifest.chunk_count()} chunks)")
