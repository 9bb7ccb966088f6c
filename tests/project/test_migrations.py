"""Project files from earlier releases (tests/data/old_formats, written by those
releases' code) are detected by their count, upgraded by named migrations recorded in
the `migrations` table, and keep everything they held."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from engine import schema_migrations
from engine.project.errors import ProjectError
from engine.project.migrations import MIGRATIONS
from engine.project.project_store import ProjectStore

OLD = Path(__file__).resolve().parents[1] / "data" / "old_formats"
NAMES = [m.name for m in MIGRATIONS]


def copy_of(name: str, tmp_path) -> Path:
    target = tmp_path / name
    shutil.copyfile(OLD / name, target)
    return target


def recorded(path: Path) -> list[tuple[str, str | None]]:
    db = sqlite3.connect(path)
    try:
        return schema_migrations.applied(db)
    finally:
        db.close()


def test_a_new_project_records_every_migration_with_its_time(tmp_path):
    from engine.warp.run_factory import create_project

    store = create_project(tmp_path / "new.ddproj", "q")
    store.close()
    rows = recorded(tmp_path / "new.ddproj")
    assert [name for name, _ in rows] == NAMES == ["tables", "section_versions", "claim_checks"]
    assert all(at and at.endswith("+00:00") for _, at in rows)


@pytest.mark.parametrize("name, ran_before", [("project-schema1.ddproj", 1),
                                              ("project-schema2.ddproj", 2)])
def test_an_old_project_is_upgraded_and_keeps_its_content(name, ran_before, tmp_path):
    path = copy_of(name, tmp_path)
    store = ProjectStore.open(path)
    outline, registry = store.load_outline(), store.load_registry()
    causes = outline.sections[0]
    assert store.query == "How do floods affect schools?"
    assert (causes.title, causes.content) == ("Causes", "Heavy rain fell for weeks \\cite{textid1}.")
    assert registry.resolve("textid1").text == "Rain fell for six weeks in 2022."
    assert [s["kind"] for s in store.steps()] == ["write"]
    # the section text is in History: seeded by the migration (schema 1) or by the step
    assert [v.content for v in store.section_versions(causes.node_id)] == [causes.content]
    store.close()
    rows = recorded(path)
    assert [n for n, _ in rows] == NAMES
    assert [at for _, at in rows[:ran_before]] == [None] * ran_before   # ran before the table
    assert all(at for _, at in rows[ran_before:])                       # ran now, timed
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(NAMES)


def test_reopening_runs_nothing_again(tmp_path):
    path = copy_of("project-schema1.ddproj", tmp_path)
    ProjectStore.open(path).close()
    first = recorded(path)
    ProjectStore.open(path).close()
    assert recorded(path) == first


def test_a_project_from_a_newer_release_is_refused_untouched(tmp_path):
    path = copy_of("project-schema2.ddproj", tmp_path)
    ProjectStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO migrations VALUES (99, 'from_the_future', '2030-01-01')")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer Deepdraft.*from_the_future"):
        ProjectStore.open(path)
    assert path.read_bytes() == before


def test_a_count_beyond_the_known_migrations_is_refused(tmp_path):
    path = copy_of("project-schema2.ddproj", tmp_path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 7")
    db.commit()
    db.close()
    with pytest.raises(ProjectError, match=f"schema 7; this Deepdraft knows {len(NAMES)}"):
        ProjectStore.open(path)


def test_a_failing_migration_leaves_the_file_at_the_last_complete_one(tmp_path, monkeypatch):
    from engine.project import migrations

    path = copy_of("project-schema1.ddproj", tmp_path)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk I/O error")

    schema = schema_migrations.Schema(
        migrations.SCHEMA.what, (MIGRATIONS[0], schema_migrations.Migration("v2", broken)),
        migrations.SCHEMA.legacy_count, migrations.SCHEMA.count_sql)
    monkeypatch.setattr(migrations, "SCHEMA", schema)
    with pytest.raises(ProjectError, match="disk I/O error"):
        ProjectStore.open(path)
    db = sqlite3.connect(path)
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables and "section_versions" not in tables
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.close()
    assert [n for n, _ in recorded(path)] == ["tables"]
    monkeypatch.undo()
    store = ProjectStore.open(path)            # the real migrations finish the upgrade
    store.close()
    assert [n for n, _ in recorded(path)] == NAMES
