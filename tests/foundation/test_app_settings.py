"""App settings: typed values, clear errors naming the key, a corrupt file kept aside."""
from __future__ import annotations

import json
import logging

import pytest

from engine.app_settings import (AppSettings, SettingsError, load_settings, save_settings,
                                 update_settings)
from engine.paths import settings_file


def write_raw(text: str) -> None:
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text(text, encoding="utf-8")


def test_defaults_without_a_file():
    assert load_settings() == AppSettings()
    assert not settings_file().exists()          # reading never creates the file


@pytest.mark.parametrize("raw, expected", [
    (False, False), ("false", False), ("False", False), ("no", False), ("0", False), (0, False),
    (True, True), ("true", True), ("on", True), (1, True)])
def test_hybrid_search_words_are_booleans(raw, expected):
    write_raw(json.dumps({"hybrid_search": raw}))
    assert load_settings().hybrid_search is expected


def test_the_library_reads_false_as_false():
    # library.py once did bool("false") == True: the string must switch BM25 off
    from engine.library import open_library

    write_raw(json.dumps({"hybrid_search": "false"}))
    library = open_library("default")
    try:
        assert library.hybrid is False
    finally:
        library.close()


@pytest.mark.parametrize("key, value, words", [
    ("hybrid_search", "maybe", "'hybrid_search' must be true or false"),
    ("n_gpu_layers", "lots", "'n_gpu_layers' must be a whole number or null"),
    ("n_gpu_layers", 2.5, "'n_gpu_layers' must be a whole number"),
    ("n_gpu_layers", True, "'n_gpu_layers' must be a whole number"),
    ("author", 42, "'author' must be text"),
    ("kv_cache_type", "q3", "'kv_cache_type' must be one of auto, f16, q8_0, q4_0"),
    ("flash_attn", "sometimes", "'flash_attn' must be one of auto, on, off")])
def test_a_bad_value_names_its_key_and_the_file(key, value, words):
    write_raw(json.dumps({"author": "Ada", key: value}))
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert words in str(caught.value) and str(settings_file()) in str(caught.value)
    assert json.loads(settings_file().read_text())[key] == value   # the file is untouched


def test_numbers_written_as_text_are_read_as_numbers():
    write_raw(json.dumps({"n_gpu_layers": "12", "prompt_cache_mb": None}))
    settings = load_settings()
    assert settings.n_gpu_layers == 12 and settings.prompt_cache_mb is None


def test_unknown_keys_survive_a_save():
    write_raw(json.dumps({"author": "Ada", "from_a_newer_version": {"x": 1}}))
    update_settings(model="tiny-chat")
    saved = json.loads(settings_file().read_text())
    assert saved["from_a_newer_version"] == {"x": 1}
    assert (saved["author"], saved["model"]) == ("Ada", "tiny-chat")


def test_round_trip_keeps_types():
    save_settings(AppSettings(author="Grace", n_gpu_layers=0, hybrid_search=False,
                              prompt_cache_mb=512))
    assert load_settings() == AppSettings(author="Grace", n_gpu_layers=0, hybrid_search=False,
                                          prompt_cache_mb=512)


@pytest.mark.parametrize("damage", ['{"author": "Ada", "mod', "[1, 2]", "\ufffd\x00garbage"])
def test_a_corrupt_file_is_kept_aside_not_overwritten(damage, caplog):
    write_raw(damage)
    with caplog.at_level(logging.WARNING, logger="engine.app_settings"):
        assert load_settings() == AppSettings()
    kept = list(settings_file().parent.glob("settings.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == damage
    assert not settings_file().exists()
    assert kept[0].name in caplog.text and "could not be read" in caplog.text
    update_settings(author="Grace")                 # the next save writes a fresh file...
    assert kept[0].read_text(encoding="utf-8") == damage   # ...beside the kept one
    assert load_settings().author == "Grace"


def test_the_cli_reports_a_bad_value_without_a_traceback(capsys):
    from engine.cli import main

    write_raw(json.dumps({"library": 7}))
    assert main(["library", "list"]) == 1
    err = capsys.readouterr().err
    assert "'library' must be text, not 7" in err and "Traceback" not in err


def test_an_export_takes_the_author_from_settings_and_survives_a_bad_file(caplog):
    from engine.export.prepare import prepare_report
    from engine.report.snapshot import Report

    update_settings(author="Grace Hopper")
    assert prepare_report(Report(title="T", query="q")).author == "Grace Hopper"
    write_raw(json.dumps({"author": "Grace Hopper", "n_gpu_layers": "all"}))
    with caplog.at_level(logging.WARNING, logger="engine.export.prepare"):
        assert prepare_report(Report(title="T", query="q")).author == ""
    assert "'n_gpu_layers' must be a whole number" in caplog.text
