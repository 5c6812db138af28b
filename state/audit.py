"""The audit log: who read or changed what, when, through which route, with how many results.

Append-only by construction: the table has triggers (SQLite and PostgreSQL alike, ``state.schema``) that
abort any UPDATE or DELETE, so not even a bug in this code (or a route added later) can rewrite history; no route writes to it
except through ``AuditLog.record``, which only inserts. The log is itself sensitive, so parameters that
could identify someone (search terms, entity ids, identifiers, names) are stored as keyed hashes
(``nlp.identifiers.identifier_hash``, HMAC-SHA256): an administrator holding the key can check whether a
given phone number was looked up, but the log alone does not list them. Identifiers are normalised first
(``+44 7400 123456`` and ``07400123456`` with a GB region hash alike where the parser can tell).

Entries are written by group commit (``_GroupCommit``): every request still waits until its own entry is
committed before it answers, but the entries of requests that arrive while a commit is on its way are
written together in the next transaction, so 50 concurrent requests pay for a few commits (each an fsync,
``synchronous=FULL``) rather than 50. Nothing is held back in memory past an answer, so a crash loses no
entry of an answered request: an entry is either committed before its answer is sent, or its request fails.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from nlp.identifiers import identifier_forms, identifier_hash
from state.db import ApiDatabase, now
from state.sql import compare, condition, equals, where

# Parameters that never identify anyone and are kept readable.
PLAIN_PARAMS = frozenset({
    "depth", "limit", "offset", "status", "format", "formats", "role", "category", "decision", "action",
    "yardstick", "reveal_names", "mode", "cutoff", "label", "since", "until", "kind", "region",
    "text_chars", "include_revoked", "items", "existing", "rejected_items", "route", "key_id", "new_key",
    "organisation", "min_size", "community", "contributions", "queries", "nodes_deleted", "api_records_deleted",
    "limited_by", "retry_after", "outcome", "before",
    # sharing (docs/sharing.md): what was released and why; a reveal's reason is read by the auditors
    "reveal", "reason", "by", "k", "epsilon", "records", "show_suppressed", "victims", "cases",
})
# Lists hashed in full rather than cut at 100 items: every screening query must be in the log.
UNCAPPED_LISTS = frozenset({"screened"})


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    request_id: str
    key_id: str | None
    organisation: str | None
    role: str | None
    method: str
    route: str
    params: dict[str, Any]
    outcome: str
    result_count: int | None


def _normalise(value: str) -> str:
    forms = identifier_forms(value) if len(value) < 200 else []
    return forms[0] if forms else " ".join(value.split()).casefold()


_INSERT = ("INSERT INTO audit (at, request_id, key_id, organisation, role, method, route, params, outcome, "
           "result_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
Row = tuple[str, str, str | None, str | None, str | None, str, str, str, str, int | None]


class _Pending:
    """One waiting entry: its row, and once its batch is done, whether it was committed (or the error)."""

    __slots__ = ("done", "error", "row")

    def __init__(self, row: Row) -> None:
        self.row = row
        self.done = False
        self.error: BaseException | None = None


class _GroupCommit:
    """Leader-follower group commit: the first thread to find no commit running becomes the leader and writes
    every entry queued so far in one transaction; threads arriving meanwhile queue theirs and wait, and the
    first of them to wake after that commit leads the next batch. Each caller returns only once its own entry
    is committed, or raises the batch's error (its request then fails rather than answering unaudited)."""

    MAX_BATCH = 500  # one transaction's entries at most (bounded memory; a larger queue takes several rounds)

    def __init__(self, db: ApiDatabase) -> None:
        self._db = db
        self._lock = threading.Condition(threading.Lock())
        self._queue: list[_Pending] = []
        self._writing = False

    def write(self, row: Row) -> None:
        mine = _Pending(row)
        with self._lock:
            self._queue.append(mine)
            while not mine.done and self._writing:
                self._lock.wait()
            if mine.done:
                self._raise_if_failed(mine)
                return
            self._writing = True  # this thread leads: its own entry is still queued
        try:
            while not mine.done:
                with self._lock:
                    batch, self._queue = self._queue[:self.MAX_BATCH], self._queue[self.MAX_BATCH:]
                self._commit(batch)
        finally:
            with self._lock:
                self._writing = False
                self._lock.notify_all()
        self._raise_if_failed(mine)

    def _commit(self, batch: list[_Pending]) -> None:
        error: BaseException | None = None
        try:
            with self._db.transaction(exclusive=False) as db:  # inserts alone: no global write order needed
                db.executemany(_INSERT, [p.row for p in batch])
        except BaseException as failed:  # noqa: BLE001 - handed to every waiter of the batch, re-raised there
            error = failed
        with self._lock:
            for pending in batch:
                pending.error, pending.done = error, True
            self._lock.notify_all()

    @staticmethod
    def _raise_if_failed(pending: _Pending) -> None:
        if pending.error is not None:
            raise pending.error


