"""Run settings kept in a project are typed: words mean what they say, a bad value names
its key, and the named budgets (passages per search, reply budget) drive the run."""
from __future__ import annotations

import pytest

from engine.typed_settings import SettingsError
from engine.warp.profile import builtin_profile
from engine.warp.state import RunSettings
from engine.warp.step_prompt import reply_budget


def test_words_become_their_types():
    settings = RunSettings.from_dict({"interactive": "false", "constrained": "true",
                                      "max_steps": "40", "temperature": "0.5",
                                      "seed": None, "from_a_newer_version": 1})
    assert settings.interactive is False and settings.constrained is True
    assert (settings.max_steps, settings.temperature, settings.seed) == (40, 0.5, None)


@pytest.mark.parametrize("key, value, words", [
    ("max_steps", "many", "'max_steps' must be a whole number, not 'many'"),
    ("interactive", "perhaps", "'interactive' must be true or false"),
    ("top_p", [0.8], "'top_p' must be a number or null"),
    ("prompts", 3, "'prompts' must be text")])
def test_a_bad_value_names_its_key(key, value, words):
    with pytest.raises(SettingsError, match="run settings: " + words.replace("(", r"\(")):
        RunSettings.from_dict({key: value})


def test_the_bad_value_of_a_cli_override_is_a_clear_error(tmp_path):
    from engine.warp.run_factory import create_project, open_run

    store = create_project(tmp_path / "p.ddproj", "q")
    with pytest.raises(SettingsError, match="'max_extends' must be a whole number"):
        open_run(store, overrides={"max_extends": "lots"})
    store.close()


def replay(tmp_path, n_ctx: int | None = None):
    from engine.llm.replay import ReplayBackend

    path = tmp_path / "replay.jsonl"
    path.write_text("")
    return ReplayBackend(path, n_ctx=n_ctx)


@pytest.mark.parametrize("n_ctx, expected", [(32768, 2048), (4096, 1024), (1024, 512)])
def test_reply_budget_defaults(n_ctx, expected, tmp_path):
    assert reply_budget(replay(tmp_path, n_ctx), 2048) == expected


def test_reply_budget_follows_its_settings(tmp_path):
    assert reply_budget(replay(tmp_path, 4096), 2048, share=0.5, floor=512) == 2048
    assert reply_budget(replay(tmp_path, 1024), 2048, share=0.25, floor=300) == 300


def test_unset_passage_budgets_come_from_the_model_profile(tmp_path):
    from engine.warp.run import WarpRun
    from engine.warp.run_factory import create_project

    profile = builtin_profile()
    store = create_project(tmp_path / "p.ddproj", "q")
    run = WarpRun(store, replay(tmp_path), retriever=None,
                  settings=RunSettings(section_passages=4), profile=profile)
    assert run.settings.passage_budget(for_outline=True) == profile.outline_passages == 20
    assert run.settings.passage_budget(for_outline=False) == 4
    store.close()
