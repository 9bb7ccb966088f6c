"""The claim check's results in the project: the flags of each section as last checked
(with a hash of the text they were computed from, so a stale result is known), and the
flags the user dismissed. Flags are stored as plain dicts (engine.check.types.Flag
.to_dict); this module knows nothing of how they are computed. The check is recorded
beside the run, never in what the model is shown."""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time

TABLES = """
    CREATE TABLE claim_checks (node_id TEXT PRIMARY KEY, text_hash TEXT NOT NULL,
                               flags TEXT NOT NULL, step INTEGER NOT NULL,
                               checked REAL NOT NULL);
    CREATE TABLE claim_dismissals (flag_id TEXT PRIMARY KEY, node_id TEXT NOT NULL,
                                   flag TEXT NOT NULL, created REAL NOT NULL)
"""


def text_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def save_check(db: sqlite3.Connection, node_id: str, text: str | None, flags: list[dict],
               step: int) -> None:
    db.execute("INSERT OR REPLACE INTO claim_checks VALUES (?, ?, ?, ?, ?)",
               (node_id, text_hash(text), json.dumps(flags, ensure_ascii=False), step,
                time.time()))


def load_checks(db: sqlite3.Connection) -> dict[str, tuple[str, list[dict]]]:
    """node_id -> (hash of the text checked, its flags)."""
    rows = db.execute("SELECT node_id, text_hash, flags FROM claim_checks")
    return {node: (digest, json.loads(flags)) for node, digest, flags in rows}


def dismiss(db: sqlite3.Connection, flag: dict, after_step: int) -> None:
    """Record the dismissal, and the decision in the project's decision log."""
    payload = json.dumps(flag, ensure_ascii=False)
    now = time.time()
    db.execute("INSERT OR REPLACE INTO claim_dismissals VALUES (?, ?, ?, ?)",
               (flag["id"], flag.get("node_id", ""), payload, now))
    db.execute("INSERT INTO decisions (after_step, kind, payload, created) VALUES (?, ?, ?, ?)",
               (after_step, "dismiss-flag", payload, now))


def dismissed_ids(db: sqlite3.Connection) -> set[str]:
    return {flag_id for (flag_id,) in db.execute("SELECT flag_id FROM claim_dismissals")}
