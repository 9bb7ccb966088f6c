"""Crash safety: SIGKILL a real run (tiny model, real library) at observed moments (right
after a step is committed, while the model writes a step, just after its reply ended while
the step is being committed), resume after each, and check that no completed step was
lost or recorded twice. Also: a second run on a project that is running is refused, and
the killed runs never leave the project locked."""
from __future__ import annotations

import random

from engine.project.project_store import ProjectStore
from tests.warp.killing import BOUNDARY, MID_COMMIT, MID_STEP, crash_and_resume

PLAN = [BOUNDARY, MID_STEP, MID_COMMIT, BOUNDARY]


def test_sigkill_at_observed_points_then_resume(small_library, tmp_path, deepdraft_home):
    project = tmp_path / "crash.ddproj"
    figures = crash_and_resume(PLAN, home=deepdraft_home, project=project,
                               library="warp-tests", max_steps=6,
                               rng=random.Random(20261125), try_second_run=True)
    assert figures.resumes_refused == 1
    assert figures.kills == {BOUNDARY: 2, MID_STEP: 1, MID_COMMIT: 1}, figures
    assert (figures.lost, figures.duplicated) == (0, 0), figures
    store = ProjectStore.open(project)
    assert store.load_run_state()["steps"] == len(store.steps()) >= 4
    assert store.load_run_state()["finished"] == "step limit"
    store.close()
