"""Is hybrid search never worse than its parts? hit@1 and hit@5 (a passage from the right
article) of vector-only, keyword-only (BM25), plain RRF fusion (before) and the library's
hybrid fusion (engine.library.retrieval.hybrid_fuse) fed BM25's top 40 of every match
(`allbm25`, before the keyword side ranked only texts holding half the query's words) and
as the library runs it (`hybrid`), on FreshWiki with two query sets:
keyword-like queries (article titles; section headings of three words or more on their
own) and hand-written paraphrases that share no content
word with the article's opening passage (data/paraphrases.py).

    .venv/bin/python tests/benchmarks/bench_library_fusion.py [--files N]
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from bench_library_common import FRESHWIKI, freshwiki_files, freshwiki_library, heading_queries

sys.path.insert(0, str(Path(__file__).parent / "data"))
from paraphrases import PARAPHRASES  # noqa: E402

_WORD = re.compile(r"\w+")


# Function words: sharing one of these is not sharing a content word.
FUNCTION = frozenset("""a about after all also among an and any are as at be been before
between both but by can did do does during each for from had has have he her his how i if
in into is it its may more most not of on one or our out over s she so some such than that
the their them then there these they this those through to under until up upon was we were
what when where which while who whom whose why will with within would you""".split())


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - FUNCTION


def paraphrase_set(names: set[str]) -> list[tuple[str, str]]:
    kept = []
    for query, name in PARAPHRASES:
        if name in names:
            opening = (FRESHWIKI / name).read_text(encoding="utf-8")[:600]
            if not words(query) & words(opening):
                kept.append((query, name))
    return kept


def ranked(lib, method: str, queries: list[str], k: int = 5):
    from engine.library import retrieval

    if method == "keyword":
        return [lib._passages(lib.manifest.bm25(retrieval.fts_query(q), 40), k) for q in queries]
    lib.hybrid = method != "vector"
    hits = retrieval.keyword_hits
    if method in ("rrf", "allbm25"):     # BM25's top 40 of every match, as before
        retrieval.keyword_hits = lambda manifest, text, limit: manifest.bm25(
            retrieval.fts_query(text), limit)
    if method == "rrf":      # the fusion before: plain reciprocal rank fusion
        lib._fuse = lambda query, vector, keyword: retrieval.rrf_fuse([vector, keyword])
    try:
        return lib._search_many(queries, k)
    finally:
        lib.__dict__.pop("_fuse", None)
        retrieval.keyword_hits = hits


def report(lib, label: str, queries: list[tuple[str, str]]) -> None:
    for method in ("vector", "keyword", "rrf", "allbm25", "hybrid"):
        results = ranked(lib, method, [q for q, _ in queries])
        right = [[Path(p.path).name == e for p in passages]
                 for (_, e), passages in zip(queries, results)]
        n = len(queries)
        print(f"{label:12s} {method:8s} hit@1 {sum(r[:1] == [True] for r in right) / n:.3f}  "
              f"hit@5 {sum(any(r) for r in right) / n:.3f}  ({n} queries)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=None)
    args = parser.parse_args()
    lib = freshwiki_library(files=args.files)
    names = {p.name for p in freshwiki_files(args.files)}
    queries = [(q, e) for q, e in heading_queries() if e in names]
    titles = [(q, e) for q, e in queries if q == e[:-4].replace("_", " ")]
    # a section heading alone (three words or more): keyword-like, and harder
    headings = [(q[len(e) - 3:].strip(), e) for q, e in queries if (q, e) not in titles
                and len(q[len(e) - 3:].split()) >= 3]
    print(f"load average {os.getloadavg()[0]:.1f}")
    report(lib, "titles", titles)
    report(lib, "headings", headings)
    report(lib, "paraphrases", paraphrase_set(names))
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
