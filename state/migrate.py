"""Bring a service-state database to the newest schema: ``alembic upgrade head``, run on every open.

Why on open rather than as a deployment step: the embedded default is a file that appears on first use, and
team mode runs many API and worker processes that may start together; each one upgrading under a lock means
nobody has to remember a command, and a process never runs against an older schema than its code.

Several processes may open the database at once, so the upgrade runs under a lock held for the whole
migration: ``BEGIN IMMEDIATE`` on SQLite (one writer at a time; DDL is transactional there too) and a
transaction-scoped advisory lock on PostgreSQL. The second process waits, then finds the database at head
and does nothing. Looking at ``alembic_version`` first, without the lock, keeps an open cheap when the
database is already current (the common case: every CLI command and test opens it).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, exc

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions; a test checks it against Alembic's own reading of the files,
# so that an open can tell the database is current without loading Alembic and parsing every revision.
HEAD = "0002"
# pg_advisory_xact_lock key for migrations (any constant; "sightline migrate" in ASCII, cut to 63 bits).
MIGRATION_LOCK = 0x5369676D69677261
_process_lock = threading.Lock()


def current(connection: Connection) -> str | None:
    """The revision the database is at; None for an empty database or an api.sqlite older than migrations."""
    try:
        with connection.begin_nested() if connection.in_transaction() else connection.begin():
            row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    except exc.DBAPIError:
        return None
    return None if row is None else str(row[0])


def _config() -> Config:
    from alembic.config import (
        Config,  # only when needed: an open of a current database never loads Alembic
    )

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def alembic_head() -> str | None:
    """The newest revision as Alembic reads the files (what ``HEAD`` must say)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def _upgrade_locked(connection: Connection) -> None:
    from alembic import command

    if current(connection) == HEAD:
        return
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def upgrade(engine: Engine) -> None:
    """``alembic upgrade head`` on ``engine`` under the lock, committed before it returns."""
    with engine.connect() as connection:
        try:
            if current(connection) == HEAD:
                return
        finally:
            connection.rollback()
    with _process_lock, engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        try:
            _upgrade_locked(connection)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
