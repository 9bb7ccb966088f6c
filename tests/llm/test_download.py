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
from engine.llm.loopback_hub import FILE, LoopbackHub
from tests.llm.stand_in_templates import TEST_TEMPLATES, spec_for_test_templates, use_test_templates


@pytest.fixture(scope="module")
def hub(demo_model_path):
    server = LoopbackHub(demo_model_path)
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _reset(hub, monkeypatch):
    from engine.llm.catalog import DOWNLOADABLE
    from engine.llm.template_download import TEMPLATES_ENV

    hub.cut_after, hub.advertised_sha256, hub.range_requests[:] = None, None, []
    monkeypatch.setitem(DOWNLOADABLE, "agentcpm-report", dict(DOWNLOADABLE["agentcpm-report"]))
    monkeypatch.setenv(TEMPLATES_ENV, hub.url)   # restored after the test
    hub.files = use_test_templates(hub.url)


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
    folder = models_dir() / "agentcpm-report.prompts"
    assert entry["prompts"] == str(folder)
    assert entry["prompts_commit"] == "844c00758001b81ef3619fd568cb3ea55d2f5a22"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == TEST_TEMPLATES


def test_the_templates_come_from_the_pinned_commit_and_match_their_bytes(hub, tmp_path):
    """The pins are a commit (never a branch) and one sha256 per file, and what is kept is
    exactly the bytes fetched from that commit's URLs, hashed here at test time. The files
    are our own: the project never holds the authors' text. Whether the catalogue's pins
    match the authors' real files is checked against a checkout of their repository by
    tests/benchmarks/check_pinned_templates.py (4 of 4 matched at the pinned commit)."""
    import hashlib
    import re

    from engine.llm.template_download import (AGENTCPM_REPORT_TEMPLATES, fetch_templates,
                                              template_url)

    pinned = AGENTCPM_REPORT_TEMPLATES
    assert re.fullmatch("[0-9a-f]{40}", pinned["commit"])
    assert set(pinned["files"]) == set(TEST_TEMPLATES)
    assert all(re.fullmatch("[0-9a-f]{64}", sha) for sha in pinned["files"].values())
    spec = spec_for_test_templates()
    for name in spec["files"]:
        assert template_url(spec, name, hub.url) == \
            f"{hub.url}/{pinned['repo']}/{pinned['commit']}/{pinned['folder']}/{name}"
    folder = fetch_templates(spec, tmp_path / "prompts", hub.url)
    for name, data in TEST_TEMPLATES.items():
        kept = (folder / name).read_bytes()
        assert kept == data and hashlib.sha256(kept).hexdigest() == spec["files"][name]


def test_a_template_checksum_mismatch_is_refused_before_the_model(hub):
    path = next(p for p in hub.files if p.endswith("surveycpm_write.jinja"))
    hub.files[path] = b"tampered {{ user_query }}"
    with pytest.raises(ModelError, match="checksum mismatch for prompt template"):
        _events(hub)
    assert not list(models_dir().glob("agentcpm-report*"))   # no model, no templates
    assert find_model("agentcpm-report") is None


def test_a_downloaded_model_runs_with_its_templates(hub, tmp_path):
    from engine.warp.profile import resolve_profile

    _events(hub)
    profile = resolve_profile("auto", "agentcpm-report")
    assert profile.name == "agentcpm-report templates"
    prompt = profile.templates.render("write", {
        "user_query": "Q", "current_survey": "S", "current_instruction": "You need to update "
        "section-1", "current_information": ""})
    assert prompt == "Write You need to update section-1: S"
    assert resolve_profile("builtin", "agentcpm-report").name == "built-in"
    assert resolve_profile("auto", "demo").name == "built-in"


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
