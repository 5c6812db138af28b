"""The service state's contract, on SQLite (the embedded default) and on a real PostgreSQL 15 (team mode).

The same tests run against both: keys, the append-only audit log, the job queue claimed by two workers at
once (each job exactly once), submissions and their owners, the watchlist and its screening version,
victim-rule decisions, sessions, and the migrations (from an empty database, and from an ``api.sqlite``
written by the code before migrations existed, which must upgrade in place and keep its rows).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from intake.jobs import EXISTING, REPORT, STORED, ItemResult, JobQueue, NewItem
from intake.narratives import NarrativeRecords, forget
from screening.victim_rule import AlreadyDecided, ControlDecisions
from screening.watchlist import Watchlist
from state import migrate
from state.audit import AuditLog
from state.db import ApiDatabase, DatabaseError, DatabaseUrlError
from state.keys import KeyStore
from state.schema import metadata
from state.sessions import SessionStore
from tests.postgres_server import PostgresServer

Opener = Callable[[], ApiDatabase]


@pytest.fixture(params=["sqlite", "postgresql"])
def open_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens the database under test (each call a new ``ApiDatabase``, as another process would)."""
    url = request.getfixturevalue("postgres").create_database() if request.param == "postgresql" else None
    opened: list[ApiDatabase] = []

    def open_() -> ApiDatabase:
        opened.append(ApiDatabase(tmp_path / "api.sqlite", url=url))
        return opened[-1]

    yield open_
    for db in opened:
        db.close()


# What a file made before migrations may differ in without a change of meaning: SQLite reports its legacy
# ``INTEGER PRIMARY KEY`` columns as nullable and its foreign keys' ON DELETE differently from fresh DDL.
_STRUCTURAL = ("add_table", "remove_table", "add_column", "remove_column", "add_index", "remove_index")


