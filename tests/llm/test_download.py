"""Downloads against a loopback hub: listing, checksum, resume, mismatch, disk space."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.llm.base import ModelError
from engine.llm.catalog import find_model
from engine.llm.download import (DownloadDone, DownloadProgress, DownloadStarted,
                                 download_model)
from engine.paths import models_dir
from tests.llm.hub_server import FILE, Hub


@pytest.fixture(scope="module")
def hub(demo_model_path):
    server = Hub(demo_model_path)
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _reset(hub):
    hub.cut_after, hub.advertised_sha256, hub.range_requests[:] = None, None, []


def _events(hub, **kwargs):
    return list(download_model("agentcpm-report", base_url=hub.url, **kwargs))


def test_download_verifies_and_registers(hub):
    events = _events(hub)
    assert isinstance(events[0], DownloadStarted) and events[0].file == FILE
    assert events[0].total == len(hub.data) and events[0].resumed_from == 0
    assert isinstance(events[-1], DownloadDone)
    assert [e.done for e in events if isinstance(e, DownloadProgress)][-1] == len(hub.data)
    entry = find_model("agentcpm-report")
    assert entry["sha256"] == hub.sha256 and entry["source"] == "downloaded"
    assert (models_dir() / "agentcpm-report.gguf").read_bytes() == hub.data
    assert not list(models_dir().glob("*.part"))


def test_interrupted_download_resumes_with_range(hub):
    hub.cut_after = 10_000_000
    with pytest.raises(ModelError, match="ended early.*resume"):
        _events(hub)
    part = models_dir() / "agentcpm-report.gguf.part"
    assert part.stat().st_size == 10_000_000
    assert find_model("agentcpm-report") is None            # a .part is never a model
    assert not (models_dir() / "agentcpm-report.gguf").exists()
    events = _events(hub)
    assert events[0].resumed_from == 10_000_000
    assert hub.range_requests == ["bytes=10000000-"]
    assert (models_dir() / "agentcpm-report.gguf").read_bytes() == hub.data


def test_checksum_mismatch_deletes_the_part(hub):
    hub.advertised_sha256 = "0" * 64
    with pytest.raises(ModelError, match="checksum mismatch"):
        _events(hub)
    assert not list(models_dir().glob("agentcpm-report*"))
    assert find_model("agentcpm-report") is None


def test_not_enough_disk_space(hub, monkeypatch):
    """A full disk cannot be made on demand; disk_usage reports one."""
    usage = shutil.disk_usage(models_dir())
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=1000))
    with pytest.raises(ModelError, match="not enough disk space"):
        _events(hub)
    assert not list(models_dir().glob("agentcpm-report*"))


def test_hub_down_and_unknown_model():
    with pytest.raises(ModelError, match="cannot reach"):
        list(download_model("agentcpm-report", base_url="http://127.0.0.1:9"))
    with pytest.raises(ModelError, match="unknown downloadable model"):
        list(download_model("gpt-9"))


def test_cli_download_with_env_base_url(hub, monkeypatch):
    monkeypatch.setenv("DEEPDRAFT_HUB_URL", hub.url)
    result = CliRunner().invoke(cli, ["models", "download", "agentcpm-report"])
    assert result.exit_code == 0, result.output
    assert f"sha256 {hub.sha256}" in result.output
