"""engine.atomic: the target is the old file or the new one, never half of either."""
from __future__ import annotations

import errno
import os

import pytest

from engine import atomic


def test_write_text_and_bytes_replace_whole_files(tmp_path):
    target = tmp_path / "sub" / "file.txt"
    atomic.write_text(target, "first")
    atomic.write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["file.txt"]


def test_a_failing_block_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError):
        with atomic.atomic_file(target) as handle:
            handle.write(b"half of the new")
            raise RuntimeError("killed mid-write")
    assert target.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["file.bin"]


def test_a_full_disk_at_the_write_call_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "file.bin"
    target.write_bytes(b"good")
    real_fsync = os.fsync

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        atomic.write_bytes(target, b"new content")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["file.bin"]


def test_replace_moves_a_folder_built_elsewhere(tmp_path):
    built = tmp_path / "models.part"
    built.mkdir()
    (built / "a.txt").write_text("a")
    atomic.replace(built, tmp_path / "models")
    assert (tmp_path / "models" / "a.txt").read_text() == "a" and not built.exists()
