"""`deepdraft export PROJECT ...` on a project file made through the project store."""
from __future__ import annotations

from click.testing import CliRunner

from engine.cli import cli
from engine.library.types import Passage
from engine.project.project_store import ProjectStore, StepRecord
from engine.report.outline import Node, Outline
from engine.report.registry import CitationRegistry
from tests.export import reading


def _project(tmp_path):
    path = tmp_path / "floods.ddproj"
    store = ProjectStore.create(path, "What caused the floods?", {"author": "Ada"})
    outline = Outline(title="Floods", sections=[
        Node("Causes", content="Rain **mostly** \\cite{textid1} and \\cite{textid7}."),
        Node("Outlook", plan="Rebuilding.")])
    registry = CitationRegistry()
    registry.register([Passage(chunk_id="c1", text="t", doc_id="d", path="/lib/rain.pdf",
                               title="Rain Report", page=3)])
    store.commit_step(StepRecord(step=1, kind="write", cursor="section-1", attempt=1,
                                 prompt="p", raw_reply="r", action={"name": "write"},
                                 valid=True), outline, {"steps": 1}, registry)
    store.close()
    return path


def test_export_writes_docx_and_markdown(tmp_path):
    project = _project(tmp_path)
    docx_path, md_path = tmp_path / "out" / "r.docx", tmp_path / "out" / "r.md"
    result = CliRunner().invoke(cli, ["export", str(project), "--docx", str(docx_path),
                                      "--md", str(md_path), "--unwritten", "plan"])
    assert result.exit_code == 0, result.output
    assert "textid7" in result.output         # the unknown key is reported
    document = reading.open_docx(docx_path)
    assert [t for _, t in reading.headings(document)] == ["1 Causes", "2 Outlook",
                                                          "References"]
    assert document.core_properties.author == "Ada"
    assert reading.reference_entries(document) == ["[1]\tRain Report. rain.pdf, p. 3."]
    markdown = md_path.read_text(encoding="utf-8")
    assert "Rain **mostly** [1] and [?textid7]." in markdown


def test_no_numbers_and_usage_errors(tmp_path):
    project = _project(tmp_path)
    runner = CliRunner()
    out = tmp_path / "r.docx"
    assert runner.invoke(cli, ["export", str(project), "--docx", str(out),
                               "--no-numbers"]).exit_code == 0
    assert [t for _, t in reading.headings(reading.open_docx(out))] == ["Causes", "Outlook", "References"]
    assert runner.invoke(cli, ["export", str(project)]).exit_code == 2
    missing = runner.invoke(cli, ["export", str(tmp_path / "nope.ddproj"), "--md", "x.md"])
    assert missing.exit_code == 1 and "no project file" in missing.output
