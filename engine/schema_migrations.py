"""Named, ordered, append-only schema migrations for Deepdraft's SQLite files (the
project file and the library manifest), recorded in a `migrations` table: which ran,
in what order, and when.

Never edit or reorder a shipped migration; add a new one at the end. Each runs in its
own transaction together with its row in the table, so a kill mid-upgrade leaves the
file at the last complete migration. Files from before the table existed kept only a
count (the project's PRAGMA user_version, the manifest's meta.schema_version); the
first open records that many migrations as done, with no time (`applied_at` NULL),
and runs the rest. The legacy count is still written after each migration, so an older
Deepdraft that reads only the count refuses a file newer than it knows.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Union

Apply = Union[str, Callable[[sqlite3.Connection], None]]   # a SQL script or a function

_TABLE = ("CREATE TABLE IF NOT EXISTS migrations (position INTEGER PRIMARY KEY, "
          "name TEXT NOT NULL UNIQUE, applied_at TEXT)")
_NAME = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Migration:
    name: str        # stable identifier, recorded in the file
    apply: Apply


class NewerSchemaError(RuntimeError):
    """The file was migrated by a newer Deepdraft (a migration this one does not know)."""


@dataclass(frozen=True)
class Schema:
    """One file format: its migrations and how it kept its count before the table."""
    what: str                                          # "project file", "library manifest"
    migrations: tuple[Migration, ...]
    legacy_count: Callable[[sqlite3.Connection], int]  # done before the table existed
    count_sql: Callable[[int], str]                    # writes the legacy count


def migrate(db: sqlite3.Connection, schema: Schema) -> list[str]:
    """Bring `db` up to date; returns the names of the migrations run now."""
    names = [m.name for m in schema.migrations]
    assert all(_NAME.match(n) for n in names) and len(set(names)) == len(names), names
    done = _recorded(db, schema, names)
    unknown = [name for name in done if name not in names]
    if unknown or done != names[:len(done)]:
        raise NewerSchemaError(
            f"this {schema.what} was upgraded by a newer Deepdraft (migrations "
            f"{', '.join(unknown or done)}); update Deepdraft to open it")
    ran = []
    for position, migration in enumerate(schema.migrations[len(done):], start=len(done) + 1):
        _run_one(db, schema, position, migration)
        ran.append(migration.name)
    return ran


def applied(db: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """(name, applied_at) in order; applied_at None: ran before the table was kept."""
    return [(name, at) for name, at in
            db.execute("SELECT name, applied_at FROM migrations ORDER BY position")]


def _recorded(db: sqlite3.Connection, schema: Schema, names: list[str]) -> list[str]:
    has_table = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                           "AND name='migrations'").fetchone()
    if has_table:
        return [name for name, _ in applied(db)]
    count = schema.legacy_count(db)
    if count > len(names):
        raise NewerSchemaError(f"this {schema.what} has schema {count}; this Deepdraft knows "
                               f"{len(names)}. Update Deepdraft to open it.")
    _transaction(db, lambda: _adopt(db, names[:count]))
    return names[:count]


def _adopt(db: sqlite3.Connection, names: list[str]) -> None:
    db.execute(_TABLE)
    db.executemany("INSERT OR IGNORE INTO migrations VALUES (?, ?, NULL)",
                   [(position, name) for position, name in enumerate(names, start=1)])


def _run_one(db: sqlite3.Connection, schema: Schema, position: int,
             migration: Migration) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    record = [_TABLE, f"INSERT INTO migrations VALUES ({position}, '{migration.name}', '{now}')",
              schema.count_sql(position)]
    if isinstance(migration.apply, str):
        # executescript commits any open transaction first, so the script carries its own
        try:
            db.executescript(f"BEGIN;\n{migration.apply};\n" + ";\n".join(record) + ";\nCOMMIT;")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return
    _transaction(db, lambda: (migration.apply(db), [db.execute(sql) for sql in record]))


def _transaction(db: sqlite3.Connection, body: Callable[[], object]) -> None:
    db.execute("BEGIN IMMEDIATE")   # two processes opening one old file: one adopts
    try:
        body()
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
