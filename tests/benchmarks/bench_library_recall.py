"""Recall@10 of the vector search against exact (brute-force cosine) search over the same
stored vectors, on four libraries: FreshWiki; one file repeating a paragraph 3,000 times
beside 20 ordinary documents; 50 documents sharing a 200-word disclaimer; 1,000
near-identical log lines (one file each).

For each library it prints recall@10 of
- before: one vector per chunk (as before repeated text was stored once) in an HNSW graph
  with the store's settings: the same vectors, copied per chunk into a scratch collection;
- hnsw:   the library's own collection (one vector per distinct text) through its graph;
- search: what `ChromaStore.query` answers (exact up to EXACT_MAX vectors, HNSW above);
and the time per query of exact search and of the graph. Recall counts ties: a returned
vector is right when its exact distance is within the 10th best exact distance.

    .venv/bin/python tests/benchmarks/bench_library_recall.py [--freshwiki 100] [--queries 60]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench_library_common import freshwiki_files, freshwiki_library, heading_queries

K = 10
PARAGRAPH = ("Routine notice: the shared drive will be backed up tonight between midnight "
             "and two in the morning. Files saved during that window may not be included, "
             "so please save your work before you leave and log out of the workstation.")
DISCLAIMER_WORDS = ("This report was prepared as an account of work sponsored by an agency of "
                    "the government. Neither the government nor any agency thereof, nor any of "
                    "their employees, makes any warranty, express or implied, or assumes any "
                    "legal liability or responsibility for the accuracy, completeness, or "
                    "usefulness of any information, apparatus, product, or process disclosed, "
                    "or represents that its use would not infringe privately owned rights. ")


def disclaimer() -> str:
    words = (DISCLAIMER_WORDS * 4).split()[:200]
    return " ".join(words)


def intro(path: Path, chars: int = 1500) -> str:
    return path.read_text(encoding="utf-8")[:chars]


def sentences(text: str, count: int) -> list[str]:
    found = [s.strip() for s in text.replace("\n", " ").split(". ") if len(s.split()) >= 6]
    return found[:count]


def build_repeated(folder: Path) -> list[str]:
    (folder / "notices.txt").write_text((PARAGRAPH + "\n\n") * 3000, encoding="utf-8")
    queries = [PARAGRAPH, "when is the shared drive backed up"]
    for path in freshwiki_files(20):
        (folder / path.name).write_text(intro(path), encoding="utf-8")
        queries += [path.stem.replace("_", " ")] + sentences(intro(path), 2)
    return queries


def build_disclaimer(folder: Path) -> list[str]:
    queries = [disclaimer()[:300], "who is liable for the accuracy of this information"]
    for path in freshwiki_files(50):
        (folder / path.name).write_text(f"{intro(path)}\n\n# Disclaimer\n\n{disclaimer()}\n",
                                        encoding="utf-8")
        queries += [path.stem.replace("_", " ")]
    return queries


def log_line(rng: random.Random) -> str:
    return (f"2026-03-0{rng.randint(1, 9)}T{rng.randint(10, 23)}:{rng.randint(10, 59)}:"
            f"{rng.randint(10, 59)}Z INFO worker-{rng.randint(1, 8)} request "
            f"{rng.randint(10000, 99999)} served in {rng.randint(3, 90)} ms status 200")


def build_logs(folder: Path) -> list[str]:
    rng = random.Random(5)
    for n in range(1000):
        (folder / f"line{n:04d}.log.txt").write_text(log_line(rng), encoding="utf-8")
    return [log_line(rng) for _ in range(40)] + ["request served with status 200",
                                                 "worker 3 slow request"]


def ingest(name: str, folder: Path):
    from engine.library import open_library

    lib = open_library(name, server="", hybrid=False)
    started = time.perf_counter()
    for done in lib.ingest([folder]):
        pass
    print(f"{name}: {lib.manifest.chunk_count()} chunks, {lib.store.count()} vectors "
          f"({done.indexed} files indexed in {time.perf_counter() - started:.0f}s)", flush=True)
    return lib


def per_chunk_collection(lib, exact, scratch: Path):
    """The 'before' layout: one vector per chunk row (copies of the shared vectors), in a
    graph with the store's HNSW settings."""
    import chromadb

    from engine.library.exact_index import ExactIndex
    from engine.library.vector_store import HNSW_CONFIG
    from engine.offline import chroma_settings

    keys = {k: i for i, k in enumerate(exact.ids)}
    rows = lib.manifest._db.execute("SELECT chunk_id, text_key FROM chunks").fetchall()
    rows = [(c, keys[k]) for c, k in rows if k in keys]
    client = chromadb.PersistentClient(path=str(scratch), settings=chroma_settings())
    collection = client.get_or_create_collection(f"before-{lib.name}", configuration=HNSW_CONFIG,
                                                 embedding_function=None)
    for start in range(0, len(rows), 5000):
        part = rows[start:start + 5000]
        collection.add(ids=[c for c, _ in part], embeddings=exact.matrix[[i for _, i in part]])
    ids = [c for c, _ in rows]
    return collection, ExactIndex(ids, exact.matrix[[i for _, i in rows]])


