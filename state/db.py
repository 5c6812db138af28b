"""The API's own state: keys, the audit log, jobs, submissions, watchlist; SQLite alone, PostgreSQL in a team.

Kept apart from the graph store because none of it is graph data: it is who may do what, who did what,
and which organisation submitted which narrative. By default it is ``SIGHTLINE_HOME/api.sqlite``; with
``SIGHTLINE_DATABASE_URL=postgresql://...`` it is a PostgreSQL database that any number of API and worker
processes on any machines share. The tables are defined once (``state.schema``) and created or upgraded by
Alembic on open (``state.migrate``).

Call sites write plain SQL with ``?`` placeholders that both databases accept (``INSERT ... ON CONFLICT``,
``RETURNING``); this module translates the placeholders for PostgreSQL and hands back rows indexed by name
and by position, as ``sqlite3.Row`` did. Writes go through ``transaction()``, committed before it returns:
whatever a route reports as done is on disk. On SQLite that is ``BEGIN IMMEDIATE`` (one writer at a time);
on PostgreSQL an exclusive transaction takes one advisory lock, which gives the same one-writer order the
check-then-write call sites were written for, while ``exclusive=False`` (the audit log, job claims with
``FOR UPDATE SKIP LOCKED``) runs alongside them under row locks. Reads outside a transaction see committed
data; inside one, a thread's reads go through its transaction (they see its own writes).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from state import migrate

# Call sites catch these instead of a driver's own (sqlite3 or psycopg): SQLAlchemy wraps both.
IntegrityError = exc.IntegrityError
DatabaseError = exc.DBAPIError
# What a connection problem is raised as by SQLAlchemy: the driver's OperationalError (server down, restarting,
# refusing connections, a connection cut mid-statement) or InterfaceError (a connection already closed).
_CONNECTION_ERRORS = (exc.OperationalError, exc.InterfaceError)
# SQLite's OperationalErrors that mean "busy", not a bug in a statement (no such table, syntax).
_SQLITE_BUSY = ("locked", "busy", "unable to open")
# Seconds a PostgreSQL connection attempt may take: a host that drops packets must not hold a request for
# the operating system's two-minute TCP timeout; the request gets a 503 instead.
CONNECT_TIMEOUT = 5
# pg_advisory_xact_lock key that exclusive transactions take: "sightline state" in ASCII, cut to 63 bits.
WRITE_LOCK = 0x5369676874737461
_LITERAL_OR_MARK = re.compile(r"'[^']*'|\?|%")


def now() -> str:
    """UTC time as ISO 8601 with microseconds: sorts as text, which the audit filters rely on."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Unavailable(RuntimeError):
    """The service-state database cannot be reached or is busy (PostgreSQL stopped or restarting, SQLite
    locked past its timeout): what the API answers 503 with Retry-After for and the worker waits out.

    Raised in place of the driver's error, whose text names hosts, ports and roles; the message here names
    none of them (the original stays chained, for the server log). Nothing has to be reopened afterwards:
    the PostgreSQL pool pings each connection before lending it (``pool_pre_ping``) and drops dead ones."""

    def __init__(self, message: str = "the service-state database cannot be reached") -> None:
        super().__init__(message)


def unavailable(error: BaseException, dialect: str) -> bool:
    """Whether ``error`` means the database is unreachable or busy (rather than a bad statement)."""
    if not isinstance(error, _CONNECTION_ERRORS):
        return False
    if dialect != "sqlite":
        return True  # psycopg: connection failures, admin shutdown, lock timeouts, serialization: all transient
    return any(word in str(error.orig).lower() for word in _SQLITE_BUSY)


@contextmanager
def reachable(dialect: str) -> Iterator[None]:
    """Run the block, turning a connection problem into ``Unavailable``."""
    try:
        yield
    except _CONNECTION_ERRORS as error:
        if unavailable(error, dialect):
            raise Unavailable() from error
        raise


def without_nul(value: Any) -> Any:
    """``value`` as PostgreSQL can store it: its text cannot hold NUL, which SQLite stores, so a NUL in an upload
    or a query parameter (the audit log keeps some verbatim) becomes U+FFFD rather than failing the request.
    Anything else is returned as the same object."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


class DatabaseUrlError(ValueError):
    """SIGHTLINE_DATABASE_URL names something other than PostgreSQL or SQLite; says so without echoing it
    (a URL may hold a password)."""


def engine_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver this project ships); ``sqlite:///``
    passes through. Anything else is refused."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise DatabaseUrlError("SIGHTLINE_DATABASE_URL is not a database URL (postgresql://user:pass@host/db)") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if parsed.get_driver_name() not in ("psycopg", "postgres", "postgresql", "psycopg2"):
            raise DatabaseUrlError("SIGHTLINE_DATABASE_URL: PostgreSQL is reached through psycopg (postgresql+psycopg://)")
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise DatabaseUrlError("SIGHTLINE_DATABASE_URL must be a postgresql:// URL (unset: SQLite under SIGHTLINE_HOME)")


@lru_cache(maxsize=1024)
def _pyformat(sql: str) -> str:
    """``?`` to ``%s`` for psycopg (and a literal ``%`` doubled), leaving quoted text as it is."""
    return _LITERAL_OR_MARK.sub(lambda m: {"?": "%s", "%": "%%"}.get(m.group(0), m.group(0)), sql)


class Row(Sequence[Any]):
    """One result row, by position (``row[0]``) or by column name (``row["id"]``), like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: tuple[Any, ...], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: Any) -> Any:
        return self._values[self._index[key]] if isinstance(key, str) else self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (Row, tuple)) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


