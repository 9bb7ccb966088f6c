"""A non-editable install carries resources/: the wheel holds the style, the icons and
the self-test's sample documents beside engine/ and desktop/, where the code looks for
them. (Before, the wheel had none, and `deepdraft self-test` from it failed 4 of 9 checks
on the missing samples.) The full check, a fresh venv running `deepdraft self-test` from
the wheel, takes about 2 minutes on 2 cores, so it lives in tests/benchmarks/README.md,
not here."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from tests.conftest import REPO

NEEDED = ["resources/style.qss", "resources/icons/deepdraft.png",
          "resources/icons/deepdraft.svg", "resources/samples/honeybee-colony.pdf",
          "resources/samples/crop-pollination.docx", "resources/samples/bee-health.md",
          "resources/tour/transcript.jsonl"]


def test_the_wheel_holds_the_resources_the_code_reads(tmp_path):
    from engine.cli.selftest_checks import SAMPLES_DIR

    source = tmp_path / "src"   # a clean copy: no build/ folder left from earlier builds
    for name in ("engine", "desktop", "resources"):
        shutil.copytree(REPO / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("deepdraft-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [n for n in NEEDED if n not in names], sorted(names)[:20]
    samples = {p.name for p in SAMPLES_DIR.iterdir() if not p.name.endswith(".py")}
    assert {f"resources/samples/{s}" for s in samples} <= names
