"""A real small filesystem (tmpfs) to run out of space on."""
from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from tests.real_parts import require
from tests.warp.conftest import corpus_dir, replay_file, small_library  # noqa: F401 (fixtures)


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MiB tmpfs mounted for the test (needs root, as in the CI container)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                          capture_output=True, text=True) if os.name == "posix" else None
    require(done is not None and done.returncode == 0,
            f"mounting a small tmpfs (root only): {done.stderr.strip() if done else os.name}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk`; delete the returned file to free them again."""
    filler = disk / "filler.bin"
    block = b"\0" * (1 << 16)
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        try:
            while True:
                handle.write(b"\0")
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler
