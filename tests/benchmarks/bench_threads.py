"""The threads a run chooses (engine.threads), side by side in one process (issue 26).

1. Right after an ingest: `--articles` FreshWiki articles are ingested in this process,
   then at once the demo model opens with automatic threads. Prints the threads chosen,
   the cores other programs and Deepdraft kept busy in its window, and what the old rule
   (cores less the 1-minute load average) would have taken.
2. Beside a busy program of 1 and of 2 cores (busy loops started outside Deepdraft's
   process tree, as another program would be): the automatic choice, then prefill
   tokens/s of every fixed thread count 1..cores on the same loaded model, interleaved
   rounds; the chosen count's median against the best. Targets: all cores after an
   ingest on an idle machine; beside a busy program within 10% of the best fixed count.
3. `--follow`: a run whose neighbour starts after step 2 and ends after step 5: the
   threads each step re-checks to (llama_set_n_threads between steps) and its tokens/s.
Run: .venv/bin/python tests/benchmarks/bench_threads.py [--articles 5 --tokens 256 --rounds 3 --follow]
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_library_common import FRESHWIKI


def busy_programs(count: int) -> list[int]:
    """`count` busy loops outside this process tree (sh starts each and exits: their
    parent becomes init), so they count as other programs' load."""
    env = {k: v for k, v in os.environ.items() if k != "DEEPDRAFT_ROOT_PID"}
    loop = f'"{sys.executable}" -c "while True: pass" >/dev/null 2>&1 & echo $!'
    return [int(subprocess.run(["sh", "-c", loop], capture_output=True, text=True, env=env,
                               check=True).stdout) for _ in range(count)]


def stop(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def prefill_rate(backend, tokens: list[int]) -> float:
    backend.llm.reset()
    started = time.perf_counter()
    backend.llm.eval(tokens)
    return len(tokens) / (time.perf_counter() - started)


def open_model():
    from engine.llm import open_backend

    return open_backend("demo", n_ctx=2048, prompt_cache="off")


def describe(choice) -> str:
    return (f"{choice.threads} threads of {choice.cores} ({choice.source}; other programs "
            f"{choice.other if choice.other is None else round(choice.other, 2)} cores, "
            f"Deepdraft {choice.own if choice.own is None else round(choice.own, 2)})")


def load_average_rule() -> int:
    """What thread_count() took before issue 26: cores less the 1-minute load average."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, cores - int(os.getloadavg()[0] + 0.5)))


def compare_fixed(backend, tokens: list[int], rounds: int, old: int) -> None:
    """Prefill tokens/s per fixed thread count, interleaved; the chosen count's median
    and the load-average rule's (`old`) against the best median."""
    chosen = backend.n_threads
    counts = list(range(1, (os.cpu_count() or 1) + 1))
    rates: dict[int, list[float]] = {n: [] for n in counts}
    for _ in range(rounds):
        for n in counts:
            backend._set_threads(n)
            rates[n].append(prefill_rate(backend, tokens))
    backend._set_threads(chosen)
    medians = {n: statistics.median(r) for n, r in rates.items()}
    best = max(medians, key=medians.get)
    print("  prefill tok/s (median of %d): " % rounds
          + ", ".join(f"{n} threads {medians[n]:.0f}" for n in counts))
    for label, n in (("chosen", chosen), ("load-average rule", old)):
        print(f"  {label} {n}: {medians[n]:.0f} tok/s = "
              f"{100 * medians[n] / medians[best]:.0f}% of the best fixed count ({best})")


def after_ingest(articles: int, tokens: list[int], rounds: int) -> None:
    from engine.library import open_library

    folder = Path(tempfile.mkdtemp(prefix="bench-threads-"))
    for path in sorted(FRESHWIKI.glob("*.txt"))[:articles]:
        shutil.copy(path, folder / path.name)
    library = open_library("threads", server="")
    done = list(library.ingest([folder]))[-1]
    library.close()
    old, load = load_average_rule(), os.getloadavg()[0]
    backend = open_model()
    print(f"after an ingest of {done.chunks} chunks in {done.seconds:.1f}s on "
          f"{done.threads} threads: the run takes {describe(backend.threads.choice)}; "
          f"the load-average rule would take {old} (load average {load:.2f})")
    compare_fixed(backend, tokens, rounds, old)
    backend.close()


def beside_busy(count: int, tokens: list[int], rounds: int) -> None:
    pids = busy_programs(count)
    try:
        time.sleep(1.0)
        old, backend = load_average_rule(), open_model()
        print(f"beside {count} busy program(s): {describe(backend.threads.choice)}; the "
              f"load-average rule would take {old} (load average {os.getloadavg()[0]:.2f})")
        compare_fixed(backend, tokens, rounds, old)
        backend.close()
    finally:
        stop(pids)


def follow(tokens: list[int], steps: int = 8) -> None:
    backend = open_model()
    pids: list[int] = []
    try:
        for step in range(1, steps + 1):
            if step == 3:
                pids = busy_programs(1)
            if step == 6:
                stop(pids)
                pids = []
            threads = backend.recheck_threads()
            print(f"  step {step}: neighbour {'on ' if pids else 'off'} -> {threads} threads, "
                  f"{prefill_rate(backend, tokens):.0f} tok/s")
    finally:
        stop(pids)
        backend.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--busy", default="1,2", help="busy programs' cores, comma-separated")
    parser.add_argument("--follow", action="store_true")
    args = parser.parse_args()
    os.environ["DEEPDRAFT_HOME"] = tempfile.mkdtemp(prefix="bench-threads-home-")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    text = next(iter(sorted(FRESHWIKI.glob("*.txt")))).read_text(encoding="utf-8")
    backend = open_model()
    tokens = backend.tokenize(text)[:args.tokens]
    backend.close()
    after_ingest(args.articles, tokens, args.rounds)
    for count in (int(c) for c in args.busy.split(",") if c):
        beside_busy(count, tokens, args.rounds)
    if args.follow:
        print("a run whose neighbour (1 busy core) starts before step 3 and ends before step 6:")
        follow(tokens)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    sys.exit(main())
