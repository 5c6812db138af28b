"""Durable jobs in the service state (``state.db``): a submission is committed before the API answers 202, then worked off.

A job is a row in ``jobs`` plus, for ingestion, one ``job_items`` row per narrative holding its text and
metadata, so nothing the API accepted lives only in memory. Workers claim a job with one atomic update and
hold a lease that they renew while they work; a job whose worker died (the server was stopped or killed)
is taken over when its lease runs out, by this process after a restart or by any other server sharing the
file. Items are marked as they finish, so a resumed job only redoes what was not done; ingestion is
idempotent by content hash, so redoing a narrative whose graph write landed just before a crash costs a
look-up, not a duplicate.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from state.db import ApiDatabase, now
from state.sql import condition, equals, one_of, where

INGEST = "ingest"
REPORT = "report"
EXPORT = "export"  # an HTCDS, FtM or graph export (sharing.exports), run by the worker
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
# item statuses: queued -> stored (new in the graph) | existing (the graph already held it) | failed
QUEUED, STORED, EXISTING = "queued", "stored", "existing"
MAX_ATTEMPTS = 3
_CLAIMABLE = "status = ? OR (status = ? AND lease_until < ?)"  # pending, or running with its lease run out
# The newest item first (a content hash or narrative may be in several jobs): jobs in submission order, then
# the item's place in its job. Portable, unlike SQLite's rowid, which PostgreSQL does not have.
LATEST_ITEM = "j.created_at DESC, i.job_id DESC, i.seq DESC"


@dataclass(slots=True)
class NewItem:
    """One narrative of a submission, checked, with its id already derived from its content hash."""

    narrative_id: str
    content_hash: str
    text: str
    meta: dict[str, Any]
    reference: str | None = None


@dataclass(slots=True)
class RejectedItem:
    reference: str | None
    error: str


@dataclass(slots=True)
class Item:
    seq: int
    narrative_id: str
    reference: str | None
    content_hash: str
    text: str
    meta: dict[str, Any]
    status: str
    error: str | None


@dataclass(slots=True)
class Job:
    id: str
    kind: str
    organisation: str
    key_id: str
    status: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    params: dict[str, Any]
    error: str | None
    attempts: int


@dataclass(slots=True)
class ItemResult:
    """How one queued narrative ended; ``extraction`` (JSON) is kept for the submitting organisation."""

    item: Item
    status: str  # STORED, EXISTING or FAILED
    error: str | None = None
    extraction: str | None = None


@dataclass(slots=True)
class Known:
    """A submitted narrative the API already holds, stored or still queued, and the job that brought it."""

    narrative_id: str
    job_id: str
    status: str
    organisation: str  # whose job brought it: another organisation's job id is not shown


@dataclass(slots=True)
class Submission:
    job: Job | None  # None when every narrative was already known: nothing new to do
    queued: list[NewItem] = field(default_factory=list)
    known: list[tuple[NewItem, Known]] = field(default_factory=list)
    rejected: list[RejectedItem] = field(default_factory=list)


def _job(row: Any) -> Job:
    return Job(row["id"], row["kind"], row["organisation"], row["key_id"], row["status"], row["created_at"],
               row["started_at"], row["finished_at"], json.loads(row["params"]), row["error"], row["attempts"])


def _item(row: Any) -> Item:
    return Item(row["seq"], row["narrative_id"], row["reference"], row["content_hash"], row["text"],
                json.loads(row["meta"]), row["status"], row["error"])


def new_job_id() -> str:
    return "job_" + secrets.token_hex(8)


class JobQueue:
    def __init__(self, db: ApiDatabase, lease_seconds: float = 60.0) -> None:
        self.db = db
        self.lease_seconds = lease_seconds

    # -- submitting ---------------------------------------------------------------------------------

    def submit_ingest(self, organisation: str, key_id: str, items: list[NewItem], rejected: list[RejectedItem],
                      params: dict[str, Any]) -> Submission:
        """Queue the narratives not already known, in one committed transaction, and record the submitting
        organisation as an owner of every narrative it sent (new or known).

        Known means stored by an earlier job, or queued in one that has not failed it: the same text sent
        twice (by anyone) is extracted and written once. Duplicates inside one submission count once.
        """
        out = Submission(job=None, rejected=list(rejected))
        at = now()
        with self.db.transaction() as db:
            seen: dict[str, NewItem] = {}
            for item in items:
                if item.content_hash in seen:
                    continue
                seen[item.content_hash] = item
                known = self._known(db, item.content_hash)
                if known is None:
                    out.queued.append(item)
                else:
                    out.known.append((item, known))
            if out.queued or out.rejected:
                job_id = new_job_id()
                db.execute("INSERT INTO jobs (id, kind, organisation, key_id, status, created_at, params) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (job_id, INGEST, organisation, key_id, PENDING if out.queued else DONE, at,
                            json.dumps(params, sort_keys=True)))
                rows = [(job_id, seq, it.narrative_id, it.reference, it.content_hash, it.text,
                         json.dumps(it.meta, sort_keys=True), QUEUED, None) for seq, it in enumerate(out.queued)]
                rows += [(job_id, len(out.queued) + n, "", r.reference, "", "", "{}", FAILED, r.error)
                         for n, r in enumerate(out.rejected)]
                db.executemany("INSERT INTO job_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                if not out.queued:
                    db.execute("UPDATE jobs SET finished_at = ? WHERE id = ?", (at, job_id))
                out.job = _job(db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())
            db.executemany("INSERT INTO narrative_owners VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           [(it.narrative_id if known is None else known.narrative_id, organisation, at, it.reference)
                            for it, known in [*((i, None) for i in out.queued), *out.known]])
        return out

    @staticmethod
    def _known(db: Any, content_hash: str) -> Known | None:
        row = db.execute("SELECT n.id, n.job_id, j.organisation FROM narratives n JOIN jobs j ON j.id = n.job_id "
                         "WHERE n.content_hash = ?", (content_hash,)).fetchone()
        if row is not None:
            return Known(row["id"], row["job_id"], STORED, row["organisation"])
        row = db.execute("SELECT i.narrative_id, i.job_id, i.status, j.organisation FROM job_items i "
                         "JOIN jobs j ON j.id = i.job_id WHERE i.content_hash = ? AND i.status != ? "
                         f"ORDER BY {LATEST_ITEM} LIMIT 1", (content_hash, FAILED)).fetchone()
        return Known(row["narrative_id"], row["job_id"], row["status"], row["organisation"]) if row is not None else None

    def submit(self, kind: str, organisation: str, key_id: str, params: dict[str, Any]) -> Job:
        """A job with no items (a report): its parameters say everything."""
        job_id = new_job_id()
        with self.db.transaction() as db:
            db.execute("INSERT INTO jobs (id, kind, organisation, key_id, status, created_at, params) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (job_id, kind, organisation, key_id, PENDING, now(), json.dumps(params, sort_keys=True)))
        job = self.get(job_id)
        assert job is not None
        return job

    # -- reading ------------------------------------------------------------------------------------

    def get(self, job_id: str) -> Job | None:
        rows = self.db.query("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return _job(rows[0]) if rows else None

    def items(self, job_id: str, statuses: tuple[str, ...] | None = None) -> list[Item]:
        clause, params = where(condition("job_id = ?", job_id), one_of("status", statuses))
        return [_item(r) for r in self.db.query("SELECT * FROM job_items" + clause + " ORDER BY seq", params)]

    def list(self, organisation: str, kind: str | None = None, limit: int = 50, offset: int = 0) -> list[Job]:
        clause, params = where(condition("organisation = ?", organisation), equals("kind", kind or None))
        rows = self.db.query("SELECT * FROM jobs" + clause + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                             [*params, limit, offset])
        return [_job(r) for r in rows]

    def item_status(self, narrative_id: str) -> Item | None:
        rows = self.db.query("SELECT i.* FROM job_items i JOIN jobs j ON j.id = i.job_id WHERE i.narrative_id = ? "
                             f"ORDER BY {LATEST_ITEM} LIMIT 1", (narrative_id,))
        return _item(rows[0]) if rows else None

    # -- working ------------------------------------------------------------------------------------

    def claim(self, worker: str) -> Job | None:
        """The oldest pending job, or a running one whose lease ran out; atomically, so two workers never
        both take one. A job taken over MAX_ATTEMPTS times (it keeps killing its worker) is failed.

        On SQLite the transaction is the file's single writer, so the look and the update are one step. On
        PostgreSQL the look is ``FOR UPDATE SKIP LOCKED`` in a transaction of its own (not the state's global
        write order): each worker locks the oldest job no other worker holds, and a job another worker claimed
        and committed meanwhile no longer matches when PostgreSQL rechecks the row, so any number of workers
        on any machines share the queue and each job is claimed once.

        An idle worker asks every half second: it looks first without the write lock, which the request
        threads need for the audit log, and takes the lock only when there is a job to claim."""
        clock = time.time()
        if not self.db.query(f"SELECT 1 FROM jobs WHERE {_CLAIMABLE} LIMIT 1", (PENDING, RUNNING, clock)):
            return None
        lock = "" if self.db.is_sqlite else " FOR UPDATE SKIP LOCKED"
        with self.db.transaction(exclusive=False) as db:
            row = db.execute(f"SELECT * FROM jobs WHERE {_CLAIMABLE} ORDER BY created_at, id LIMIT 1{lock}",
                             (PENDING, RUNNING, clock)).fetchone()
            if row is None:
                return None
            if row["attempts"] >= MAX_ATTEMPTS:
                db.execute("UPDATE jobs SET status = ?, finished_at = ?, error = ? WHERE id = ?",
                           (FAILED, now(), f"gave up after {MAX_ATTEMPTS} attempts (the worker stopped each time)",
                            row["id"]))
                return None
            db.execute("UPDATE jobs SET status = ?, worker = ?, lease_until = ?, attempts = attempts + 1, "
                       "started_at = COALESCE(started_at, ?) WHERE id = ?",
                       (RUNNING, worker, clock + self.lease_seconds, now(), row["id"]))
            return _job(db.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],)).fetchone())

    def renew(self, job_id: str, worker: str) -> bool:
        """Extend the lease; False if another worker took the job over (then stop working on it)."""
        with self.db.transaction() as db:
            changed = db.execute("UPDATE jobs SET lease_until = ? WHERE id = ? AND worker = ? AND status = ?",
                                 (time.time() + self.lease_seconds, job_id, worker, RUNNING)).rowcount
        return changed == 1

    def progress(self, job_id: str, worker: str, done: int, total: int) -> bool:
        """Record how far a running job is (``params.progress``) and extend its lease; False if another
        worker took it over."""
        with self.db.transaction() as db:
            row = db.execute("SELECT params FROM jobs WHERE id = ? AND worker = ? AND status = ?",
                             (job_id, worker, RUNNING)).fetchone()
            if row is None:
                return False
            params = json.loads(row["params"] or "{}")
            params["progress"] = {"done": done, "total": total}
            db.execute("UPDATE jobs SET params = ?, lease_until = ? WHERE id = ?",
                       (json.dumps(params, sort_keys=True), time.time() + self.lease_seconds, job_id))
        return True

    def release(self, job_id: str, worker: str) -> None:
        """Give a job back untouched (the store is unreachable): it is pending again, for any worker."""
        with self.db.transaction() as db:
            db.execute("UPDATE jobs SET status = ?, worker = NULL, lease_until = NULL, attempts = attempts - 1 "
                       "WHERE id = ? AND worker = ?", (PENDING, job_id, worker))

    def record(self, job_id: str, results: list[ItemResult]) -> None:
        """Mark items done and keep each stored narrative's text, metadata and extraction, in one commit.

        The rows are prepared before the write lock is taken: the API's request threads write the audit log
        to the same file, and a worker at low CPU priority must hold the lock as briefly as it can."""
        at = now()
        kept = [(r.item.narrative_id, r.item.content_hash, job_id, r.item.reference,
                 json.dumps(r.item.meta, sort_keys=True), r.item.text, r.extraction, at)
                for r in results if r.status in (STORED, EXISTING) and r.extraction is not None]
        marks = [(r.status, r.error, job_id, r.item.seq) for r in results]
        with self.db.transaction() as db:
            db.executemany("INSERT INTO narratives VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", kept)
            db.executemany("UPDATE job_items SET status = ?, error = ? WHERE job_id = ? AND seq = ?", marks)

    def finish(self, job_id: str, worker: str, status: str, error: str | None = None,
               params: dict[str, Any] | None = None) -> None:
        with self.db.transaction() as db:
            if params is not None:
                db.execute("UPDATE jobs SET params = ? WHERE id = ? AND worker = ?",
                           (json.dumps(params, sort_keys=True), job_id, worker))
            db.execute("UPDATE jobs SET status = ?, finished_at = ?, error = ?, lease_until = NULL "
                       "WHERE id = ? AND worker = ?", (status, now(), error, job_id, worker))
