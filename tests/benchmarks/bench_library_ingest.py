"""Library ingest: FreshWiki (100 articles) into an empty library, then re-scans.

Prints wall time, chunks/s, the share of time inside the embedding model, peak memory,
the unchanged re-scan time (in-process and as a fresh `deepdraft library add` process),
and a 10,000-file re-scan measured on the real re-scan path.
`--backends torch,onnx` instead compares embedding backends side by side: each round
ingests the same files (`--files N`, the first N FreshWiki articles) into a fresh library
per backend, interleaved, and prints chunks/s per round, best and median, and chunks per
CPU-second of this process (a figure that other processes' load disturbs less).
`--processes torch,onnx` compares whole `deepdraft library add` processes as a user runs
them: per backend a fresh library, a warm-up `library add` of `--warmup` articles, then at
once the timed `library add` of `--files` articles (its wall and CPU time, and the
threads it chose: a choice that counted the warm-up's own work would take fewer).
`--trees OLD,NEW` compares two checkouts of the engine the same way (a fresh process per
round and tree, PYTHONPATH set to the tree), for before/after figures of a change.
Run: .venv/bin/python tests/benchmarks/bench_library_ingest.py [--backends torch,onnx --files 30 --rounds 2]
     .venv/bin/python tests/benchmarks/bench_library_ingest.py --processes torch,onnx --files 20
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
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


def fresh_subset(files: int):
    """The first `files` FreshWiki articles copied into an emptied bench folder."""
    subset = BENCH_HOME / "subset"
    shutil.rmtree(BENCH_HOME, ignore_errors=True)
    subset.mkdir(parents=True)
    for path in sorted(FRESHWIKI.glob("*.txt"))[:files]:
        shutil.copy(path, subset / path.name)
    return subset


def compare_backends(backends: list[str], files: int, rounds: int) -> None:
    from engine.library import open_library
    from engine.library.embedder import get_embedder
    from engine.llm.placement import thread_count

    subset = fresh_subset(files)
    print(f"{files} FreshWiki files, {rounds} interleaved rounds; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, {thread_count()} threads")
    for backend in backends:  # export / load outside the timings
        started = time.perf_counter()
        get_embedder(backend=backend)
        print(f"{backend}: model load (and first-time export) {time.perf_counter() - started:.1f}s")
    rates: dict[str, list[float]] = {b: [] for b in backends}
    per_cpu: dict[str, list[float]] = {b: [] for b in backends}
    for number in range(rounds):
        for backend in backends:
            os.environ["DEEPDRAFT_EMBED_BACKEND"] = backend
            home = use_bench_home(BENCH_HOME / f"{backend}-{number}")
            shutil.rmtree(home / "libraries", ignore_errors=True)
            lib = open_library(LIBRARY, server="", hybrid=True)
            cpu = time.process_time()
            done = list(lib.ingest([subset]))[-1]
            cpu = time.process_time() - cpu
            lib.close()
            rates[backend].append(done.chunks / done.seconds)
            per_cpu[backend].append(done.chunks / cpu)
            print(f"round {number + 1} {backend:6s} {done.chunks} chunks in {done.seconds:.1f}s "
                  f"= {rates[backend][-1]:.1f} chunks/s, {per_cpu[backend][-1]:.1f} per CPU-s "
                  f"(embedding {100 * done.embed_seconds / done.seconds:.0f}%, "
                  f"load {os.getloadavg()[0]:.1f})")
    base, cpu_base = max(rates[backends[0]]), max(per_cpu[backends[0]])
    for backend in backends:
        print(f"{backend:6s} best {max(rates[backend]):.1f} median {statistics.median(rates[backend]):.1f} "
              f"chunks/s = {max(rates[backend]) / base:.2f}x {backends[0]}; best "
              f"{max(per_cpu[backend]):.1f} chunks per CPU-s = {max(per_cpu[backend]) / cpu_base:.2f}x")


def library_add(folder, home, backend: str) -> tuple[float, float, str]:
    """One `deepdraft library add` process: wall seconds, CPU seconds, its summary line.
    Started as a user starts it: not below this process in Deepdraft's process tree."""
    env = {k: v for k, v in os.environ.items() if k != "DEEPDRAFT_ROOT_PID"}
    env.update(DEEPDRAFT_HOME=str(home), DEEPDRAFT_EMBED_BACKEND=backend)
    cpu, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    out = subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", "library",
                          "add", str(folder), "--library", LIBRARY], cwd=REPO, check=True,
                         capture_output=True, text=True, env=env).stdout
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, out.strip().splitlines()[-1]


