"""Several API processes share what one process used to keep in memory (issue 20, item 2).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05

Two tables: ``graph_generation`` (one row, bumped by every graph change an API process makes, which every
process's analysis cache compares per request) and ``auth_failures`` (failed authentications of the last
minute, counted across processes). Idempotent like 0001, because revision 0001 builds every table
``state.schema`` defines when it runs on an empty database: this one creates only what is missing and the
generation's row if it is not there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from state import schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = (schema.graph_generation, schema.auth_failures)


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    schema.metadata.create_all(bind, tables=[t for t in _TABLES if t.name not in existing])
    op.execute("INSERT INTO graph_generation (id, generation) VALUES (1, 0) ON CONFLICT DO NOTHING")


def downgrade() -> None:
    op.drop_table("auth_failures")
    op.drop_table("graph_generation")
