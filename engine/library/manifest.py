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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from engine.library import keywords
from engine.library.cjk import index_text
from engine.library.dedup import text_key
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
    # Repeated text stored once (engine.library.dedup): each chunk row names its text's
    # key; `texts` counts the rows per key and the keyword index holds each key once;
    # `vector_journal` lists keys whose vectors may be orphaned until the next sweep
    # (written before any vector changes, so a kill leaves nothing unaccounted for).
    # What reading set aside per document. A manifest with chunks keeps per-chunk vector
    # ids in Chroma until the library converts them (Library._convert_vectors).
    Migration("shared_vectors", """
    ALTER TABLE chunks ADD COLUMN text_key TEXT NOT NULL DEFAULT '';
    UPDATE chunks SET text_key = dd_text_key(text);
    CREATE INDEX chunks_key ON chunks(text_key);
    ALTER TABLE documents ADD COLUMN header_pages INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE documents ADD COLUMN repeated INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE texts (rowid INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
                        refs INTEGER NOT NULL);
    CREATE TABLE vector_journal (key TEXT NOT NULL);
    DROP TRIGGER chunks_ai;
    DROP TRIGGER chunks_ad;
    DROP TABLE chunks_fts;
    CREATE VIRTUAL TABLE chunks_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2');
    INSERT INTO texts(key, refs) SELECT text_key, count(*) FROM chunks GROUP BY text_key;
    INSERT INTO chunks_fts(rowid, text) SELECT t.rowid, dd_index_text(c.text) FROM texts t
        JOIN chunks c ON c.rowid = (SELECT min(rowid) FROM chunks WHERE text_key = t.key);
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT OR IGNORE INTO texts(key, refs) VALUES (new.text_key, 0);
        UPDATE texts SET refs = refs + 1 WHERE key = new.text_key;
        INSERT INTO chunks_fts(rowid, text) SELECT rowid, dd_index_text(new.text) FROM texts
            WHERE key = new.text_key AND refs = 1; END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        UPDATE texts SET refs = refs - 1 WHERE key = old.text_key;
        DELETE FROM chunks_fts WHERE rowid IN
            (SELECT rowid FROM texts WHERE key = old.text_key AND refs = 0);
        DELETE FROM texts WHERE key = old.text_key AND refs = 0; END;
    INSERT OR REPLACE INTO meta SELECT 'vector_ids',
        CASE WHEN EXISTS (SELECT 1 FROM chunks) THEN 'chunk' ELSE 'text' END;
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
    header_pages: int = 0     # pages whose running header/footer lines were set aside
    repeated: int = 0         # chunks whose text also occurs elsewhere (one vector)

    def set_aside(self) -> str:
        """What reading and indexing left out, for the library panel: "running header
        removed from 15 pages; 40 repeated passages stored once" ('' when nothing)."""
        parts = []
        if self.header_pages:
            parts.append(f"running header removed from {self.header_pages} "
                         f"page{'s' * (self.header_pages != 1)}")
        if self.repeated:
            parts.append(f"{self.repeated} repeated passage{'s' * (self.repeated != 1)} "
                         "stored once")
        return "; ".join(parts)


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
    text_key: str = ""

    def __post_init__(self) -> None:
        self.text_key = self.text_key or text_key(self.text)


_CHUNK_COLUMNS = "chunk_id, doc_id, idx, text, page, locator, heading_path, char_start, " \
    "char_end, text_key"


def _chunk_row(row) -> ChunkRow:
    data = dict(row)
    data["heading_path"] = json.loads(data["heading_path"])
    return ChunkRow(**data)


class Manifest:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # One connection shared by the GUI's worker and reader threads, serialised by a lock.
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        # The keyword index's text transform, used by its triggers (migration 2).
        self._db.create_function("dd_index_text", 1, index_text, deterministic=True)
        self._db.create_function("dd_text_key", 1, text_key, deterministic=True)
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

    def begin(self, doc_id: str, path: str, size: int, mtime_ns: int,
              keys: list[str] = ()) -> set[str]:
        """Mark a document as in progress, committed before any vector is written: its
        old chunk rows go, their keys and the new `keys` are journaled. Returns the old
        keys (their vectors stay until the sweep after the document is committed)."""
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO documents(doc_id, path, size, mtime_ns, status) VALUES (?,?,?,?,?) "
                "ON CONFLICT(doc_id) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns, "
                "status=excluded.status, reason='', detail='', updated=((julianday('now') - 2440587.5) * 86400.0)",
                (doc_id, path, size, mtime_ns, PENDING))
            old = self._forget_chunks(doc_id)
            self._db.executemany("INSERT INTO vector_journal VALUES (?)",
                                 [(k,) for k in set(keys) - old])
        return old

    def _forget_chunks(self, doc_id: str) -> set[str]:
        """Journal a document's keys and delete its chunk rows (inside a transaction).
        The old version's passages go at once (a kill-9 soak found them left behind):
        keyword search never offers text that is being replaced."""
        old = {r[0] for r in self._db.execute(
            "SELECT DISTINCT text_key FROM chunks WHERE doc_id=?", (doc_id,))}
        self._db.executemany("INSERT INTO vector_journal VALUES (?)", [(k,) for k in old])
        self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        return old

    @contextmanager
    def _transaction(self):
        self._db.execute("BEGIN")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def commit_indexed(self, record: DocRecord, chunks: list[ChunkRow]) -> int:
        """Store the chunk rows and mark the document indexed; returns how many of its
        chunks share their text with another chunk (the record's `repeated`)."""
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM chunks WHERE doc_id=?", (record.doc_id,))
            self._db.executemany(
                f"INSERT INTO chunks({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, c.idx, c.text, c.page, c.locator,
                  json.dumps(c.heading_path, ensure_ascii=False), c.char_start, c.char_end,
                  c.text_key) for c in chunks])
            record.repeated = self._db.execute(
                "SELECT count(*) FROM chunks c JOIN texts t ON t.key = c.text_key "
                "WHERE c.doc_id = ? AND t.refs > 1", (record.doc_id,)).fetchone()[0]
            self._upsert(record, INDEXED)
        return record.repeated

    def record_failed(self, record: DocRecord) -> None:
        with self._lock, self._transaction():
            self._forget_chunks(record.doc_id)
            self._upsert(record, FAILED)

    def _upsert(self, r: DocRecord, status: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO documents(doc_id, path, size, mtime_ns, sha256, title, pages, "
            "n_chunks, status, reason, detail, header_pages, repeated) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.doc_id, r.path, r.size, r.mtime_ns, r.sha256, r.title, r.pages, r.n_chunks,
             status, r.reason, r.detail, r.header_pages, r.repeated))

    def touch(self, doc_id: str, size: int, mtime_ns: int) -> None:
        """Same content under a new stat (copied, touched): remember the new stat."""
        with self._lock:
            self._db.execute("UPDATE documents SET size=?, mtime_ns=? WHERE doc_id=?",
                             (size, mtime_ns, doc_id))

    def delete(self, doc_id: str) -> None:
        with self._lock, self._transaction():
            self._forget_chunks(doc_id)
            self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    # shared vectors (engine.library.dedup) ---------------------------------------
    def stored_keys(self, keys: list[str]) -> set[str]:
        """Those of `keys` some committed chunk row holds (so their vector exists)."""
        found: set[str] = set()
        with self._lock:
            for part in _parts(keys):
                found.update(r[0] for r in self._db.execute(
                    f"SELECT key FROM texts WHERE key IN ({','.join('?' * len(part))})", part))
        return found

    def orphaned_keys(self) -> list[str]:
        """Journaled keys no chunk row holds any more: their vectors are to be deleted."""
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT DISTINCT key FROM vector_journal WHERE key NOT IN (SELECT key FROM texts)")]

    def texts(self, keys: list[str]) -> dict[str, str]:
        """key -> the text (as first stored) of each stored key."""
        found: dict[str, str] = {}
        with self._lock:
            for part in _parts(keys):
                found.update(self._db.execute(
                    f"SELECT text_key, text FROM chunks WHERE rowid IN (SELECT min(rowid) "
                    f"FROM chunks WHERE text_key IN ({','.join('?' * len(part))}) "
                    "GROUP BY text_key)", part).fetchall())
        return found

    def keys(self) -> set[str]:
        """Every stored text's key: the ids the vector store must hold."""
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT key FROM texts")}

    def journal(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT key FROM vector_journal")}

    def clear_journal(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM vector_journal")

    def locations(self, keys: list[str], limit: int = 200) -> dict[str, tuple[int, list[ChunkRow]]]:
        """key -> (how many chunk rows hold it, up to `limit` of them, earliest first).
        Two queries for all keys: a search resolves its 20-40 hits at once."""
        found: dict[str, tuple[int, list[ChunkRow]]] = {}
        with self._lock:
            for part in _parts(list(dict.fromkeys(keys))):
                marks = ",".join("?" * len(part))
                for key, refs in self._db.execute(
                        f"SELECT key, refs FROM texts WHERE key IN ({marks})", part):
                    found[key] = (refs, [])
                for row in self._db.execute(
                        f"SELECT {_CHUNK_COLUMNS} FROM (SELECT *, row_number() OVER "
                        f"(PARTITION BY text_key ORDER BY rowid) AS n FROM chunks WHERE "
                        f"text_key IN ({marks})) WHERE n <= ? ORDER BY rowid", (*part, limit)):
                    chunk = _chunk_row(row)
                    if chunk.text_key in found:
                        found[chunk.text_key][1].append(chunk)
        return found

    # chunks --------------------------------------------------------------------
    def chunk_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def text_count(self, at_most: int = -1) -> int:
        """Distinct chunk texts: the vectors the store should hold (counted up to
        `at_most` when given: a full count took milliseconds at 100,000 texts)."""
        with self._lock:
            return self._db.execute("SELECT count(*) FROM (SELECT 1 FROM texts LIMIT ?)",
                                    (at_most,)).fetchone()[0]

    def chunks(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        found: dict[str, ChunkRow] = {}
        with self._lock:
            for part in _parts(chunk_ids):
                marks = ",".join("?" * len(part))
                for row in self._db.execute(
                        f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})", part):
                    chunk = _chunk_row(row)
                    found[chunk.chunk_id] = chunk
        return found

    def bm25(self, match: str, limit: int) -> list[tuple[str, float]]:
        """(text key, score) best first for an FTS5 MATCH expression; higher is better."""
        if not match:
            return []
        with self._lock:
            return keywords.bm25_all(self._db, match, limit)

    def keyword_hits(self, terms: list[str], need: int, limit: int) -> list[tuple[str, float]]:
        """BM25 over the texts holding at least `need` of the index `terms`
        (engine.library.keywords), (text key, score) best first."""
        with self._lock:
            return keywords.ranked(self._db, terms, need, limit)

    def titles(self, doc_ids: list[str]) -> dict[str, tuple[str, str]]:
        """doc_id -> (title, path)."""
        with self._lock:
            rows = self._db.execute("SELECT doc_id, title, path FROM documents").fetchall() \
                if len(doc_ids) > 500 else self._db.execute(
                    f"SELECT doc_id, title, path FROM documents WHERE doc_id IN "
                    f"({','.join('?' * len(doc_ids))})", doc_ids).fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}


def _parts(items: list, size: int = 500):
    """Slices that stay under SQLite's variable limit."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]
