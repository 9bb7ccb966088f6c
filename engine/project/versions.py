"""Every version of every section's text, kept in the project so nothing written is lost.

A version is recorded whenever a node's text differs from its last recorded version,
inside the same transaction that saves the outline (so every path that changes text is
covered: the agent's writes, the user's edits, rewrites, restores). A write by the agent
also records the passages it was shown for it, so the window can list them later.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field

from engine.report.outline import Outline


@dataclass
class SectionVersion:
    id: int
    node_id: str
    content: str | None            # None: the text was cleared (a rewrite was asked for)
    author: str                    # "agent" | "user"
    step: int                      # the run's step count when it was saved
    created: float
    shown_keys: list[str] = field(default_factory=list)


def create_versions_table(db: sqlite3.Connection) -> None:
    """Migration body: the table, seeded with the text each node holds now."""
    db.execute("CREATE TABLE section_versions (id INTEGER PRIMARY KEY AUTOINCREMENT, "
               "node_id TEXT NOT NULL, content TEXT, author TEXT NOT NULL, "
               "step INTEGER NOT NULL, shown_keys TEXT NOT NULL, created REAL NOT NULL)")
    db.execute("CREATE INDEX section_versions_node ON section_versions(node_id, id)")
    row = db.execute("SELECT outline, run FROM state WHERE id = 1").fetchone()
    if row is not None:
        steps = int(json.loads(row[1] or "{}").get("steps", 0))
        record_versions(db, Outline.from_dict(json.loads(row[0])), steps, [])


def _latest(db: sqlite3.Connection) -> dict[str, tuple[str | None, str]]:
    rows = db.execute("SELECT node_id, content, author FROM section_versions WHERE id IN "
                      "(SELECT max(id) FROM section_versions GROUP BY node_id)")
    return {node_id: (content, author) for node_id, content, author in rows}


def record_versions(db: sqlite3.Connection, outline: Outline, step: int,
                    shown_keys: list[str]) -> int:
    """Insert a version for each node whose text or author changed; returns how many.
    `shown_keys` go with agent-written versions (the passages of the write step)."""
    latest, now, added = _latest(db), time.time(), 0
    for _, node in outline.walk():
        previous = latest.get(node.node_id)
        if previous is None and node.content is None:
            continue   # never written: nothing to keep yet
        if previous == (node.content, node.author):
            continue
        keys = shown_keys if node.author == "agent" and node.content is not None else []
        db.execute("INSERT INTO section_versions (node_id, content, author, step, shown_keys,"
                   " created) VALUES (?, ?, ?, ?, ?, ?)",
                   (node.node_id, node.content, node.author, step, json.dumps(keys), now))
        added += 1
    return added


def section_versions(db: sqlite3.Connection, node_id: str) -> list[SectionVersion]:
    """The node's versions, oldest first."""
    rows = db.execute("SELECT id, node_id, content, author, step, created, shown_keys FROM "
                      "section_versions WHERE node_id = ? ORDER BY id", (node_id,))
    return [SectionVersion(*row[:6], shown_keys=json.loads(row[6])) for row in rows]


def shown_keys_for(db: sqlite3.Connection, node_id: str) -> list[str]:
    """Every passage key the agent was shown while writing this node, first seen first."""
    keys: dict[str, None] = {}
    for version in section_versions(db, node_id):
        keys.update(dict.fromkeys(version.shown_keys))
    return list(keys)
