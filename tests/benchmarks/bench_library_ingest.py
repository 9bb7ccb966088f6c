"""Library ingest: FreshWiki (100 articles) into an empty library, then re-scans.

Prints wall time, chunks/s, the share of time inside the embedding model, peak memory,
the unchanged re-scan time (in-process and as a fresh `deepdraft library add` process),
and a 10,000-file re-scan measured on the real re-scan path.
Run: .venv/bin/python tests/benchmarks/bench_library_ingest.py
"""
from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time

from bench_library_common import BENCH_HOME, FRESHWIKI, LIBRARY, REPO, use_bench_home


def ingest_fresh() -> None:
    from engine.library import open_library
    from engine.library.embedder import get_embedder

    shutil.rmtree(BENCH_HOME, ignore_errors=True)
    use_bench_home()
    started = time.perf_counter()
    get_embedder()
    print(f"model load: {time.perf_counter() - started:.2f}s (excluded below)")
    lib = open_library(LIBRARY, server="", hybrid=True)
    done = list(lib.ingest([FRESHWIKI]))[-1]
    print(f"ingest: {done.indexed} files, {done.chunks} chunks in {done.seconds:.1f}s "
          f"= {done.chunks / done.seconds:.1f} chunks/s")
    print(f"inside the embedding model: {done.embed_seconds:.1f}s "
          f"= {100 * done.embed_seconds / done.seconds:.1f}% of ingest time")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mib:.0f} MiB")
    again = list(lib.ingest([FRESHWIKI]))[-1]
    print(f"re-scan unchanged, in process: {again.skipped} skipped in {again.seconds * 1000:.1f} ms")


def rescan_cli() -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", "library", "add",
                    str(FRESHWIKI), "--library", LIBRARY], cwd=REPO, check=True,
                   capture_output=True, env={**__import__("os").environ})
    print(f"re-scan unchanged, `deepdraft library add` process: "
          f"{time.perf_counter() - started:.2f}s wall (interpreter start included)")


def rescan_ten_thousand() -> None:
    """10,000 small files recorded as indexed (no vectors needed: an unchanged re-scan
    never reaches Chroma), then the real re-scan over them."""
    from engine.library import open_library
    from engine.library.ingest import doc_id_for, file_sha256
    from engine.library.manifest import INDEXED, DocRecord

    folder = BENCH_HOME / "ten-thousand"
    folder.mkdir(parents=True, exist_ok=True)
    lib = open_library("rescan10k", server="")
    for n in range(10_000):
        path = folder / f"{n:05d}.txt"
        path.write_text(f"note {n}")
        stat = path.stat()
        lib.manifest.commit_indexed(DocRecord(doc_id_for(str(path)), str(path), stat.st_size,
                                              stat.st_mtime_ns, file_sha256(path), "", 0, 0,
                                              INDEXED, "", "", 0.0), [])
    done = list(lib.ingest([folder]))[-1]
    print(f"re-scan unchanged, 10,000 files: {done.skipped} skipped in {done.seconds:.2f}s "
          f"({done.seconds / 10_000 * 1e6:.0f} µs per file)")


if __name__ == "__main__":
    ingest_fresh()
    rescan_cli()
    rescan_ten_thousand()
