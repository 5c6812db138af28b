"""Copy a single machine's service state (``SIGHTLINE_HOME/api.sqlite``) into an empty PostgreSQL database.

Why a command and not a migration: moving to team mode is a one-off step an administrator takes, between
stopping the single-machine server and starting the team's processes. The copy must lose nothing an
installation relies on: API keys (their hashes; every old key keeps working), the append-only audit log
row for row, jobs with their items, submissions and owners, corrections, the watchlist, screening lists,
partner secrets (still encrypted under the same ``SIGHTLINE_PARTNER_SECRETS_KEY``), workspace sessions and
the aggregate release ledger.

How: both databases are first brought to the newest schema (``state.migrate``, as any open does), so they
have the same tables and columns (``state.schema``). Then, in ONE PostgreSQL transaction, under the state's
write lock: the target is checked to be empty, every table is copied in foreign-key order in batches, the
one-row counters the migrations create (screening version, graph generation) take the source's values, the
serial counters (``audit.seq``, ``corrections.seq``) are moved past the copied rows, and each table is checked: the same number of rows and the same multiset of values
(an order-free digest of every row). Any difference, or any error, rolls the whole copy back: the target is
left as empty as it was. The audit log's triggers refuse UPDATE and DELETE, not INSERT, so the copy passes
them and the rows keep their sequence numbers, times and keyed hashes byte for byte.

One value cannot cross unchanged: PostgreSQL text cannot hold a NUL character, which SQLite stores. The
state layer already writes NUL as U+FFFD on PostgreSQL; the copy does the same and counts such values, and
the check compares against the source with that one substitution.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import CheckConstraint, Table

from state import schema
from state.db import ApiDatabase, DatabaseError, StateConnection, without_nul

BATCH_ROWS = 2_000
# Serial columns whose PostgreSQL sequence must continue after the highest copied value.
SERIALS = (("audit", "seq"), ("corrections", "seq"))
_DIGEST_MODULUS = 2 ** 256


class CopyError(RuntimeError):
    """The copy was refused or failed and nothing was written; the message says why (never a URL)."""


@dataclass(slots=True)
class TableCopy:
    """One table's outcome: rows in the source, rows in the target after the copy, and whether every value
    matched (the order-free digests of source and target agree)."""

    name: str
    source_rows: int = 0
    target_rows: int = 0
    identical: bool = False


@dataclass(slots=True)
class CopyReport:
    tables: list[TableCopy] = field(default_factory=list)
    nul_replaced: int = 0

    @property
    def rows(self) -> int:
        return sum(t.source_rows for t in self.tables)


# progress(table, rows copied so far, rows in the table): called after each batch, for a progress bar.
Progress = Callable[[str, int, int], None]


def singleton(table: Table) -> bool:
    """A one-row table the migrations fill (``screening_version``, ``graph_generation``: ``CHECK (id = 1)``),
    present in an empty database too; the copy replaces its row with the source's, after the other tables
    (whose triggers bump it)."""
    return any(isinstance(c, CheckConstraint) and str(c.sqltext).replace(" ", "") == "id=1" for c in table.constraints)


def data_tables() -> list[Table]:
    """Every table the copy carries: parents before children (foreign keys), the one-row tables last."""
    tables = schema.metadata.sorted_tables
    return [t for t in tables if not singleton(t)] + [t for t in tables if singleton(t)]


def _row_digest(row: tuple[Any, ...]) -> int:
    """One row as an integer: the SHA-256 of its values written as JSON (floats by repr), so equal rows, and
    only those, give equal numbers whichever database they were read from."""
    canonical = json.dumps([repr(v) if isinstance(v, float) else v for v in row], ensure_ascii=False)
    return int.from_bytes(hashlib.sha256(canonical.encode("utf-8")).digest(), "big")


def _source_batches(source: ApiDatabase, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    """The source table's rows in rowid order, a batch at a time (keyset paging: no OFFSET rescans)."""
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    last = -(2 ** 63)
    while True:
        rows = source.query(f'SELECT rowid, {columns} FROM "{table.name}" WHERE rowid > ? ORDER BY rowid LIMIT ?',
                            (last, BATCH_ROWS))
        if not rows:
            return
        last = rows[-1][0]
        yield [tuple(r)[1:] for r in rows]


