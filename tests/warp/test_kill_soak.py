"""The kill -9 soak in short (tests/benchmarks/bench_kill_soak.py runs 20 kills): a few
SIGKILLs at random points of a real demo-model run and of a real ingest."""
from __future__ import annotations

from tests.benchmarks.bench_kill_soak import soak


def test_a_few_random_kills(tmp_path, freshwiki_dir):
    figures = soak(kills=4, seed=7, home=tmp_path / "soak", freshwiki=freshwiki_dir)
    assert sum(figures["run_kills"].values()) == 3, figures
    assert (figures["lost_steps"], figures["duplicated_steps"]) == (0, 0), figures
    assert figures["ingest"]["kills"] >= 1, figures   # "0 inconsistent" of no kill says nothing
    assert figures["ingest"]["inconsistent"] == 0 and figures["ingest"]["final_consistent"]
