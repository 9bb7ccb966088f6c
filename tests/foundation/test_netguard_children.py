"""The self-test's network guard covers the processes it starts and theirs: a child that
imports `engine` with the self-test's log set is guarded, its attempt is logged with its
pid, and the self-test's network check fails naming it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine import netguard
from engine.cli import selftest_cmd

CHILD = """
import multiprocessing, socket
import engine  # the guard comes from here, as in the window and the engine process

def grandchild():
    try:
        socket.create_connection(("203.0.113.7", 9), timeout=1)
    except OSError:
        pass

if __name__ == "__main__":
    proc = multiprocessing.get_context("spawn").Process(target=grandchild, name="grandchild")
    proc.start(); proc.join()
    print("guarded", __import__("engine.netguard").netguard.active())
"""


def test_child_and_grandchild_attempts_fail_the_self_test(tmp_path, monkeypatch):
    log = tmp_path / "attempts.log"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, netguard.LOG_ENV: str(log),
           "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "guarded True" in done.stdout
    lines = log.read_text().splitlines()
    assert len(lines) == 1 and "203.0.113.7" in lines[0] and "grandchild" in lines[0]
    monkeypatch.setenv(netguard.LOG_ENV, str(log))
    ctx = type("Ctx", (), {"facts": {"attempts_before": len(netguard.attempts)}})()
    with pytest.raises(RuntimeError, match=r"pid \d+ .*grandchild.*203\.0\.113\.7"):
        selftest_cmd._no_attempts(ctx)


def test_without_the_log_a_child_is_not_guarded(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != netguard.LOG_ENV}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    done = subprocess.run([sys.executable, "-c", "import engine, engine.netguard as g; "
                           "print(g.active())"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.stdout.strip() == "False", done.stderr