def hnsw_query(collection, vectors) -> tuple[list[list[str]], float]:
    started = time.perf_counter()
    result = collection.query(query_embeddings=vectors, n_results=K, include=[])
    return result["ids"], (time.perf_counter() - started) * 1000 / len(vectors)


def recall(truth, returned: list[list[str]], vectors) -> float:
    """Share of the true top-10 found, ties counted: a returned id is right when its exact
    distance is no worse than the 10th best exact distance."""
    position = {key: i for i, key in enumerate(truth.ids)}
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = unit @ truth.matrix.T
    found = 0
    for row, ids in zip(similarity, returned):
        k = min(K, len(row))
        tenth = np.partition(-row, k - 1)[k - 1]
        found += min(k, sum(-row[position[i]] <= tenth + 1e-6 for i in set(ids) if i in position))
    return found / (K * len(returned))


def measure(lib, queries: list[str], scratch: Path) -> dict:
    from engine.library.embedder import get_embedder

    vectors = np.asarray(get_embedder(lib.model).encode_queries(queries), dtype=np.float32)
    exact = lib.store.all_vectors()
    started = time.perf_counter()
    exact_hits = exact.query(vectors, K)
    exact_ms = (time.perf_counter() - started) * 1000 / len(queries)
    assert recall(exact, [[h.key for h in hits] for hits in exact_hits], vectors) == 1.0
    graph_ids, graph_ms = hnsw_query(lib.store.collection, vectors)
    searched = [[h.key for h in hits] for hits in lib.store.query(vectors, K)]
    before, before_exact = per_chunk_collection(lib, exact, scratch)
    before_ids, _ = hnsw_query(before, vectors)
    return {"chunks": lib.manifest.chunk_count(), "vectors": exact.count,
            "before": recall(before_exact, before_ids, vectors),
            "hnsw": recall(exact, graph_ids, vectors), "search": recall(exact, searched, vectors),
            "exact_ms": exact_ms, "hnsw_ms": graph_ms, "queries": len(queries)}


def exact_scaling(sizes=(5_000, 20_000, 50_000, 100_000), queries: int = 20) -> None:
    """Time of exact search alone per query over random unit vectors (MiniLM's 384
    dimensions), to place EXACT_MAX."""
    from engine.library.exact_index import ExactIndex, _unit

    rng = np.random.default_rng(3)
    for size in sizes:
        index = ExactIndex([str(i) for i in range(size)],
                           _unit(rng.standard_normal((size, 384)).astype(np.float32)))
        probe = rng.standard_normal((1, 384)).astype(np.float32)
        times = []
        for _ in range(queries):
            started = time.perf_counter()
            index.query(probe, K)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"exact search over {size:>7,} vectors: median {times[len(times) // 2]:.1f} ms, "
              f"p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms per query", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--freshwiki", type=int, default=100, help="articles (default all)")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--only", help="comma-separated: freshwiki,repeated,disclaimer,logs")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    exact_scaling()
    work = Path(tempfile.mkdtemp(prefix="dd-recall-"))
    results = {}
    try:
        for name in (args.only or "freshwiki,repeated,disclaimer,logs").split(","):
            results[name] = run_one(name, args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'library':11s} {'chunks':>7s} {'vectors':>7s} {'before':>7s} {'hnsw':>7s} "
          f"{'search':>7s} {'exact ms':>9s} {'hnsw ms':>8s}")
    for name, r in results.items():
        print(f"{name:11s} {r['chunks']:7d} {r['vectors']:7d} {r['before']:7.3f} {r['hnsw']:7.3f} "
              f"{r['search']:7.3f} {r['exact_ms']:9.2f} {r['hnsw_ms']:8.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


def run_one(name: str, args, work: Path) -> dict:
    if name == "freshwiki":
        lib = freshwiki_library(hybrid=False, files=None if args.freshwiki >= 100 else args.freshwiki)
        queries = [q for q, _ in heading_queries()]
        queries = random.Random(1).sample(queries, min(args.queries, len(queries)))
    else:
        folder = work / name
        folder.mkdir()
        queries = {"repeated": build_repeated, "disclaimer": build_disclaimer,
                   "logs": build_logs}[name](folder)
        os.environ["DEEPDRAFT_HOME"] = str(work / "home")
        lib = ingest(f"recall-{name}", folder)
    try:
        return measure(lib, queries[:args.queries], work / f"before-{name}")
    finally:
        lib.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
