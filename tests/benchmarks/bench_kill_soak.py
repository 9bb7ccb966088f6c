"""Kill -9 soak: SIGKILL real demo-model runs (`deepdraft write`/`resume`, SmolLM2-135M via
llama.cpp, a real Chroma library) and real ingests (`deepdraft library add` of FreshWiki
articles sharing a notice, beside a file of one repeated paragraph that comes and goes, so
shared vectors are added, re-indexed and removed) at random points, resume after every kill, and count lost or duplicated steps
and inconsistent libraries. Default 20 kills: 15 on runs (right after a commit, mid-step,
mid-commit, chosen at random) and 5 on ingests.

    .venv/bin/python tests/benchmarks/bench_kill_soak.py [--kills 20] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.warp.conftest import DOCS  # noqa: E402
from tests.warp.killing import MODES, crash_and_resume, kill_ingests  # noqa: E402

FRESHWIKI = Path(os.environ.get("DEEPDRAFT_SHARED") or REPO.parent / "shared") / \
    "corpus" / "freshwiki" / "txt"
# Texts stored once for many places (engine.library.dedup): a notice in every article and
# a file of one repeated paragraph, which the soak removes and restores (killing.py).
NOTICE = ("This article is reproduced from FreshWiki for testing. Its text is licensed "
          "under CC BY-SA 4.0; see the original page for its authors and history.")
REPEATED = "Heartbeat: service healthy, queue empty, no action needed. "
ARTICLES = ["2022_Crimean_Bridge_explosion.txt", "2022_Istanbul_bombing.txt",
            "2022_AFL_Grand_Final.txt", "Cyclone_Mocha.txt"]


def soak(kills: int, seed: int, home: Path, freshwiki: Path = FRESHWIKI) -> dict:
    """Split `kills` three to one between runs and ingests; return the figures."""
    os.environ["DEEPDRAFT_HOME"] = str(home)
    rng = random.Random(seed)
    ingest_kills = max(1, kills // 4)
    plan = [rng.choice(MODES) for _ in range(kills - ingest_kills)]
    corpus = home / "corpus"
    corpus.mkdir(parents=True)
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    from engine.library import open_library

    library = open_library("soak")
    assert list(library.ingest([corpus]))[-1].indexed == len(DOCS)
    library.close()
    started = time.perf_counter()
    run = crash_and_resume(plan, home=home, project=home / "soak.ddproj", library="soak",
                           max_steps=len(plan) + 3, rng=rng)
    run_seconds = time.perf_counter() - started
    wiki = home / "wiki"
    wiki.mkdir()
    for name in ARTICLES:   # each with the same notice: a text shared by every file
        text = (freshwiki / name).read_text(encoding="utf-8")
        (wiki / name).write_text(f"{text}\n\n# Notice\n\n{NOTICE}\n", encoding="utf-8")
    (wiki / "0_repeated.txt").write_text(REPEATED * 400, encoding="utf-8")
    started = time.perf_counter()
    ingest = kill_ingests(ingest_kills, home=home, folder=wiki, library="soak-ingest", rng=rng)
    return {"run_kills": run.kills, "lost_steps": run.lost, "duplicated_steps": run.duplicated,
            "kills_losing_the_step_in_flight": run.in_flight_lost,
            "run_seconds": round(run_seconds, 1), "ingest": ingest,
            "ingest_seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="deepdraft-soak-"))
    try:
        figures = soak(args.kills, args.seed, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(figures, indent=2), flush=True)
    total = sum(figures["run_kills"].values()) + figures["ingest"]["kills"]
    ok = (figures["lost_steps"], figures["duplicated_steps"],
          figures["ingest"]["inconsistent"]) == (0, 0, 0) and figures["ingest"]["final_consistent"]
    print(f"{total} kills: {figures['lost_steps']} lost steps, {figures['duplicated_steps']} "
          f"duplicated, {figures['ingest']['inconsistent']} inconsistent libraries -> "
          f"{'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
