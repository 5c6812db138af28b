"""The API's own state in ``SIGHTLINE_HOME/api.sqlite``: keys, the audit log, jobs, submissions, watchlist.

Kept apart from the graph store because none of it is graph data: it is who may do what, who did what,
and which organisation submitted which narrative. It stays SQLite whichever graph store is configured.

Every server thread gets its own connection (SQLite connections must not be shared across concurrent
transactions), in WAL mode so readers never wait for the worker's writes. Writes go through
``transaction()``, a ``BEGIN IMMEDIATE`` that commits before it returns: whatever a route reports as done
is on disk. Several server processes may share the file; job claims are atomic updates (``intake.jobs``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, organisation TEXT NOT NULL,
    created_at TEXT NOT NULL, revoked_at TEXT);

CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, request_id TEXT NOT NULL,
    key_id TEXT, organisation TEXT, role TEXT, method TEXT NOT NULL, route TEXT NOT NULL,
    params TEXT NOT NULL, outcome TEXT NOT NULL, result_count INTEGER);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, organisation TEXT NOT NULL, key_id TEXT NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
    lease_until REAL, worker TEXT, attempts INTEGER NOT NULL DEFAULT 0, params TEXT NOT NULL, error TEXT);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, created_at);

CREATE TABLE IF NOT EXISTS job_items (
    job_id TEXT NOT NULL, seq INTEGER NOT NULL, narrative_id TEXT NOT NULL, reference TEXT,
    content_hash TEXT NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
    PRIMARY KEY (job_id, seq));
CREATE INDEX IF NOT EXISTS job_items_hash ON job_items(content_hash);

CREATE TABLE IF NOT EXISTS narratives (
    id TEXT PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE, job_id TEXT NOT NULL, reference TEXT,
    meta TEXT NOT NULL, text TEXT NOT NULL, extraction TEXT NOT NULL, stored_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS narrative_owners (
    narrative_id TEXT NOT NULL, organisation TEXT NOT NULL, submitted_at TEXT NOT NULL, reference TEXT,
    PRIMARY KEY (narrative_id, organisation));

CREATE TABLE IF NOT EXISTS corrections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, narrative_id TEXT NOT NULL, entity_id TEXT NOT NULL,
    action TEXT NOT NULL, label TEXT, reason TEXT, key_id TEXT NOT NULL, organisation TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS corrections_narrative ON corrections(narrative_id);

CREATE TABLE IF NOT EXISTS watchlist (
    id TEXT PRIMARY KEY, entity_id TEXT NOT NULL, label TEXT NOT NULL, name TEXT NOT NULL,
    category TEXT NOT NULL, reason TEXT NOT NULL, key_id TEXT NOT NULL, organisation TEXT NOT NULL,
    created_at TEXT NOT NULL, removed_at TEXT, removed_by TEXT, removed_reason TEXT);
CREATE INDEX IF NOT EXISTS watchlist_entity ON watchlist(entity_id);

-- Screening (screening.flagged, screening.service): imported lists of flagged entities, per-partner HMAC secrets, and
-- one version counter that triggers bump on any change to what is flagged, so that every server process
-- sees another's watchlist edits and imports on its next screening request.
CREATE TABLE IF NOT EXISTS flagged_lists (
    name TEXT PRIMARY KEY, category TEXT NOT NULL, source TEXT NOT NULL, entries INTEGER NOT NULL,
    imported_at TEXT NOT NULL, imported_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flagged_entries (
    list_name TEXT NOT NULL REFERENCES flagged_lists(name) ON DELETE CASCADE, seq INTEGER NOT NULL,
    reference TEXT NOT NULL, kind TEXT NOT NULL, name TEXT, aliases TEXT NOT NULL, birth_date TEXT, country TEXT,
    identifiers TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (list_name, seq));
CREATE TABLE IF NOT EXISTS partner_secrets (
    organisation TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS screening_usage (key_id TEXT NOT NULL, at REAL NOT NULL, queries INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS screening_usage_key ON screening_usage(key_id, at);
CREATE TABLE IF NOT EXISTS screening_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT OR IGNORE INTO screening_version VALUES (1, 0);
-- Analysts' exceptions to the victim rule (screening.victim_rule): an identifier a victim uses, decided to be
-- controlled by the exploiting side; withdrawn rows are kept; at most one active decision per identifier key.
CREATE TABLE IF NOT EXISTS victim_rule_decisions (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL, key_id TEXT NOT NULL,
    organisation TEXT NOT NULL, created_at TEXT NOT NULL, withdrawn_at TEXT, withdrawn_by TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS victim_rule_decisions_active ON victim_rule_decisions(kind, key)
    WHERE withdrawn_at IS NULL;
-- Workspace sign-ins (state.sessions): only hashes of the session token; the CSRF token is per session.
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL REFERENCES api_keys(id), csrf TEXT NOT NULL,
    created_at REAL NOT NULL, last_seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS web_sessions_key ON web_sessions(key_id);
-- Aggregate releases (sharing.release_ledger): per k and cell key, the counts last shown (if ever) and, while the
-- cell is suppressed, its true counts when it became so (its basis), so no single narrative shows between releases.
CREATE TABLE IF NOT EXISTS aggregate_ledger (
    k INTEGER NOT NULL, cell TEXT NOT NULL, suppressed INTEGER NOT NULL, shown_victims INTEGER, shown_cases INTEGER,
    basis_victims INTEGER NOT NULL, basis_cases INTEGER NOT NULL, released_at TEXT NOT NULL, PRIMARY KEY (k, cell));
"""

# Any change to what is flagged bumps the screening version, which every server process checks per request.
SCREENING_TRIGGERS = "".join(
    f"CREATE TRIGGER IF NOT EXISTS screening_{table}_{event.lower()} AFTER {event} ON {table}\n"
    "    BEGIN UPDATE screening_version SET version = version + 1; END;\n"
    for table in ("watchlist", "flagged_lists", "partner_secrets", "victim_rule_decisions")
    for event in ("INSERT", "UPDATE", "DELETE"))

# (table, column, type) added after the table's first release: ``CREATE TABLE IF NOT EXISTS`` leaves an older
# file's table as it was, so these are added to it on open (constants only, never user input).
ADDED_COLUMNS = (("watchlist", "removed_reason", "TEXT"),)


def now() -> str:
    """UTC time as ISO 8601 with microseconds: sorts as text, which the audit filters rely on."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class ApiDatabase:
    """``api.sqlite``, one connection per thread, created with its schema on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.connection().executescript("BEGIN IMMEDIATE;" + SCHEMA + SCREENING_TRIGGERS + "COMMIT;")
        with self.transaction() as db:  # columns added since a table was first created, in one write lock
            for table, column, kind in ADDED_COLUMNS:
                if column not in {r["name"] for r in db.execute(f"PRAGMA table_info({table})")}:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a 202 promises the submission survives a power cut too
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def query(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:  # type: ignore[type-arg]
        return self.connection().execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                try:
                    db.close()
                except sqlite3.ProgrammingError:
                    pass
            self._all.clear()
        self._local = threading.local()