def _schema_differences(db: ApiDatabase, structural_only: bool = False) -> list[object]:
    """What Alembic finds between the live database and ``state.schema`` (nothing, when migrations are right)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        found = [d for d in compare_metadata(context, metadata) if "alembic_version" not in repr(d)]
    kind = lambda d: (d[0] if isinstance(d, list) else d)[0]
    return [d for d in found if kind(d) in _STRUCTURAL] if structural_only else found


def test_keys_create_verify_revoke(open_db: Opener) -> None:
    keys = KeyStore(open_db())
    key, secret = keys.create("analyst", "Org A")
    assert keys.authenticate(secret) == key
    assert keys.authenticate(secret + "x") is None
    assert keys.revoke(key.id).revoked_at is not None
    assert keys.authenticate(secret) is None
    assert [k.id for k in keys.list()] == [key.id] and keys.list(include_revoked=False) == []


def test_audit_is_append_only(open_db: Opener) -> None:
    db = open_db()
    audit = AuditLog(db, "audit-key")
    for n in range(3):
        audit.record(request_id=f"r{n}", key_id="key_1", organisation="Org A", role="analyst", method="GET",
                     route=f"/v1/entities/{n}", params={"q": "+44 7400 123456", "limit": 5}, result_count=n)
    entries = audit.entries(route="/v1/entities/*")
    assert [e.request_id for e in entries] == ["r2", "r1", "r0"]
    assert entries[0].params["limit"] == 5 and entries[0].params["q"].startswith("hmac:")
    for statement in ("UPDATE audit SET outcome = 'rewritten'", "DELETE FROM audit"):
        with pytest.raises(DatabaseError, match="append-only"), db.transaction() as tx:
            tx.execute(statement)
    assert [e.outcome for e in audit.entries()] == ["ok"] * 3


def test_jobs_claimed_exactly_once_by_two_workers(open_db: Opener) -> None:
    queue = JobQueue(open_db())
    submitted = {queue.submit(REPORT, "Org A", "key_1", {"n": n}).id for n in range(30)}
    claimed: dict[str, list[str]] = {"w1": [], "w2": []}
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(worker: str) -> None:
        try:
            own = JobQueue(open_db())  # its own connections, as a worker on another machine would have
            start.wait()
            while (job := own.claim(worker)) is not None:
                claimed[worker].append(job.id)
                own.finish(job.id, worker, "done")
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    every = claimed["w1"] + claimed["w2"]
    assert sorted(every) == sorted(submitted)  # each job once: none lost, none twice
    assert {queue.get(j).attempts for j in submitted} == {1}  # type: ignore[union-attr]


def test_claim_skips_a_job_another_worker_holds(open_db: Opener) -> None:
    db = open_db()
    queue = JobQueue(db)
    first = queue.submit(REPORT, "Org A", "key_1", {})
    second = queue.submit(REPORT, "Org A", "key_1", {})
    if db.is_sqlite:  # one writer at a time: the claim is the transaction itself
        assert [queue.claim("w1").id, queue.claim("w2").id] == [first.id, second.id]  # type: ignore[union-attr]
        return
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:  # another worker mid-claim: the oldest job's row locked, not yet committed
        with JobQueue(open_db()).db.transaction(exclusive=False) as tx:
            tx.execute("SELECT id FROM jobs WHERE id = ? FOR UPDATE", (first.id,))
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(30)
        job = queue.claim("w2")  # does not wait for the lock: takes the next job
        assert job is not None and job.id == second.id
    finally:
        release.set()
        holder.join(30)
    assert queue.claim("w1").id == first.id  # type: ignore[union-attr]


def test_submissions_owners_corrections_and_forget(open_db: Opener) -> None:
    db = open_db()
    queue = JobQueue(db)
    records = NarrativeRecords(db, queue)
    item = NewItem("narr_1", "hash_1", "She was moved from Lagos to Rome.", {"consent": "analysis"}, "ref-a")
    first = queue.submit_ingest("Org A", "key_a", [item], [], {})
    again = queue.submit_ingest("Org B", "key_b", [NewItem("narr_1", "hash_1", item.text, {}, "ref-b")], [], {})
    assert first.job is not None and again.job is None and again.known[0][1].job_id == first.job.id
    assert queue.item_status("narr_1").status == "queued"  # type: ignore[union-attr]
    job = queue.claim("w")
    assert job is not None and job.id == first.job.id
    [queued] = queue.items(job.id)
    queue.record(job.id, [ItemResult(queued, STORED, extraction='{"entities": []}')])
    queue.record(job.id, [ItemResult(queued, EXISTING, extraction='{"entities": []}')])  # a retry: no duplicate
    queue.finish(job.id, "w", "done")
    assert records.submitters("narr_1") == ["Org A", "Org B"]
    view = records.view("narr_1", "Org B")
    assert view is not None and view.text == item.text
    correction = records.correct("narr_1", "ent_1", "reject", None, "not a person", "key_a", "Org A")
    assert correction.seq >= 1 and [c.seq for c in records.owner_corrections("narr_1")] == [correction.seq]
    assert forget(db, "hash_1") >= 4
    assert records.submitters("narr_1") == [] and queue.item_status("narr_1") is None


def test_watchlist_bumps_the_screening_version(open_db: Opener) -> None:
    db = open_db()
    version = lambda: int(db.query("SELECT version FROM screening_version WHERE id = 1")[0][0])
    watchlist = Watchlist(db)
    before = version()
    entry = watchlist.add("ent_1", "Person", "A. Person", "exploiter", "seen in three narratives", "key_1", "Org A")
    assert version() > before
    middle = version()
    assert watchlist.remove(entry.id, "key_1", "resolved").removed_reason == "resolved"  # type: ignore[union-attr]
    assert version() > middle
    assert watchlist.entries() == [] and len(watchlist.entries(include_removed=True)) == 1


def test_one_active_victim_rule_decision_per_identifier(open_db: Opener) -> None:
    decisions = ControlDecisions(open_db())
    first = decisions.add("phone", "+447400123456", "the trafficker's phone", "key_1", "Org A")
    with pytest.raises(AlreadyDecided):
        decisions.add("phone", "+447400123456", "again", "key_1", "Org A")
    decisions.withdraw(first.id, "key_1")
    assert decisions.add("phone", "+447400123456", "decided anew", "key_1", "Org A").id != first.id


def test_sessions(open_db: Opener) -> None:
    db = open_db()
    key, _ = KeyStore(db).create("ngo", "Org A")
    clock = [1000.0]
    sessions = SessionStore(db, idle_seconds=60, max_age_seconds=3600, clock=lambda: clock[0])
    token, _ = sessions.create(key.id)
    clock[0] += 30
    assert sessions.resolve(token).key_id == key.id  # type: ignore[union-attr]
    clock[0] += 61
    assert sessions.resolve(token) is None  # idle too long
    token, _ = sessions.create(key.id)
    sessions.end_all_for(key.id)
    assert sessions.resolve(token) is None


def test_migrations_from_empty_database_concurrently(open_db: Opener) -> None:
    """Several processes opening a new database at once: one migrates, the others wait and find it done."""
    opened: list[ApiDatabase] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(open_db())
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(opened) == 3
    db = opened[0]
    assert db.query("SELECT version_num FROM alembic_version")[0][0] == migrate.HEAD == migrate.alembic_head()
    assert _schema_differences(db) == []
    assert db.query("SELECT version FROM screening_version")[0][0] == 0


def test_existing_api_sqlite_upgrades_in_place(tmp_path: Path) -> None:
    """A file written by the code before migrations (and before ``watchlist.removed_reason``) keeps its rows."""
    path = tmp_path / "api.sqlite"
    with sqlite3.connect(path) as old:
        old.executescript(LEGACY_SCHEMA)
        old.execute("INSERT INTO api_keys VALUES ('key_1', 'h', 'admin', 'Org A', '2026-01-01', NULL)")
        old.execute("INSERT INTO audit (at, request_id, method, route, params, outcome) "
                    "VALUES ('2026-01-01', 'r1', 'GET', '/v1/x', '{}', 'ok')")
        old.execute("INSERT INTO watchlist VALUES ('w1', 'e1', 'Person', 'N', 'c', 'r', 'key_1', 'Org A', "
                    "'2026-01-01', NULL, NULL)")
    db = ApiDatabase(path)
    try:
        assert db.query("SELECT version_num FROM alembic_version")[0][0] == migrate.HEAD
        assert db.query("SELECT id FROM api_keys")[0]["id"] == "key_1"
        assert Watchlist(db).get("w1").removed_reason is None  # type: ignore[union-attr]
        assert _schema_differences(db, structural_only=True) == []
        with pytest.raises(DatabaseError, match="append-only"), db.transaction() as tx:
            tx.execute("DELETE FROM audit")
        assert AuditLog(db, "k").entries()[0].request_id == "r1"
    finally:
        db.close()


def test_the_command_line_uses_the_configured_postgresql(postgres: PostgresServer, tmp_path: Path) -> None:
    """``SIGHTLINE_DATABASE_URL`` reaches every opener (here ``sightline keys create``), not api.sqlite."""
    url = postgres.create_database()
    env = {**os.environ, "SIGHTLINE_HOME": str(tmp_path / "home"), "SIGHTLINE_DATABASE_URL": url}
    created = subprocess.run([sys.executable, "-m", "cli.main", "keys", "create", "--role", "admin", "--org", "Org PG"],
                             capture_output=True, text=True, env=env, timeout=120, check=False,
                             cwd=Path(__file__).resolve().parents[1])
    assert created.returncode == 0, created.stderr
    db = ApiDatabase(tmp_path / "unused.sqlite", url=url)
    try:
        assert KeyStore(db).authenticate(created.stdout.strip().splitlines()[-1]) is not None
    finally:
        db.close()
    assert not (tmp_path / "home" / "api.sqlite").exists()


def test_a_bad_database_url_is_refused_without_echoing_it(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUrlError) as refused:
        ApiDatabase(tmp_path / "api.sqlite", url="mysql://root:hunter2@db/x")
    assert "hunter2" not in str(refused.value)


def test_the_command_line_says_what_is_wrong_with_the_database_in_one_line(tmp_path: Path) -> None:
    """A wrong URL and an unreachable server: one clear line each, never a traceback or the password."""
    unreachable = "postgresql://sightline:hunter2@127.0.0.1:1/nodb"  # nothing listens on port 1
    for url, says in (("mysql://root:hunter2@db/x", "must be a postgresql:// URL"),
                      (unreachable, "cannot be reached")):
        env = {**os.environ, "SIGHTLINE_HOME": str(tmp_path / "home"), "SIGHTLINE_DATABASE_URL": url}
        listed = subprocess.run([sys.executable, "-m", "cli.main", "keys", "list"], capture_output=True, text=True,
                                env=env, timeout=120, check=False, cwd=Path(__file__).resolve().parents[1])
        assert listed.returncode == 1
        assert says in listed.stderr.replace("\n", " ")
        assert "Traceback" not in listed.stderr and "hunter2" not in listed.stderr


# The schema of api.sqlite as the code before migrations created it (state/db.py, minus the later column
# watchlist.removed_reason, which that code added to older files on open).
LEGACY_SCHEMA = """
CREATE TABLE api_keys (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    organisation TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, request_id TEXT NOT NULL,
    key_id TEXT, organisation TEXT, role TEXT, method TEXT NOT NULL, route TEXT NOT NULL,
    params TEXT NOT NULL, outcome TEXT NOT NULL, result_count INTEGER);
