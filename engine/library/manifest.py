"""The library manifest: one SQLite file beside the vector store.

It records every file seen (size, mtime, content hash, pages, status, failure reason)
and every chunk's text and position, so that
- a re-scan decides "unchanged" from a stat and one row, without touching Chroma;
- lexical (BM25) search runs on an FTS5 index of the chunk text;
- a document's status becomes 'indexed' only in the transaction that stores its chunk
  rows, which runs after the vectors are in Chroma. A crash leaves 'pending', and the
  next ingest redoes that file (chunk ids are deterministic, so nothing duplicates).
Schema changes are named, append-only migrations recorded in its `migrations` table
(engine.schema_migrations); older manifests kept only `meta.schema_version`.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from engine.library.cjk import index_text
from engine.library.errors import LibraryError
from engine.schema_migrations import Migration, NewerSchemaError, Schema, migrate

PENDING, INDEXED, FAILED = "pending", "indexed", "failed"

MIGRATIONS = (
    Migration("tables", """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',
        pages INTEGER NOT NULL DEFAULT 0, n_chunks INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',
        updated REAL NOT NULL DEFAULT (((julianday('now') - 2440587.5) * 86400.0)));
    CREATE TABLE chunks (
        rowid INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
        idx INTEGER NOT NULL, text TEXT NOT NULL, page INTEGER, locator TEXT NOT NULL,
        heading_path TEXT NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL);
    CREATE INDEX chunks_doc ON chunks(doc_id);
    CREATE VIRTUAL TABLE chunks_fts USING fts5(
        text, content='chunks', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text); END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END;
    """),
    # Chinese terms findable. The keyword index holds its own copy of each chunk's
    # text with CJK runs split into character pairs (engine.library.cjk), so it is no
    # longer an external-content table; existing chunks are re-indexed here.
    Migration("cjk_keyword_index", """
    DROP TRIGGER chunks_ai;
    DROP TRIGGER chunks_ad;
    DROP TABLE chunks_fts;
    CREATE VIRTUAL TABLE chunks_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2');
    INSERT INTO chunks_fts(rowid, text) SELECT rowid, dd_index_text(text) FROM chunks;
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, dd_index_text(new.text)); END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.rowid; END;
    """),
)


def _legacy_count(db: sqlite3.Connection) -> int:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else 0


SCHEMA = Schema("library manifest", MIGRATIONS, legacy_count=_legacy_count,
                count_sql=lambda n: f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{n}')")


@dataclass
class DocRecord:
    doc_id: str
    path: str
    size: int
    mtime_ns: int
    sha256: str
    title: str
    pages: int
    n_chunks: int
    status: str
    reason: str
    detail: str
    updated: float


@dataclass
class ChunkRow:
    chunk_id: str
    doc_id: str
    idx: int
    text: str
    page: int | None
    locator: str
    heading_path: list[str]
    char_start: int
    char_end: int


class Manifest:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # One connection shared by the GUI's worker and reader threads, serialised by a lock.
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        # The keyword index's text transform, used by its triggers (migration 2).
        self._db.create_function("dd_index_text", 1, index_text, deterministic=True)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            try:
                migrate(self._db, SCHEMA)
            except NewerSchemaError as exc:
                raise LibraryError(f"{self.path}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # documents -----------------------------------------------------------------
    def get(self, path: str) -> DocRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM documents WHERE path=?", (path,)).fetchone()
        return DocRecord(**row) if row else None

    def documents(self) -> list[DocRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM documents ORDER BY path").fetchall()
        return [DocRecord(**row) for row in rows]

    def under(self, folder: str) -> list[DocRecord]:
        """Documents whose path is `folder` itself or inside it."""
        prefix = folder.rstrip("/\\") + "/"
        return [d for d in self.documents() if d.path == folder or d.path.startswith(prefix)]

    def begin(self, doc_id: str, path: str, size: int, mtime_ns: int) -> None:
        """Mark a document as in progress; committed before any vector is written."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute(
                    "INSERT INTO documents(doc_id, path, size, mtime_ns, status) VALUES (?,?,?,?,?) "
                    "ON CONFLICT(doc_id) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns, "
                    "status=excluded.status, reason='', detail='', updated=((julianday('now') - 2440587.5) * 86400.0)",
                    (doc_id, path, size, mtime_ns, PENDING))
                # The old version's passages go with its vectors (a kill-9 soak found them
                # left behind): keyword search never offers text that is being replaced.
                self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def commit_indexed(self, record: DocRecord, chunks: list[ChunkRow]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute("DELETE FROM chunks WHERE doc_id=?", (record.doc_id,))
                self._db.executemany(
                    "INSERT INTO chunks(chunk_id, doc_id, idx, text, page, locator, heading_path, "
                    "char_start, char_end) VALUES (?,?,?,?,?,?,?,?,?)",
                    [(c.chunk_id, c.doc_id, c.idx, c.text, c.page, c.locator,
                      json.dumps(c.heading_path, ensure_ascii=False), c.char_start, c.char_end)
                     for c in chunks])
                self._upsert(record, INDEXED)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def record_failed(self, record: DocRecord) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM chunks WHERE doc_id=?", (record.doc_id,))
            self._upsert(record, FAILED)
            self._db.execute("COMMIT")

    def _upsert(self, r: DocRecord, status: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO documents(doc_id, path, size, mtime_ns, sha256, title, pages, "
            "n_chunks, status, reason, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (r.doc_id, r.path, r.size, r.mtime_ns, r.sha256, r.title, r.pages, r.n_chunks,
             status, r.reason, r.detail))

    def touch(self, doc_id: str, size: int, mtime_ns: int) -> None:
        """Same content under a new stat (copied, touched): remember the new stat."""
        with self._lock:
            self._db.execute("UPDATE documents SET size=?, mtime_ns=? WHERE doc_id=?",
                             (size, mtime_ns, doc_id))

    def delete(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self._db.execute("COMMIT")

    # chunks --------------------------------------------------------------------
    def chunk_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def chunks(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        found: dict[str, ChunkRow] = {}
        with self._lock:
            for start in range(0, len(chunk_ids), 500):  # stay under SQLite's variable limit
                part = chunk_ids[start:start + 500]
                marks = ",".join("?" * len(part))
                for row in self._db.execute(
                        f"SELECT chunk_id, doc_id, idx, text, page, locator, heading_path, "
                        f"char_start, char_end FROM chunks WHERE chunk_id IN ({marks})", part):
                    data = dict(row)
                    data["heading_path"] = json.loads(data["heading_path"])
                    found[data["chunk_id"]] = ChunkRow(**data)
        return found

    def bm25(self, match: str, limit: int) -> list[tuple[str, float]]:
        """(chunk_id, score) best first for an FTS5 MATCH expression; higher is better."""
        if not match:
            return []
        with self._lock:
            rows = self._db.execute(
                # Rank inside FTS5 first (its ORDER BY rank LIMIT path), then join the
                # few survivors: about 20% faster at 100k chunks than joining every match.
                "SELECT c.chunk_id, f.s FROM (SELECT rowid, rank AS s FROM chunks_fts "
                "WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?) f "
                "JOIN chunks c ON c.rowid = f.rowid ORDER BY f.s", (match, limit)).fetchall()
        return [(row[0], -row[1]) for row in rows]

    def titles(self, doc_ids: list[str]) -> dict[str, tuple[str, str]]:
        """doc_id -> (title, path)."""
        with self._lock:
            rows = self._db.execute("SELECT doc_id, title, path FROM documents").fetchall() \
                if len(doc_ids) > 500 else self._db.execute(
                    f"SELECT doc_id, title, path FROM documents WHERE doc_id IN "
                    f"({','.join('?' * len(doc_ids))})", doc_ids).fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}
