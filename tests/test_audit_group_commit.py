"""The audit log's group commit (``state.audit``): concurrent requests share commits, yet each entry is
committed before its ``record`` returns, and a failed commit fails every request of its batch.

On a real SQLite ``api.sqlite`` (with its ``synchronous=FULL`` commits); the service-state contract suite
covers the audit log on PostgreSQL as well.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import exc

from state.audit import AuditLog
from state.db import ApiDatabase

THREADS, EACH = 16, 10


def _record(log: AuditLog, request_id: str) -> None:
    log.record(request_id=request_id, key_id="key_1", organisation="Org", role="analyst", method="GET",
               route="/v1/entities", params={"q": "+44 7400 123456", "limit": 5}, result_count=1)


def test_every_entry_is_committed_before_record_returns(tmp_path: Path) -> None:
    db = ApiDatabase(tmp_path / "api.sqlite")
    other = ApiDatabase(tmp_path / "api.sqlite")  # another process's view: sees committed rows only
    log = AuditLog(db, "audit-key")
    missing: list[str] = []

    def client(n: int) -> None:
        for i in range(EACH):
            request_id = f"r{n}-{i}"
            _record(log, request_id)
            if not other.query("SELECT 1 FROM audit WHERE request_id = ?", (request_id,)):
                missing.append(request_id)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert missing == []
        entries = log.entries(limit=THREADS * EACH + 10)
        assert sorted(e.request_id for e in entries) == sorted(f"r{n}-{i}" for n in range(THREADS) for i in range(EACH))
        assert len({e.seq for e in entries}) == THREADS * EACH
        assert all(e.params["q"].startswith("hmac:") and e.params["limit"] == 5 for e in entries)  # still redacted
    finally:
        other.close()
        db.close()


def test_a_failed_commit_fails_the_requests_of_its_batch_and_the_log_recovers(tmp_path: Path) -> None:
    db = ApiDatabase(tmp_path / "api.sqlite")
    log = AuditLog(db, "audit-key")
    try:
        with db.transaction() as tx:  # a real failure: the table is gone, so the INSERT fails
            tx.execute("ALTER TABLE audit RENAME TO audit_away")
        failures: list[BaseException] = []

        def client(n: int) -> None:
            try:
                _record(log, f"lost-{n}")
            except exc.DBAPIError as error:
                failures.append(error)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(failures) == 8  # no request went on as if it had been audited
        with db.transaction() as tx:
            tx.execute("ALTER TABLE audit_away RENAME TO audit")
        _record(log, "after")
        assert [e.request_id for e in log.entries()] == ["after"]
    finally:
        db.close()


def test_record_inside_an_open_transaction_is_refused_not_deadlocked(tmp_path: Path) -> None:
    db = ApiDatabase(tmp_path / "api.sqlite")
    log = AuditLog(db, "audit-key")
    try:
        with pytest.raises(RuntimeError), db.transaction():
            _record(log, "nested")
        _record(log, "next")
        assert [e.request_id for e in log.entries()] == ["next"]
    finally:
        db.close()
