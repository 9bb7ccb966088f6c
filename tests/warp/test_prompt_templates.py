"""Prompt templates: a folder of our own templates with the authors' variable names
renders every step byte for byte as the authors' prompt server would fill them, through
`deepdraft write --prompts DIR` with the replay model, a real library and the real store."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.project.project_store import ProjectStore
from engine.warp.templates import TemplateError, load_template_dir

QUERY = "What caused the 2022 floods?"
# Our own test templates. The search one carries the authors' file prefix and two
# trailing newlines (jinja2's defaults drop exactly one).
TEMPLATES = {
    "surveycpm_search.jinja": "S|{{ user_query }}|{{ current_outline }}|{{ current_instruction }}\n\n",
    "init_plan.jinja": "P|{{ user_query }}|{{ current_information }}\n",
    "write.jinja": "W|{{ user_query }}|{{ current_survey }}|{{ current_instruction }}|"
                   "{{ current_information }}",
    "extend_plan.jinja": "E|{{ user_query }}|{{ current_survey }}",
}
RAIN = "Monsoon rain fell for weeks.\nRivers rose fast."
SECTIONS = [{"title": "Causes", "plan": "Rain\nand glaciers."},
            {"title": "Impact", "plan": "People affected."},
            {"title": "Relief", "plan": "Aid."}]
CONTENT_1 = "The rain  was\nheavy and the rivers rose in every district of the south \\cite{textid1}."
CONTENT_2 = "Millions were affected\n\nand many lost their homes in the floods \\cite{textid1}."
CONTENT_3 = "Aid agencies opened camps for the families who lost their homes in the floods."


def reply(action) -> str:
    body = action if isinstance(action, str) else json.dumps(action)
    return json.dumps(f"<thought>ok</thought>\n<action>{body}</action>")


@pytest.fixture
def template_dir(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, text in TEMPLATES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def rain_library(tmp_path):
    from engine.library import open_library

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "rain.txt").write_text(RAIN, encoding="utf-8")
    library = open_library("templates-tests")
    for _ in library.ingest([folder]):
        pass
    return library


def test_prompts_dir_renders_every_step_as_the_authors_server(tmp_path, template_dir,
                                                              rain_library):
    replies = [{"name": "search", "keywords": ["rain"]},
               {"name": "init-plan", "title": "The 2022\nfloods", "sections": SECTIONS},
               {"name": "search", "keywords": ["rain"]}, CONTENT_1,
               {"name": "search", "keywords": ["rain"]}, CONTENT_2,
               {"name": "search", "keywords": ["rain"]}, CONTENT_3, {"name": "nop"}]
    transcript = tmp_path / "t.jsonl"
    transcript.write_text("\n".join(reply(r) for r in replies) + "\n", encoding="utf-8")
    project = tmp_path / "p.ddproj"
    result = CliRunner().invoke(cli, [
        "write", QUERY, "--library", "templates-tests", "--model", f"replay:{transcript}",
        "--project", str(project), "--prompts", str(template_dir), "--unconstrained"])
    assert result.exit_code == 0, result.output
    prompts = [s["prompt"] for s in ProjectStore.open(project).steps()]
    info = f"bibkey:textid1\n{RAIN}"          # the passage keeps its line breaks
    title = "# Title: [OK] The 2022 floods\n"
    plan_1 = "# Section-1 [Causes]: [PLAN] Rain and glaciers.\n"
    plan_2 = "# Section-2 [Impact]: [PLAN] People affected.\n"
    plan_3 = "# Section-3 [Relief]: [PLAN] Aid.\n"
    ok_3 = "# Section-3 [Relief]: [OK] " + CONTENT_3 + "\n"
    ok_1 = ("# Section-1 [Causes]: [OK] The rain  was heavy and the rivers rose in every "
            "district of the south \\cite{textid1}.\n")
    ok_2 = ("# Section-2 [Impact]: [OK] Millions were affected  and many lost their homes "
            "in the floods \\cite{textid1}.\n")
    assert prompts == [
        f"S|{QUERY}|There is no survey.|You need to update outline\n",
        f"P|{QUERY}|{info}",
        f"S|{QUERY}|{title}{plan_1}{plan_2}{plan_3}|You need to update section-1\n",
        f"W|{QUERY}|{title}{plan_1}{plan_2}{plan_3}|You need to update section-1|{info}",
        f"S|{QUERY}|{title}{ok_1}{plan_2}{plan_3}|You need to update section-2\n",
        f"W|{QUERY}|{title}{ok_1}{plan_2}{plan_3}|You need to update section-2|{info}",
        f"S|{QUERY}|{title}{ok_1}{ok_2}{plan_3}|You need to update section-3\n",
        f"W|{QUERY}|{title}{ok_1}{ok_2}{plan_3}|You need to update section-3|{info}",
        f"E|{QUERY}|{title}{ok_1}{ok_2}{ok_3}",
    ]


def test_template_folders_that_cannot_serve_are_refused(tmp_path, template_dir):
    assert load_template_dir(template_dir).source == str(template_dir)
    (template_dir / "write.jinja").unlink()
    with pytest.raises(TemplateError, match="lacks write.jinja"):
        load_template_dir(template_dir)
    (template_dir / "surveycpm_write.jinja").write_text("{{ user_query }} {{ oops }}")
    with pytest.raises(TemplateError, match="uses oops"):
        load_template_dir(template_dir)
    (template_dir / "surveycpm_write.jinja").write_text("{% if %}")
    with pytest.raises(TemplateError, match="syntax error"):
        load_template_dir(template_dir)
    with pytest.raises(TemplateError, match="not found"):
        load_template_dir(tmp_path / "nowhere")


def test_write_with_an_unusable_prompts_folder_fails_clearly(tmp_path):
    result = CliRunner().invoke(cli, ["write", QUERY, "--model", "demo", "--prompts",
                                      str(tmp_path / "nowhere"),
                                      "--project", str(tmp_path / "x.ddproj")])
    assert result.exit_code != 0
    assert "prompts:" in result.output and "not found" in result.output


def test_imported_model_with_prompts_uses_them_by_default(tmp_path, template_dir,
                                                          rain_library):
    from engine.bundled import demo_llm_path

    runner = CliRunner()
    imported = runner.invoke(cli, ["models", "import", str(demo_llm_path()), "--name", "tiny",
                                   "--link", "--prompts", str(template_dir)])
    assert imported.exit_code == 0, imported.output
    assert "prompt templates in" in imported.output
    project = tmp_path / "m.ddproj"
    result = runner.invoke(cli, ["write", QUERY, "--library", "templates-tests", "--model",
                                 "tiny", "--max-steps", "1", "--project", str(project)])
    assert result.exit_code == 0, result.output
    first = ProjectStore.open(project).steps()[0]["prompt"]
    assert first == f"S|{QUERY}|There is no survey.|You need to update outline\n"
    builtin = tmp_path / "b.ddproj"
    result = runner.invoke(cli, ["write", QUERY, "--library", "templates-tests", "--model",
                                 "tiny", "--max-steps", "1", "--project", str(builtin),
                                 "--prompts", "builtin"])
    assert result.exit_code == 0, result.output
    assert "** User Query **" in ProjectStore.open(builtin).steps()[0]["prompt"]


def test_import_refuses_an_incomplete_template_folder(tmp_path, template_dir):
    from engine.bundled import demo_llm_path
    from engine.llm.catalog import find_model

    (template_dir / "init_plan.jinja").unlink()
    result = CliRunner().invoke(cli, ["models", "import", str(demo_llm_path()), "--name",
                                      "tiny", "--link", "--prompts", str(template_dir)])
    assert result.exit_code != 0 and "lacks init_plan.jinja" in result.output
    assert find_model("tiny") is None
