"""``sightline state copy``: a single machine's api.sqlite into an empty PostgreSQL, on the real PostgreSQL 15.

Why these checks: moving to team mode must lose nothing. Every table is compared row for row (the audit
log byte for byte), old keys keep working through a real ``sightline serve`` on PostgreSQL, a second copy
into the now non-empty database is refused, and a row PostgreSQL refuses leaves the target empty (one
transaction).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

from intake.jobs import STORED, ItemResult, JobQueue, NewItem
from intake.narratives import NarrativeRecords
from screening.watchlist import Watchlist
from state.audit import AuditLog
from state.copy import data_tables, singleton
from state.db import ApiDatabase
from state.keys import KeyStore
from state.sessions import SessionStore
from tests import api_server
from tests.postgres_server import PostgresServer

ROOT = Path(__file__).resolve().parents[1]


def _home_with_state(home: Path) -> dict[str, str]:
    """api.sqlite with keys, audit, a job with items and a stored narrative, a correction, the watchlist and a
    session; returns role -> key secret."""
    db = ApiDatabase(home / "api.sqlite")
    try:
        keys = KeyStore(db)
        secrets = {role: keys.create(role, "Org A")[1] for role in ("admin", "ngo", "analyst")}
        revoked, _ = keys.create("partner", "Bank B")
        keys.revoke(revoked.id)
        key_id = keys.list()[0].id
        audit = AuditLog(db, "audit-key")
        for n in range(25):
            audit.record(request_id=f"r{n}", key_id=key_id, organisation="Org A", role="admin", method="GET",
                         route=f"/v1/entities/{n}", params={"q": f"+44 7400 1234{n:02d}", "limit": n}, result_count=n)
        jobs = JobQueue(db)
        items = [NewItem(f"n{i}", f"hash{i}", f"Maria met Ion in Bucharest ({i}).", {"language": "en"}, f"ref{i}")
                 for i in range(3)]
        submitted = jobs.submit_ingest("Org A", key_id, items, [], {"source": "test"})
        assert submitted.job is not None
        claimed = jobs.claim("worker-1")
        assert claimed is not None
        pending = jobs.items(claimed.id, ("queued",))
        jobs.record(claimed.id, [ItemResult(pending[0], STORED, None, '{"entities": []}')])
        NarrativeRecords(db, jobs).correct("n0", "person:maria", "reject", None, "not a person", key_id, "Org A")
        Watchlist(db).add("phone:+447400123456", "Phone", "+44 7400 123456", "exploiter", "seen twice", key_id, "Org A")
        SessionStore(db, 1800, 43200).create(key_id)
    finally:
        db.close()
    return secrets


def _rows(connect: Any, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connect() as conn:
        return sorted((tuple(r) for r in conn.execute(f'SELECT {quoted} FROM "{table}"').fetchall()), key=repr)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False, cwd=ROOT)


def test_copy_moves_every_row_and_old_keys_keep_working(postgres: PostgresServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    secrets = _home_with_state(home)
    url = postgres.create_database("copy")
    env = {**os.environ, "SIGHTLINE_HOME": str(home), "SIGHTLINE_DATABASE_URL": url}
    copied = _run(["state", "copy"], env)
    assert copied.returncode == 0, copied.stderr
    assert "audit" in copied.stderr and "identical" in copied.stderr and url not in copied.stdout + copied.stderr

    dsn = url
    for table in data_tables():
        columns = [c.name for c in table.columns]
        source = _rows(lambda: sqlite3.connect(home / "api.sqlite"), table.name, columns)
        target = _rows(lambda: psycopg.connect(dsn), table.name, columns)
        assert source == target, table.name
    with psycopg.connect(dsn) as conn:  # the audit sequence continues after the copied rows
        assert conn.execute("SELECT nextval(pg_get_serial_sequence('audit', 'seq'))").fetchone()[0] == 26

    listed = _run(["keys", "list", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    with sqlite3.connect(home / "api.sqlite") as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM api_keys")}
    assert ids and all(key_id in listed.stdout for key_id in ids)

    again = _run(["state", "copy", "--to", url], env)
    assert again.returncode == 1 and "not empty" in again.stderr and "Traceback" not in again.stderr

    server = api_server.start(home, {"SIGHTLINE_DATABASE_URL": url, "SIGHTLINE_API_WORKER": "false"})
    try:
        with server.client(secrets["admin"]) as client:
            me = client.get("/v1/me")
            assert me.status_code == 200 and me.json()["organisation"] == "Org A"
            assert client.get("/v1/audit").json()["entries"][0]["route"].startswith("/v1/")
    finally:
        server.stop()


def test_a_refused_row_leaves_the_target_empty(postgres: PostgresServer, tmp_path: Path) -> None:
    """SQLite stores text in a REAL column; PostgreSQL refuses it, and the whole copy is rolled back."""
    home = tmp_path / "home"
    home.mkdir()
    _home_with_state(home)
    with sqlite3.connect(home / "api.sqlite") as conn:
        conn.execute("INSERT INTO screening_usage VALUES ('key_x', 'not a time', 1)")
    url = postgres.create_database("copyfail")
    refused = _run(["state", "copy", "--to", url], {**os.environ, "SIGHTLINE_HOME": str(home)})
    assert refused.returncode == 1 and "nothing was written" in refused.stderr, refused.stderr
    assert "not a time" not in refused.stderr and "Traceback" not in refused.stderr
    with psycopg.connect(url) as conn:
        for table in data_tables():
            rows = conn.execute(f'SELECT COUNT(*) FROM "{table.name}"').fetchone()[0]
            assert rows == (1 if singleton(table) else 0), table.name
