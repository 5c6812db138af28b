"""Alembic's environment for the service state: migrations run on the connection ``state.migrate`` hands in.

``state.migrate.upgrade`` opens the connection, takes the lock (``BEGIN IMMEDIATE`` on SQLite, an advisory
lock on PostgreSQL) and passes it here through ``config.attributes``, so the whole upgrade runs in the
caller's transaction and commits once. Run by hand (``alembic -c an.ini -x url=... upgrade head``, the ini
naming this folder as ``script_location``) it connects to that URL itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from state.schema import metadata


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database: alembic -x url=postgresql+psycopg://... upgrade head")
    with create_engine(url).begin() as connection:
        _run(connection)


run()
