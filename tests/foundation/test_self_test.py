"""`deepdraft self-test` as a user (and CI, on the installed .deb) runs it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli
from engine.cli import selftest_checks

CHECK_NAMES = [name for name, _ in selftest_checks.CHECKS] + ["network"]


def test_self_test_passes_and_leaves_no_data(tmp_path, deepdraft_home):
    exe = shutil.which("deepdraft", path=str(Path(sys.executable).parent))
    home = tmp_path / "user-home"        # platformdirs' data folder lives under HOME
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local/share"),
           "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([exe, "self-test", "--steps", "2"], capture_output=True,
                            text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    for name in CHECK_NAMES:
        assert any(line.startswith("ok") and f" {name} " in line for line in lines), \
            (name, result.stdout)
    assert f"{len(CHECK_NAMES)}/{len(CHECK_NAMES)} checks passed" in result.stdout
    assert not (home / ".local/share/Deepdraft").exists()
    assert not deepdraft_home.exists() or not any(deepdraft_home.iterdir())


def test_a_failed_check_fails_the_command(tmp_path, monkeypatch):
    monkeypatch.setattr(selftest_checks, "SAMPLES_DIR", tmp_path / "no-samples")
    monkeypatch.setattr(selftest_checks, "CHECKS", selftest_checks.CHECKS[:3])
    result = CliRunner().invoke(cli, ["self-test"])
    assert result.exit_code == 1, result.output
    assert "FAIL bundled" in result.output and "FAIL library" in result.output
    assert "ok   offline" in result.output
    assert "2/4 checks passed" in result.output
