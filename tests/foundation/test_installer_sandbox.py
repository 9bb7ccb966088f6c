"""check_deb.sh's "no Python, no compiler" sandbox (installers/linux/without_tools.sh):
a Python and a compiler that run on this machine must not run inside it, while ordinary
commands do. (Before, the check ran `command -v` on a PATH the script itself had built
from one symlink, so it could not fail.)"""
from __future__ import annotations

import os
import shutil
import subprocess

from tests.conftest import REPO
from tests.real_parts import require

SCRIPT = REPO / "installers" / "linux" / "without_tools.sh"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def sandboxed(command: str, home) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), "/bin/sh", "-c", command], text=True,
                          capture_output=True, timeout=60,
                          env={**os.environ, "SANDBOX_HOME": str(home)})


def test_python_and_the_compiler_cannot_run_in_the_sandbox(tmp_path):
    require(os.name == "posix" and os.geteuid() == 0 and shutil.which("unshare"),
            "root and unshare (as in the CI container)")
    present = [tool for tool in ("python3", "gcc")
               if subprocess.run(["env", "-i", f"PATH={SYSTEM_PATH}", tool, "--version"],
                                 capture_output=True).returncode == 0]
    require(present, "a system python3 or gcc to hide (the CI image has both)")
    for tool in present:
        result = sandboxed(f"{tool} --version", tmp_path)
        assert result.returncode != 0, f"{tool} ran in the sandbox: {result.stdout}"
    result = sandboxed('echo "home=$HOME path=$PATH"', tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == \
        f"home={tmp_path} path={SYSTEM_PATH}", result
