"""The project store: steps committed with state, reopened intact, migrations."""
from __future__ import annotations

import sqlite3

import pytest

from engine.library.types import Passage
from engine.project.migrations import SCHEMA_VERSION
from engine.project.project_store import ProjectError, ProjectStore, StepRecord, load_report
from engine.report.outline import Node, Outline
from engine.report.registry import CitationRegistry


def test_round_trip(tmp_path):
    path = tmp_path / "r.ddproj"
    store = ProjectStore.create(path, "What happened?", {"author": "Ada"})
    outline = Outline(title="T", sections=[Node("A", content="Text \\cite{textid1}")])
    registry = CitationRegistry()
    registry.register([Passage(chunk_id="c1", text="t", doc_id="d", path="/a.pdf",
                               title="A", page=3)])
    store.commit_step(StepRecord(step=1, kind="write", cursor="section-1", attempt=1,
                                 prompt="p", raw_reply="r", action={"name": "write"},
                                 valid=True), outline, {"steps": 1}, registry)
    store.close()
    store = ProjectStore.open(path)
    assert store.query == "What happened?"
    assert store.load_outline().to_dict() == outline.to_dict()
    assert store.load_registry().resolve("textid1").page == 3
    assert [s["step"] for s in store.steps()] == [1]
    with pytest.raises(sqlite3.IntegrityError):  # a step is never recorded twice
        store.commit_step(StepRecord(step=1, kind="write", cursor=None, attempt=1, prompt="",
                                     raw_reply="", action=None, valid=False), outline, {},
                          registry)
    store.close()
    report = load_report(path)
    assert report.author == "Ada" and report.citations["textid1"].page == 3
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_refuses_bad_files(tmp_path):
    junk = tmp_path / "junk.ddproj"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ProjectError):
        ProjectStore.open(junk)
    with pytest.raises(ProjectError):
        ProjectStore.open(tmp_path / "missing.ddproj")
    ProjectStore.create(tmp_path / "x.ddproj", "q", {}).close()
    with pytest.raises(ProjectError, match="resume"):
        ProjectStore.create(tmp_path / "x.ddproj", "q", {})
