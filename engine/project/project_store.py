"""One report project = one SQLite file (WAL). Every step is committed together with the
outline and run state it produced, so a kill at any moment loses at most the step in
flight and `resume` continues from the last committed step."""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from engine.atomic import replace
from engine.project import claim_checks
from engine.language import query_language
from engine.library.types import Passage
from engine.project.errors import ProjectError, ProjectReadOnly
from engine.project.migrations import migrate
from engine.project.versions import (SectionVersion, record_versions, section_versions,
                                     shown_keys_for)
from engine.report.outline import Node, Outline
from engine.report.registry import CitationRegistry
from engine.report.snapshot import Report, ReportSection


__all__ = ["ProjectError", "ProjectStore", "StepRecord", "load_report"]


@dataclass
class StepRecord:
    step: int
    kind: str
    cursor: str | None
    attempt: int
    prompt: str
    raw_reply: str
    action: dict | None
    valid: bool
    problems: list[str] = field(default_factory=list)
    shown_keys: list[str] = field(default_factory=list)
    budget_moves: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    prompt_tokens_evaluated: int = 0
    completion_tokens: int = 0
    model_seconds: float = 0.0
    retrieval_seconds: float = 0.0
    engine_seconds: float = 0.0


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class ProjectStore:
    def __init__(self, path: Path, db: sqlite3.Connection, read_only: bool = False) -> None:
        self.path, self._db, self.read_only = path, db, read_only
        self._run_lock = None
        self._write_depth = 0

    @classmethod
    def create(cls, path: str | Path, query: str, settings: dict) -> "ProjectStore":
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; use `deepdraft resume {path}`")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Built under a temporary name and renamed: a kill during creation never leaves
        # a half-made project behind.
        partial = path.with_name(path.name + ".creating")
        partial.unlink(missing_ok=True)
        store = cls._connect(partial)
        with store._db:
            meta = {"query": query, "settings": _dump(settings),
                    "created": datetime.now(timezone.utc).isoformat()}
            store._db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            store._db.execute("INSERT INTO state VALUES (1, ?, ?, ?)",
                              (_dump(Outline().to_dict()), _dump({}), time.time()))
        store._db.execute("PRAGMA journal_mode=DELETE")  # fold the WAL in before renaming
        store.close()
        replace(partial, path)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> "ProjectStore":
        """Open a project. Any opener reads; writes take the project lock (see
        `writer`). `read_only` refuses every write up front: the window follows
        another process's run through such a store (engine.project.follow)."""
        path = Path(path)
        if not path.is_file():
            raise ProjectError(f"no project file at {path}")
        db = sqlite3.connect(str(path))
        try:
            damage = db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path} is not a Deepdraft project ({exc})") from None
        finally:
            db.close()
        if damage != "ok":  # truncated or overwritten pages: refuse before writing anything
            raise ProjectError(f"{path} is damaged ({damage}); it was left as it is. "
                               "Open a backup copy or start a new report.")
        try:
            store = cls._connect(path, read_only)
            store.meta("query")
        except (sqlite3.DatabaseError, KeyError) as exc:
            raise ProjectError(f"{path} is not a Deepdraft project ({exc})") from None
        return store

    @classmethod
    def _connect(cls, path: Path, read_only: bool = False) -> "ProjectStore":
        # check_same_thread off: the desktop reads a project the worker thread writes;
        # every write goes through one transaction per call.
        db = sqlite3.connect(str(path), check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # a committed step survives power loss
        migrate(db)
        if read_only:
            db.execute("PRAGMA query_only=ON")
        return cls(path, db, read_only)

    def hold_run_lock(self) -> None:
        """Claim the right to write this project (a run) until close(); raises
        ProjectBusy while another process (or another run in this one) holds it."""
        from engine.project.run_lock import RunLock

        self._refuse_if_read_only()
        if self._run_lock is None:
            lock = RunLock(self.path)
            lock.acquire()
            self._run_lock = lock

    @property
    def holds_lock(self) -> bool:
        return self._run_lock is not None

    def holder(self):
        """Who writes this project now (engine.project.run_lock.Holder), or None."""
        from engine.project.run_lock import holder_of

        return holder_of(self.path)

    @contextmanager
    def writer(self):
        """Hold the project lock for a read-modify-write (re-entrant); a store that holds
        it already (a run) just writes. Raises ProjectBusy naming the holder, so a second
        process never overwrites a running report, nor a run the edit it was not shown."""
        self._refuse_if_read_only()
        if self._run_lock is not None:
            yield self
            return
        from engine.project.run_lock import RunLock

        with RunLock(self.path) as lock:
            self._run_lock = lock
            try:
                yield self
            finally:
                self._run_lock = None

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ProjectReadOnly(f"{self.path.name} is open read-only (it follows another "
                                  "run); take it over to change it")

    def close(self) -> None:
        if self._run_lock is not None:
            self._run_lock.release()
            self._run_lock = None
        self._db.close()

    # --- reading -----------------------------------------------------------------
    def meta(self, key: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]

    @property
    def query(self) -> str:
        return self.meta("query")

    @property
    def settings(self) -> dict:
        """What the project was started with: model, library, ctx, server_model, author
        and run (engine.warp.state.RunSettings); the app's are engine.app_settings."""
        return json.loads(self.meta("settings"))

    def load_outline(self) -> Outline:
        row = self._db.execute("SELECT outline FROM state WHERE id = 1").fetchone()
        return Outline.from_dict(json.loads(row[0]))

    def load_run_state(self) -> dict:
        return json.loads(self._db.execute("SELECT run FROM state WHERE id = 1").fetchone()[0])

    def load_registry(self) -> CitationRegistry:
        rows = self._db.execute("SELECT key, passage FROM citations ORDER BY n").fetchall()
        return CitationRegistry.from_items(
            [(key, Passage.from_dict(json.loads(p))) for key, p in rows])

    def citations_after(self, n: int) -> tuple[int, list[tuple[str, Passage]]]:
        """Citations registered after number n, in order, and the last number: the
        registry only grows, so a reader that polls it reads each passage once."""
        rows = self._db.execute("SELECT n, key, passage FROM citations WHERE n > ? ORDER BY n",
                                (n,)).fetchall()
        return (rows[-1][0] if rows else n,
                [(key, Passage.from_dict(json.loads(p))) for _, key, p in rows])

    def steps(self, after: int = 0) -> list[dict]:
        """The committed steps numbered above `after` (all by default), in order."""
        cursor = self._db.execute("SELECT * FROM steps WHERE step > ? ORDER BY step", (after,))
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
        for row in rows:
            for key in ("action", "problems", "shown_keys", "budget_moves"):
                row[key] = json.loads(row[key]) if row[key] is not None else None
            row["valid"] = bool(row["valid"])
        return rows

    def data_version(self) -> int:
        """Changes when another connection commits (SQLite's PRAGMA data_version): a
        follower polls it, and reads again only when it moved."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def step_totals(self) -> dict:
        """Step count and the sums of the steps' token and time columns (one query, no
        prompts read: the run asks after every step)."""
        columns = ("prompt_tokens", "prompt_tokens_evaluated", "completion_tokens",
                   "model_seconds", "retrieval_seconds", "engine_seconds")
        sums = ", ".join(f"coalesce(sum({c}), 0)" for c in columns)
        row = self._db.execute(f"SELECT count(*), {sums} FROM steps").fetchone()
        return {"steps": row[0], **dict(zip(columns, row[1:]))}

    def section_versions(self, node_id: str) -> list[SectionVersion]:
        """Every saved version of a section's text, oldest first (History)."""
        return section_versions(self._db, node_id)

    def shown_keys_for(self, node_id: str) -> list[str]:
        """The passage keys the agent was shown while writing this section."""
        return shown_keys_for(self._db, node_id)

    def decisions(self) -> list[dict]:
        rows = self._db.execute("SELECT after_step, kind, payload FROM decisions ORDER BY id")
        return [{"after_step": s, "kind": k, "payload": json.loads(p)} for s, k, p in rows]

    def claim_checks(self) -> dict[str, tuple[str, list[dict]]]:
        """The claim check's last result per section: node_id -> (text hash, flags as
        dicts); engine.check reads them as Flags."""
        return claim_checks.load_checks(self._db)

    def dismissed_flags(self) -> set[str]:
        return claim_checks.dismissed_ids(self._db)

    # --- writing: one transaction per call --------------------------------------------
    def save_claim_check(self, node_id: str, text: str | None, flags: list[dict]) -> None:
        with self._writing("the claim check"), self._db:
            claim_checks.save_check(self._db, node_id, text, flags,
                                    self.load_run_state().get("steps", 0))

    def dismiss_flag(self, flag: dict) -> None:
        """Keep a flag dismissed (by its id) and log the decision."""
        with self._writing("your decision"), self._db:
            claim_checks.dismiss(self._db, flag, self.load_run_state().get("steps", 0))

    def commit_step(self, record: StepRecord, outline: Outline, run_state: dict,
                    registry: CitationRegistry) -> None:
        data = asdict(record)
        data["prompt_hash"] = hashlib.sha256(record.prompt.encode()).hexdigest()
        for key in ("action", "problems", "shown_keys", "budget_moves"):
            data[key] = None if data[key] is None else _dump(data[key])
        data["valid"], data["finished"] = int(record.valid), time.time()
        columns = ", ".join(data)
        marks = ", ".join(f":{k}" for k in data)
        with self._writing(f"step {record.step}"), self._db:
            self._db.execute(f"INSERT INTO steps ({columns}) VALUES ({marks})", data)
            shown = record.shown_keys if record.kind == "write" and record.valid else []
            self._save_state(outline, run_state, registry, step=record.step, shown=shown)

    def commit_decision(self, after_step: int, kind: str, payload: dict, outline: Outline,
                        run_state: dict, registry: CitationRegistry) -> None:
        with self._writing("your decision"), self._db:
            self._db.execute("INSERT INTO decisions (after_step, kind, payload, created) "
                             "VALUES (?, ?, ?, ?)", (after_step, kind, _dump(payload), time.time()))
            self._save_state(outline, run_state, registry)

    @contextmanager
    def _writing(self, what: str):
        """A write the disk refused (full, failing) rolls back whole and says so; only
        the lock's holder writes."""
        try:
            with self.writer():
                yield
        except (sqlite3.OperationalError, OSError) as exc:
            raise ProjectError(f"could not save {what} to {self.path} ({exc}); the "
                               "project keeps everything saved before it") from exc

    def _save_state(self, outline: Outline, run_state: dict, registry: CitationRegistry,
                    step: int | None = None, shown: list[str] | None = None) -> None:
        self._db.execute("UPDATE state SET outline = ?, run = ?, updated = ? WHERE id = 1",
                         (_dump(outline.to_dict()), _dump(run_state), time.time()))
        record_versions(self._db, outline, run_state.get("steps", 0) if step is None else step,
                        shown or [])
        known = {k for (k,) in self._db.execute("SELECT key FROM citations")}
        for key, passage in registry.items():
            if key not in known:
                self._db.execute("INSERT INTO citations VALUES (?, ?, ?, ?)",
                                 (key, int(key.removeprefix("textid")), passage.chunk_id,
                                  _dump(passage.to_dict())))

    # --- snapshots ------------------------------------------------------------------
    def load_report(self) -> Report:
        """The report as of one committed step: the reads share one transaction, so a
        run writing meanwhile (export during a run) cannot mix two steps."""
        own = not self._db.in_transaction
        if own:
            self._db.execute("BEGIN")
        try:
            outline = self.load_outline()
            registry = dict(self.load_registry().items())
            settings = self.settings
            created = datetime.fromisoformat(self.meta("created"))
        finally:
            if own:
                self._db.execute("COMMIT")
        return Report(title=outline.title or self.query, query=self.query,
                      sections=[_section(n) for n in outline.sections],
                      citations=registry,
                      author=settings.get("author", ""), created=created,
                      language="zh" if query_language(self.query) == "zh" else "en")


def _section(node: Node) -> ReportSection:
    return ReportSection(title=node.title, plan=node.plan, content=node.content,
                         subsections=[_section(c) for c in node.subsections])


def load_report(path: str | Path) -> Report:
    """The report in a project file, for export (read-only use)."""
    store = ProjectStore.open(path)
    try:
        return store.load_report()
    finally:
        store.close()