def _count(conn: StateConnection, table: str) -> int:
    return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # type: ignore[index]


def _target_digest(tx: StateConnection, table: Table) -> int:
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    total = 0
    for row in tx.execute(f'SELECT {columns} FROM "{table.name}"'):
        total = (total + _row_digest(tuple(row))) % _DIGEST_MODULUS
    return total


def copy_state(source: ApiDatabase, target: ApiDatabase, progress: Progress | None = None) -> CopyReport:
    """Copy every row of ``source`` (SQLite) into ``target`` (PostgreSQL, empty) in one transaction.

    Raises ``CopyError`` (with nothing written) when the target is not PostgreSQL, is not empty, or a table
    does not come out identical."""
    if not source.is_sqlite:
        raise CopyError("the source must be an api.sqlite file")
    if target.is_sqlite:
        raise CopyError("the target must be a PostgreSQL database (postgresql://...)")
    report = CopyReport()
    totals = {t.name: _count(source.connection(), t.name) for t in data_tables()}
    with target.transaction() as tx:  # the state's write lock: no process writes while the copy runs
        busy = [t.name for t in data_tables()
                if not singleton(t) and tx.execute(f'SELECT 1 FROM "{t.name}" LIMIT 1').fetchone() is not None]
        if busy:
            raise CopyError(f"the target database is not empty (rows in: {', '.join(busy)}); copy only into a new, "
                            "empty database")
        for table in data_tables():
            if singleton(table):
                tx.execute(f'DELETE FROM "{table.name}"')  # the migration's row: the source's replaces it
            report.tables.append(_copy_table(source, tx, table, totals[table.name], report, progress))
        for name, column in SERIALS:
            tx.execute(f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                       f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {name}")
        wrong = [t.name for t in report.tables if not t.identical or t.target_rows != t.source_rows]
        if wrong:
            raise CopyError(f"the copy did not come out identical for: {', '.join(wrong)}; nothing was written")
    return report


def _copy_table(source: ApiDatabase, tx: StateConnection, table: Table, total: int, report: CopyReport,
                progress: Progress | None) -> TableCopy:
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    marks = ", ".join("?" for _ in table.columns)
    insert = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    outcome = TableCopy(table.name)
    source_digest = 0
    if progress is not None:
        progress(table.name, 0, total)
    for batch in _source_batches(source, table):
        cleaned = []
        for row in batch:
            stored = tuple(without_nul(value) for value in row)  # (what the state layer writes on PostgreSQL)
            report.nul_replaced += sum(after is not before for after, before in zip(stored, row, strict=True))
            cleaned.append(stored)
            source_digest = (source_digest + _row_digest(stored)) % _DIGEST_MODULUS
        try:
            tx.executemany(insert, cleaned)
        except DatabaseError as error:  # (its text quotes the row: only the kind of error is repeated)
            raise CopyError(f"table {table.name}: PostgreSQL refused a row ({type(error.orig).__name__}); nothing "
                            "was written") from error
        outcome.source_rows += len(cleaned)
        if progress is not None:
            progress(table.name, outcome.source_rows, total)
    outcome.target_rows = _count(tx, table.name)
    outcome.identical = _target_digest(tx, table) == source_digest
    return outcome


def source_database(path: Path) -> ApiDatabase:
    """The api.sqlite at ``path``, upgraded to the newest schema; refused when there is no such file (opening it
    would create an empty one)."""
    if not path.is_file():
        raise CopyError("there is no api.sqlite in SIGHTLINE_HOME to copy (set SIGHTLINE_HOME, or pass --from)")
    return ApiDatabase(path)