class AuditLog:
    def __init__(self, db: ApiDatabase, key: str) -> None:
        self.db = db
        self._key = key.encode("utf-8")
        self._group = _GroupCommit(db)

    def hash_value(self, value: str) -> str:
        return "hmac:" + identifier_hash(_normalise(value), self._key)[:32]

    def redact(self, params: dict[str, Any]) -> dict[str, Any]:
        """Plain values for PLAIN_PARAMS, keyed hashes for everything else (lists hashed item by item)."""
        out: dict[str, Any] = {}
        for name, value in sorted(params.items()):
            if value is None:
                continue
            if name in PLAIN_PARAMS or isinstance(value, (bool, int, float)):
                out[name] = value if isinstance(value, (bool, int, float, list)) else str(value)[:200]
            elif isinstance(value, (list, tuple, set)):
                hashed = [self.hash_value(str(v)) for v in value]
                out[name] = hashed if name in UNCAPPED_LISTS else hashed[:100]
            else:
                out[name] = self.hash_value(str(value))
        return out

    def record(self, *, request_id: str, key_id: str | None, organisation: str | None, role: str | None,
               method: str, route: str, params: dict[str, Any], outcome: str = "ok",
               result_count: int | None = None) -> None:
        """Insert one entry, committed before the caller answers (an unaudited answer is never sent).

        The parameters are redacted (keyed hashes) before the write lock is taken: under load a thread holding
        ``BEGIN IMMEDIATE`` while it waits for the interpreter kept other writers out past the busy timeout.
        The insert shares its transaction with the entries of concurrent requests (group commit, above).
        """
        redacted = json.dumps(self.redact(params), sort_keys=True, ensure_ascii=False)
        self._group.write((now(), request_id, key_id, organisation, role, method, route, redacted, outcome,
                           result_count))

    def entries(self, *, key_id: str | None = None, organisation: str | None = None, route: str | None = None,
                since: str | None = None, until: str | None = None, limit: int = 100,
                offset: int = 0, role: str | None = None, outcome: str | None = None,
                before: int | None = None) -> list[AuditEntry]:
        """Newest first. ``route`` matches the route template exactly, or as a prefix when it ends in ``*``;
        ``before`` keeps entries older than that sequence number (pages that do not shift as the log grows)."""
        by_route = (condition("substr(route, 1, ?) = ?", len(route) - 1, route[:-1])
                    if route is not None and route.endswith("*") else equals("route", route))
        clause, params = where(equals("key_id", key_id), equals("organisation", organisation), by_route,
                               equals("role", role), equals("outcome", outcome), compare("seq", "<", before),
                               compare("at", ">=", since), compare("at", "<", until))
        rows = self.db.query("SELECT * FROM audit" + clause + " ORDER BY seq DESC LIMIT ? OFFSET ?",
                             [*params, limit, offset])
        return [AuditEntry(r["seq"], r["at"], r["request_id"], r["key_id"], r["organisation"], r["role"],
                           r["method"], r["route"], json.loads(r["params"]), r["outcome"], r["result_count"])
                for r in rows]
