"""`deepdraft library ...` through click, with the real library underneath."""
from __future__ import annotations

import json

from click.testing import CliRunner

from engine.cli import cli
from tests.library.conftest import make_pdf


def run(*args):
    result = CliRunner().invoke(cli, ["library", *args], catch_exceptions=False)
    return result


def test_add_then_search_freshwiki_json(freshwiki_subset):
    added = run("add", str(freshwiki_subset))
    assert added.exit_code == 0, added.output
    assert "indexed  " in added.output and "2 indexed, 0 skipped, 0 failed" in added.output
    found = run("search", "Crimean bridge explosion", "--json", "-k", "3")
    hits = json.loads(found.stdout)
    assert len(hits) == 3
    assert all(h["title"] == "2022 Crimean Bridge explosion" for h in hits)
    assert all(h["path"].endswith("2022_Crimean_Bridge_explosion.txt") for h in hits)
    assert all(h["locator"] and "page" in h and h["text"] and h["score"] > 0 for h in hits)


def test_pdf_page_in_json_and_named_library(tmp_path):
    pdf = make_pdf(tmp_path / "atlas.pdf", ["Volcanoes of Iceland erupt often.",
                                            "Penguins of Antarctica huddle for warmth."])
    assert run("add", str(pdf), "--library", "atlas").exit_code == 0
    hits = json.loads(run("search", "penguin colonies", "--library", "atlas", "--json").stdout)
    assert hits[0]["page"] == 2 and hits[0]["title"] == "atlas"
    assert json.loads(run("search", "penguin", "--json").stdout) == []  # default library is empty


def test_list_remove_and_rescan_report(tmp_path):
    (tmp_path / "a.txt").write_text("Cacti store water in their ribbed stems.")
    (tmp_path / "junk.pdf").write_bytes(b"garbage")
    first = run("add", str(tmp_path))
    assert "failed   " in first.output and "corrupt" in first.output
    again = run("add", str(tmp_path), "-v")
    assert "skipped  " in again.output and "unchanged" in again.output
    listed = json.loads(run("list", "--json").stdout)
    assert {d["status"] for d in listed} == {"indexed", "failed"}
    assert run("list").output.count("[") == 2
    removed = run("remove", str(tmp_path / "a.txt"))
    assert removed.exit_code == 0 and "removed  " in removed.output
    assert run("remove", str(tmp_path / "a.txt")).exit_code == 1
    assert len(json.loads(run("list", "--json").stdout)) == 1
