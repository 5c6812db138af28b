"""The service state as it stood when migrations were introduced (issue 20).

Revision ID: 0001
Revises: none
Create Date: 2026-12-05

Idempotent on purpose: an ``api.sqlite`` made by earlier versions already holds these tables (they were
created with ``CREATE TABLE IF NOT EXISTS`` on every open), so this revision creates only what is missing,
adds the one column added after a table's first release (``watchlist.removed_reason``), installs the
triggers (``IF NOT EXISTS`` / ``OR REPLACE``) and the screening version row, and Alembic then records the
file as at 0001. A fresh SQLite file or an empty PostgreSQL database gets everything.

The tables come from ``state.schema`` as it is at this revision; a later change to a table goes in a new
revision (``op.add_column``, ``op.create_index``...), never by editing the tables this one created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from state import schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# (table, column) added to a table after its first release, before migrations existed.
_ADDED_COLUMNS = (("watchlist", "removed_reason"),)


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    schema.metadata.create_all(bind, tables=[t for t in schema.metadata.sorted_tables if t.name not in existing])
    inspector = sa.inspect(bind)
    for table, column in _ADDED_COLUMNS:
        if table in existing and column not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, sa.Column(column, sa.Text, nullable=True))
    for statement in schema.triggers(bind.dialect.name):
        op.execute(statement)
    op.execute("INSERT INTO screening_version (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING")


def downgrade() -> None:
    raise NotImplementedError("the initial schema is not taken down: delete the database instead")