class Cursor:
    """What ``execute`` returns: the rows (fetched at once: results here are small and bounded by LIMITs),
    ``rowcount`` and, on SQLite, ``lastrowid`` (portable code uses ``RETURNING`` instead)."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None = None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[Row]:
        rows, self._next = self._rows[self._next:], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class StateConnection:
    """``execute``/``executemany`` on one SQLAlchemy connection (inside a transaction), or, when ``conn`` is
    None, each statement on a pooled connection and committed at once (what ``connection()`` gives)."""

    def __init__(self, db: ApiDatabase, conn: Connection | None) -> None:
        self._db = db
        self._conn = conn

    @property
    def dialect(self) -> str:
        return self._db.dialect

    def _sql(self, sql: str) -> str:
        return sql if self._db.dialect == "sqlite" else _pyformat(sql)

    def _params(self, params: Sequence[Any]) -> tuple[Any, ...]:
        if self._db.dialect == "sqlite":
            return tuple(params)
        return tuple(without_nul(p) for p in params)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._run(lambda c: c.exec_driver_sql(self._sql(sql), self._params(params)))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Cursor:
        batch = [self._params(r) for r in rows]
        if not batch:
            return Cursor([], 0)
        return self._run(lambda c: c.exec_driver_sql(self._sql(sql), batch))  # type: ignore[arg-type]

    def _run(self, work: Any) -> Cursor:
        with reachable(self._db.dialect):
            if self._conn is not None:
                return _cursor(work(self._conn))
            with self._db.engine.connect() as conn:
                try:
                    out = _cursor(work(conn))
                except BaseException:
                    _rollback(conn)
                    raise
                conn.commit()
                return out


def _rollback(conn: Connection) -> None:
    """Roll back after a failure; on a connection that died meanwhile there is nothing left to roll back, and
    the error to report is the first one."""
    try:
        conn.rollback()
    except _CONNECTION_ERRORS:
        pass


def _cursor(result: Any) -> Cursor:
    rows: list[Row] = []
    if result.returns_rows:
        index = {name: i for i, name in enumerate(result.keys())}
        rows = [Row(tuple(r), index) for r in result.fetchall()]
    lastrowid = None
    try:
        lastrowid = result.lastrowid
    except (exc.InvalidRequestError, AttributeError):
        pass
    return Cursor(rows, result.rowcount, lastrowid)


def _sqlite_engine(path: Path) -> Engine:
    # The driver's own implicit BEGINs are turned off (isolation_level=None): transaction() says BEGIN
    # IMMEDIATE itself, and reads outside one run in autocommit. Connections move between threads through
    # the pool; a generous pool keeps one per server thread, as the per-thread connections before did.
    engine = create_engine(f"sqlite:///{path}", pool_size=32, max_overflow=-1,
                           connect_args={"timeout": 30, "check_same_thread": False, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a 202 promises the submission survives a power cut too
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


class ApiDatabase:
    """The service state, at ``path`` (SQLite) or ``url`` (PostgreSQL), upgraded to the newest schema on open."""

    def __init__(self, path: Path, url: str | None = None) -> None:
        self.path = path
        if url and not url.startswith("sqlite"):
            self.engine = create_engine(engine_url(url), pool_size=5, max_overflow=20, pool_pre_ping=True,
                                        connect_args={"connect_timeout": CONNECT_TIMEOUT})
        else:
            if url:
                self.path = Path(make_url(engine_url(url)).database or path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(self.path)
        self.dialect: str = self.engine.dialect.name
        self._local = threading.local()
        with reachable(self.dialect):
            migrate.upgrade(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def connection(self) -> StateConnection:
        """This thread's transaction if it is in one, else a connection that commits each statement."""
        return getattr(self._local, "tx", None) or StateConnection(self, None)

    @contextmanager
    def transaction(self, exclusive: bool = True) -> Iterator[StateConnection]:
        """One transaction, committed when the block ends (rolled back if it raises).

        ``exclusive`` (the default) orders it after every other exclusive transaction of every process, as
        SQLite's single writer does; pass False only where row locks alone keep the work correct."""
        if getattr(self._local, "tx", None) is not None:
            raise RuntimeError("a transaction is already open on this thread")
        with reachable(self.dialect), self.engine.connect() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif exclusive:
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            self._local.tx = StateConnection(self, conn)
            try:
                yield self._local.tx
            except BaseException:
                _rollback(conn)
                raise
            finally:
                self._local.tx = None
            conn.commit()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.connection().execute(sql, params).fetchall()

    def close(self) -> None:
        self.engine.dispose()
