"""`deepdraft --version` and `deepdraft doctor`, run as a user would."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import engine


def deepdraft(*args: str, env_home: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("deepdraft", path=str(Path(sys.executable).parent)) or "deepdraft"
    env = {**os.environ, "DEEPDRAFT_HOME": str(env_home)}
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=120)


def test_version(deepdraft_home):
    result = deepdraft("--version", env_home=deepdraft_home)
    assert result.returncode == 0
    assert engine.__version__ in result.stdout


def test_doctor_reports_models_llama_and_guards(deepdraft_home):
    result = deepdraft("doctor", "--json", env_home=deepdraft_home)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["llama_cpp"]["loadable"] is True
    assert Path(report["models"]["demo_llm"]).is_file()
    assert (Path(report["models"]["embedding"]) / "modules.json").is_file()
    assert report["app_home"] == str(deepdraft_home)
    assert all(report["offline_guards"].values())
    assert report["cpu_threads"] >= 1
    assert report["placement"]["model"] == "demo" and report["placement"]["notes"]


def test_doctor_human_output(deepdraft_home):
    result = deepdraft("doctor", env_home=deepdraft_home)
    assert result.returncode == 0
    for needle in ("llama.cpp", "GPU offload", "App data", "demo LLM", "Offline guards",
                   "Placement"):
        assert needle in result.stdout


def test_app_home_follows_env(deepdraft_home):
    from engine.paths import app_home, libraries_dir

    assert app_home() == deepdraft_home
    assert libraries_dir().parent == deepdraft_home
