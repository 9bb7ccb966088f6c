"""Append-only schema migrations for project files. Never edit a shipped migration;
add a new function at the end. PRAGMA user_version holds how many have run."""
from __future__ import annotations

import sqlite3


def _v1(db: sqlite3.Connection) -> None:
    db.executescript("""
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
    """)


def _v2_section_versions(db: sqlite3.Connection) -> None:
    """Every version of every section's text, the agent's and the user's (History)."""
    from engine.project.versions import create_versions_table

    create_versions_table(db)


MIGRATIONS = [_v1, _v2_section_versions]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"project file has schema {version}; this Deepdraft knows "
                           f"{SCHEMA_VERSION}. Update Deepdraft to open it.")
    for index in range(version, SCHEMA_VERSION):
        with db:
            MIGRATIONS[index](db)
            db.execute(f"PRAGMA user_version = {index + 1}")
