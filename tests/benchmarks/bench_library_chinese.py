"""Chinese retrieval: hit@5 on a small Chinese document set (tests/benchmarks/data/zh_docs.py,
20 one-chunk documents, 20 keyword queries with one right document each) for keyword
(BM25) search, vector search and hybrid (both fused) search.

    .venv/bin/python tests/benchmarks/bench_library_chinese.py [--model FOLDER --prefix "Query: "]

`--model` indexes with another sentence-transformers folder (e.g. MiniCPM-Embedding-Light,
query prefix "Query: "); the default is the bundled MiniLM.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "data"))
sys.path.insert(0, str(HERE.parents[1]))

from zh_docs import QUERIES, write_docs  # noqa: E402


def hit_at_5(found: list[list[str]]) -> float:
    expected = list(QUERIES.values())
    return sum(e in names[:5] for e, names in zip(expected, found)) / len(expected)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    os.environ.setdefault("DEEPDRAFT_HOME", tempfile.mkdtemp(prefix="dd-zh-"))
    from engine.library import open_library
    from engine.library.retrieval import fts_query

    folder = Path(tempfile.mkdtemp(prefix="zh-docs-"))
    write_docs(folder)
    extra = {"query_prefix": args.prefix} if args.prefix else {}
    lib = open_library("zh-bench", model=args.model, hybrid=False, **extra)
    for _ in lib.ingest([folder]):
        pass
    names = {c.text_key: Path(lib.get_passages([c.chunk_id])[0].path).stem
             for c in lib.manifest.chunks([c.chunk_id for c in _chunks(lib)]).values()}
    queries = list(QUERIES)
    keyword = [[names[c] for c, _ in lib.manifest.bm25(fts_query(q), 5)] for q in queries]
    vector = [[Path(p.path).stem for p in lib.search(q, k=5)] for q in queries]
    lib.hybrid = True
    hybrid = [[Path(p.path).stem for p in lib.search(q, k=5)] for q in queries]
    print(f"Chinese hit@5 over {len(queries)} queries: keyword {hit_at_5(keyword):.2f}  "
          f"vector {hit_at_5(vector):.2f}  hybrid {hit_at_5(hybrid):.2f}")
    lib.close()
    return 0


def _chunks(lib):
    from types import SimpleNamespace

    rows = lib.manifest._db.execute("SELECT chunk_id FROM chunks").fetchall()
    return [SimpleNamespace(chunk_id=r[0]) for r in rows]


if __name__ == "__main__":
    sys.exit(main())
