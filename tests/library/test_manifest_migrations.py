"""Library manifests from earlier releases (tests/data/old_formats, written by those
releases' code) are upgraded by named migrations recorded in the `migrations` table and
keep their documents and chunks."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from engine import schema_migrations
from engine.library.errors import LibraryError
from engine.library.manifest import MIGRATIONS, Manifest
from engine.library.retrieval import fts_query

OLD = Path(__file__).resolve().parents[1] / "data" / "old_formats"
NAMES = [m.name for m in MIGRATIONS]


def recorded(path: Path) -> list[tuple[str, str | None]]:
    db = sqlite3.connect(path)
    try:
        return schema_migrations.applied(db)
    finally:
        db.close()


def test_a_new_manifest_records_its_migrations(tmp_path):
    Manifest(tmp_path / "m" / "manifest.sqlite").close()
    rows = recorded(tmp_path / "m" / "manifest.sqlite")
    assert [n for n, _ in rows] == NAMES == ["tables", "cjk_keyword_index", "shared_vectors"]
    assert all(at for _, at in rows)


@pytest.mark.parametrize("name, ran_before", [("manifest-schema1.sqlite", 1),
                                              ("manifest-schema2.sqlite", 2)])
def test_an_old_manifest_is_upgraded_and_keeps_its_chunks(name, ran_before, tmp_path):
    path = tmp_path / "manifest.sqlite"
    shutil.copyfile(OLD / name, path)
    manifest = Manifest(path)
    assert [d.path for d in manifest.documents()] == ["/docs/floods.txt"]
    assert manifest.chunk_count() == 2
    assert manifest.get_meta("embedding_model") == "all-MiniLM-L6-v2"
    rows = manifest.chunks(["doc1:0", "doc1:1"])
    # the keyword index now answers with text keys (one per distinct text)
    assert [k for k, _ in manifest.bm25(fts_query("洪水"), 5)] == [rows["doc1:1"].text_key]
    assert [k for k, _ in manifest.bm25(fts_query("schools"), 5)] == [rows["doc1:0"].text_key]
    assert manifest.text_count() == 2
    # its vectors are still per chunk in Chroma until the library converts them
    assert manifest.get_meta("vector_ids") == "chunk"
    assert manifest.get_meta("schema_version") == str(len(NAMES))
    manifest.close()
    rows = recorded(path)
    assert [n for n, _ in rows] == NAMES
    assert [at for _, at in rows[:ran_before]] == [None] * ran_before
    assert all(at for _, at in rows[ran_before:])


def test_a_manifest_from_a_newer_release_is_a_library_error(tmp_path):
    path = tmp_path / "manifest.sqlite"
    Manifest(path).close()
    db = sqlite3.connect(path)
    db.execute(f"INSERT INTO migrations VALUES ({len(NAMES) + 1}, 'from_the_future', "
               "'2030-01-01')")
    db.commit()
    db.close()
    with pytest.raises(LibraryError, match="newer Deepdraft.*from_the_future"):
        Manifest(path)
