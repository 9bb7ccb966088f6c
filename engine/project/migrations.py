"""The project file's schema migrations, named and in order (engine.schema_migrations
runs them and records each in the file's `migrations` table). Never edit a shipped
migration; add a new one at the end. Before the table, PRAGMA user_version held how many
had run."""
from __future__ import annotations

import sqlite3

from engine.project.errors import ProjectError
from engine.schema_migrations import Migration, NewerSchemaError, Schema
from engine.schema_migrations import migrate as run_migrations

_TABLES = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE state (id INTEGER PRIMARY KEY CHECK (id = 1),
                            outline TEXT NOT NULL, run TEXT NOT NULL, updated REAL NOT NULL);
        CREATE TABLE steps (
            step INTEGER PRIMARY KEY,
            kind TEXT NOT NULL, cursor TEXT, attempt INTEGER NOT NULL,
            prompt_hash TEXT NOT NULL, prompt TEXT NOT NULL,
            raw_reply TEXT NOT NULL, action TEXT, valid INTEGER NOT NULL,
            problems TEXT NOT NULL, shown_keys TEXT NOT NULL, budget_moves TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL, prompt_tokens_evaluated INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL, model_seconds REAL NOT NULL,
            retrieval_seconds REAL NOT NULL, engine_seconds REAL NOT NULL,
            finished REAL NOT NULL);
        CREATE TABLE citations (key TEXT PRIMARY KEY, n INTEGER NOT NULL UNIQUE,
                                chunk_id TEXT NOT NULL, passage TEXT NOT NULL);
        CREATE TABLE decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, after_step INTEGER NOT NULL,
                                kind TEXT NOT NULL, payload TEXT NOT NULL, created REAL NOT NULL);
"""


def _v2_section_versions(db: sqlite3.Connection) -> None:
    """Every version of every section's text, the agent's and the user's (History)."""
    from engine.project.versions import create_versions_table

    create_versions_table(db)


def _v3_claim_checks(db: sqlite3.Connection) -> None:
    """The claim check's flags per section and the flags the user dismissed."""
    from engine.project.claim_checks import TABLES

    for statement in TABLES.split(";"):
        db.execute(statement)


MIGRATIONS = (
    Migration("tables", _TABLES),
    Migration("section_versions", _v2_section_versions),
    Migration("claim_checks", _v3_claim_checks),
)
SCHEMA_VERSION = len(MIGRATIONS)
SCHEMA = Schema("project file", MIGRATIONS,
                legacy_count=lambda db: db.execute("PRAGMA user_version").fetchone()[0],
                count_sql=lambda count: f"PRAGMA user_version = {count}")


def migrate(db: sqlite3.Connection) -> list[str]:
    """Bring a project file up to date; returns the migrations run now."""
    try:
        return run_migrations(db, SCHEMA)
    except NewerSchemaError as exc:
        raise ProjectError(str(exc)) from None
