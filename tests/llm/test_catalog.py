"""The model catalogue and `deepdraft models list|import|remove`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.llm import open_backend
from engine.llm.base import ModelError
from engine.llm.catalog import find_model, import_model, list_models, remove_model
from engine.paths import models_dir
from tests.llm.gguf_tools import truncated_copy


def test_demo_model_is_always_listed():
    models = list_models()
    assert models[0]["name"] == "demo" and models[0]["architecture"] == "llama"
    assert models[0]["quantization"] == "Q4_1" and models[0]["chat_template"]


def test_import_copies_records_and_opens_by_name(demo_model_path):
    entry = import_model(demo_model_path, name="smol")
    target = models_dir() / "smol.gguf"
    assert Path(entry["path"]) == target and target.is_file() and not target.is_symlink()
    assert entry["context_length"] == 8192 and entry["size_bytes"] == target.stat().st_size
    assert entry["source"] == "imported" and entry["chat_template"] is True
    assert not list(models_dir().glob("*.part"))
    stored = json.loads((models_dir() / "catalog.json").read_text())
    assert stored["schema_version"] == 1 and "smol" in stored["models"]
    backend = open_backend("smol", n_ctx=512)
    assert backend.path == target
    backend.close()


def test_link_and_remove(demo_model_path):
    import_model(demo_model_path, name="linked", link=True)
    link = models_dir() / "linked.gguf"
    assert link.is_symlink()
    remove_model("linked")
    assert not link.exists() and find_model("linked") is None
    assert demo_model_path.is_file()   # the symlink went, not its target


def test_missing_file_is_flagged(demo_model_path):
    import_model(demo_model_path, name="gone", link=True)
    (models_dir() / "gone.gguf").unlink()
    assert next(m for m in list_models() if m["name"] == "gone")["missing"]
    with pytest.raises(ModelError, match="its file is gone"):
        open_backend("gone")


@pytest.mark.parametrize("make, cause", [
    (lambda p, src: p, "not found"),
    (lambda p, src: p.write_bytes(b"PK\x03\x04 a zip file") and p, "not a GGUF"),
    (lambda p, src: truncated_copy(src, p, 50_000_000), "truncated"),
])
def test_import_refuses_bad_files(tmp_path, demo_model_path, make, cause):
    path = make(tmp_path / "bad.gguf", demo_model_path)
    with pytest.raises(ModelError, match=cause):
        import_model(path)
    assert find_model("bad") is None and not (models_dir() / "bad.gguf").exists()


def test_reserved_name(demo_model_path):
    with pytest.raises(ModelError, match="cannot name a model"):
        import_model(demo_model_path, name="demo")


def test_cli_import_list_remove(demo_model_path, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["models", "import", str(demo_model_path), "--name", "tiny"])
    assert result.exit_code == 0, result.output
    assert "imported tiny: llama Q4_1, context 8192" in result.output
    listing = runner.invoke(cli, ["models", "list"]).output
    assert listing.splitlines()[0].startswith("demo") and "tiny" in listing
    assert "deepdraft models download agentcpm-report" in listing
    as_json = json.loads(runner.invoke(cli, ["models", "list", "--json"]).output)
    assert [m["name"] for m in as_json] == ["demo", "tiny"]
    bad = tmp_path / "x.gguf"
    bad.write_text("nope")
    failed = runner.invoke(cli, ["models", "import", str(bad)])
    assert failed.exit_code == 1 and "not a GGUF" in failed.output
    assert runner.invoke(cli, ["models", "remove", "tiny"]).exit_code == 0