CREATE INDEX audit_at ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, organisation TEXT NOT NULL, key_id TEXT NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
    lease_until REAL, worker TEXT, attempts INTEGER NOT NULL DEFAULT 0, params TEXT NOT NULL, error TEXT);
CREATE INDEX jobs_status ON jobs(status, created_at);
CREATE TABLE job_items (job_id TEXT NOT NULL, seq INTEGER NOT NULL, narrative_id TEXT NOT NULL, reference TEXT,
    content_hash TEXT NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
    PRIMARY KEY (job_id, seq));
CREATE INDEX job_items_hash ON job_items(content_hash);
CREATE TABLE narratives (id TEXT PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE, job_id TEXT NOT NULL,
    reference TEXT, meta TEXT NOT NULL, text TEXT NOT NULL, extraction TEXT NOT NULL, stored_at TEXT NOT NULL);
CREATE TABLE narrative_owners (narrative_id TEXT NOT NULL, organisation TEXT NOT NULL, submitted_at TEXT NOT NULL,
    reference TEXT, PRIMARY KEY (narrative_id, organisation));
CREATE TABLE corrections (seq INTEGER PRIMARY KEY AUTOINCREMENT, narrative_id TEXT NOT NULL, entity_id TEXT NOT NULL,
    action TEXT NOT NULL, label TEXT, reason TEXT, key_id TEXT NOT NULL, organisation TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX corrections_narrative ON corrections(narrative_id);
CREATE TABLE watchlist (id TEXT PRIMARY KEY, entity_id TEXT NOT NULL, label TEXT NOT NULL, name TEXT NOT NULL,
    category TEXT NOT NULL, reason TEXT NOT NULL, key_id TEXT NOT NULL, organisation TEXT NOT NULL,
    created_at TEXT NOT NULL, removed_at TEXT, removed_by TEXT);
CREATE INDEX watchlist_entity ON watchlist(entity_id);
CREATE TABLE flagged_lists (name TEXT PRIMARY KEY, category TEXT NOT NULL, source TEXT NOT NULL,
    entries INTEGER NOT NULL, imported_at TEXT NOT NULL, imported_by TEXT NOT NULL);
CREATE TABLE flagged_entries (list_name TEXT NOT NULL REFERENCES flagged_lists(name) ON DELETE CASCADE,
    seq INTEGER NOT NULL, reference TEXT NOT NULL, kind TEXT NOT NULL, name TEXT, aliases TEXT NOT NULL,
    birth_date TEXT, country TEXT, identifiers TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (list_name, seq));
CREATE TABLE partner_secrets (organisation TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE screening_usage (key_id TEXT NOT NULL, at REAL NOT NULL, queries INTEGER NOT NULL);
CREATE INDEX screening_usage_key ON screening_usage(key_id, at);
CREATE TABLE screening_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT OR IGNORE INTO screening_version VALUES (1, 0);
CREATE TABLE victim_rule_decisions (id TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL,
    key_id TEXT NOT NULL, organisation TEXT NOT NULL, created_at TEXT NOT NULL, withdrawn_at TEXT, withdrawn_by TEXT);
CREATE UNIQUE INDEX victim_rule_decisions_active ON victim_rule_decisions(kind, key) WHERE withdrawn_at IS NULL;
CREATE TABLE web_sessions (token_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL REFERENCES api_keys(id),
    csrf TEXT NOT NULL, created_at REAL NOT NULL, last_seen REAL NOT NULL);
CREATE INDEX web_sessions_key ON web_sessions(key_id);
CREATE TABLE aggregate_ledger (k INTEGER NOT NULL, cell TEXT NOT NULL, suppressed INTEGER NOT NULL,
    shown_victims INTEGER, shown_cases INTEGER, basis_victims INTEGER NOT NULL, basis_cases INTEGER NOT NULL,
    released_at TEXT NOT NULL, PRIMARY KEY (k, cell));
"""