def compare_processes(backends: list[str], files: int, warmup: int, rounds: int) -> None:
    articles = sorted(FRESHWIKI.glob("*.txt"))
    folders = {"warm": articles[files:files + warmup], "timed": articles[:files]}
    for name, paths in folders.items():
        (BENCH_HOME / name).mkdir(parents=True, exist_ok=True)
        for path in paths:
            shutil.copy(path, BENCH_HOME / name / path.name)
    print(f"warm-up {warmup} articles, then at once the timed {files}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    walls: dict[str, list[float]] = {b: [] for b in backends}
    for number in range(rounds):
        for backend in backends:
            home = BENCH_HOME / f"process-{backend}-{number}"
            shutil.rmtree(home, ignore_errors=True)
            library_add(BENCH_HOME / "warm", home, backend)
            wall, cpu, summary = library_add(BENCH_HOME / "timed", home, backend)
            walls[backend].append(wall)
            threads = re.search(r"on (\d+) threads?", summary)
            print(f"round {number + 1} {backend:6s} {wall:.1f}s wall, {cpu:.1f}s CPU, "
                  f"{threads.group(1) if threads else '?'} threads chosen ({summary}; "
                  f"load {os.getloadavg()[0]:.1f})")
    base = min(walls[backends[0]])
    for backend in backends:
        print(f"{backend:6s} best {min(walls[backend]):.1f}s wall = "
              f"{base / min(walls[backend]):.2f}x {backends[0]} (whole processes)")
TREE_SCRIPT = """
import json, sys, time
from engine.library import open_library
from engine.library.embedder import get_embedder
get_embedder()                                   # model load outside the timing
lib = open_library("freshwiki", server="", hybrid=True)
cpu = time.process_time()
done = list(lib.ingest([sys.argv[1]]))[-1]
print(json.dumps({"chunks": done.chunks, "seconds": done.seconds,
                  "cpu": time.process_time() - cpu, "vectors": lib.store.count()}))
"""


def compare_trees(trees: list[str], files: int, rounds: int) -> None:
    """The same ingest with two checkouts of the engine (e.g. before and after a change),
    each round in a fresh process and library per tree, interleaved."""
    import json

    subset = fresh_subset(files)
    print(f"{files} FreshWiki files, {rounds} interleaved rounds; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    rates: dict[str, list[float]] = {t: [] for t in trees}
    for number in range(rounds):
        for tree in trees:
            home = BENCH_HOME / f"tree{trees.index(tree)}-{number}"
            env = {**os.environ, "PYTHONPATH": tree, "DEEPDRAFT_HOME": str(home)}
            out = subprocess.run([sys.executable, "-c", TREE_SCRIPT, str(subset)], env=env,
                                 capture_output=True, text=True, check=True, cwd=tree)
            done = json.loads(out.stdout.strip().splitlines()[-1])
            rates[tree].append(done["chunks"] / done["seconds"])
            print(f"round {number + 1} {tree}: {done['chunks']} chunks ({done['vectors']} "
                  f"vectors) in {done['seconds']:.1f}s = {rates[tree][-1]:.1f} chunks/s, "
                  f"{done['chunks'] / done['cpu']:.1f} per CPU-s (load "
                  f"{os.getloadavg()[0]:.1f})", flush=True)
    base = statistics.median(rates[trees[0]])
    for tree in trees:
        print(f"{tree}: median {statistics.median(rates[tree]):.1f} best {max(rates[tree]):.1f} "
              f"chunks/s = {statistics.median(rates[tree]) / base:.3f}x the first (median)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", help="comma-separated: torch,onnx")
    parser.add_argument("--processes", help="comma-separated: torch,onnx (whole processes)")
    parser.add_argument("--trees", help="comma-separated checkout folders, e.g. before,after")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.processes:
        compare_processes(args.processes.split(","), args.files, args.warmup, args.rounds)
    elif args.trees:
        compare_trees(args.trees.split(","), args.files, args.rounds)
    elif args.backends:
        compare_backends(args.backends.split(","), args.files, args.rounds)
    else:
        ingest_fresh()
        rescan_cli()
        rescan_ten_thousand()
