"""Shared setup for the library benchmarks: a benchmark app-data folder and FreshWiki."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
# shared/ sits beside the main checkout; a worktree under wt/ finds it further up
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared" / "corpus").is_dir()),
              REPO.parent / "shared")
FRESHWIKI = SHARED / "corpus" / "freshwiki" / "txt"
BENCH_HOME = Path(os.environ.get("DEEPDRAFT_BENCH_HOME", "/tmp/deepdraft-bench-library"))
LIBRARY = "freshwiki"


def use_bench_home(home: Path = BENCH_HOME) -> Path:
    os.environ["DEEPDRAFT_HOME"] = str(home)
    return home


def freshwiki_library(hybrid: bool = True, home: Path = BENCH_HOME, files: int | None = None):
    """The FreshWiki library in the benchmark home, ingesting it first if needed (only the
    first `files` articles if given)."""
    from engine.library import open_library

    use_bench_home(home)
    lib = open_library(LIBRARY, server="", hybrid=hybrid)
    started = time.perf_counter()
    done = None
    for done in lib.ingest([FRESHWIKI] if files is None else freshwiki_files(files)):
        pass
    print(f"library ready: {lib.manifest.chunk_count()} chunks "
          f"({time.perf_counter() - started:.1f}s, {done.indexed} newly indexed)")
    return lib


def freshwiki_files(count: int | None = None) -> list[Path]:
    return sorted(FRESHWIKI.glob("*.txt"))[:count]


def heading_queries() -> list[tuple[str, str]]:
    """(query, expected file name): each article's title, and title + section heading."""
    skip = {"references", "see also", "external links", "notes", "further reading"}
    queries = []
    for path in freshwiki_files():
        title = path.stem.replace("_", " ")
        queries.append((title, path.name))
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# ") and line[2:].strip().lower() not in skip:
                queries.append((f"{title} {line[2:].strip()}", path.name))
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
