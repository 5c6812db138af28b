"""The service state's tables, defined once for SQLite (the embedded default) and PostgreSQL (team mode).

Why SQLAlchemy Core tables rather than SQL text: the same definition renders the right DDL for either
database (``INTEGER PRIMARY KEY AUTOINCREMENT`` on SQLite, an identity column on PostgreSQL; ``REAL`` and
``DOUBLE PRECISION``; partial unique indexes on both), and Alembic compares it with a live database, so a
migration that forgets a column is caught by the tests. The tables are what ``alembic upgrade head`` builds
(``state/migrations``); changing one means adding a revision there as well.

Two rules live in triggers, because no code path may bypass them: the audit log refuses UPDATE and DELETE,
and any change to what is flagged (watchlist, imported lists, partner secrets, victim-rule decisions) bumps
``screening_version``, which every server process checks per screening request. ``triggers()`` gives the
DDL for each dialect.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    text,
)

metadata = MetaData()

# Sequence numbers that grow forever on a busy server: 64-bit on PostgreSQL; on SQLite an INTEGER primary key
# is the rowid (64-bit already), and only the word INTEGER makes it one.
_Serial = BigInteger().with_variant(Integer(), "sqlite")


def _text(name: str, nullable: bool = True, **kw: object) -> Column:  # type: ignore[type-arg]
    """A text column; a primary key is never nullable (PostgreSQL makes it NOT NULL whatever it is told)."""
    return Column(name, Text, nullable=nullable and not kw.get("primary_key"), **kw)  # type: ignore[arg-type]


api_keys = Table(
    "api_keys", metadata,
    _text("id", primary_key=True), _text("secret_hash", False, unique=True), _text("role", False),
    _text("organisation", False), _text("created_at", False), _text("revoked_at"))

audit = Table(
    "audit", metadata,
    Column("seq", _Serial, primary_key=True, autoincrement=True), _text("at", False), _text("request_id", False),
    _text("key_id"), _text("organisation"), _text("role"), _text("method", False), _text("route", False),
    _text("params", False), _text("outcome", False), Column("result_count", Integer),
    Index("audit_at", "at"), sqlite_autoincrement=True)

jobs = Table(
    "jobs", metadata,
    _text("id", primary_key=True), _text("kind", False), _text("organisation", False), _text("key_id", False),
    _text("status", False), _text("created_at", False), _text("started_at"), _text("finished_at"),
    Column("lease_until", Float), _text("worker"), Column("attempts", Integer, nullable=False, server_default=text("0")),
    _text("params", False), _text("error"),
    Index("jobs_status", "status", "created_at"))

job_items = Table(
    "job_items", metadata,
    _text("job_id", False), Column("seq", Integer, nullable=False), _text("narrative_id", False), _text("reference"),
    _text("content_hash", False), _text("text", False), _text("meta", False), _text("status", False), _text("error"),
    PrimaryKeyConstraint("job_id", "seq"), Index("job_items_hash", "content_hash"))

narratives = Table(
    "narratives", metadata,
    _text("id", primary_key=True), _text("content_hash", False, unique=True), _text("job_id", False),
    _text("reference"), _text("meta", False), _text("text", False), _text("extraction", False),
    _text("stored_at", False))

narrative_owners = Table(
    "narrative_owners", metadata,
    _text("narrative_id", False), _text("organisation", False), _text("submitted_at", False), _text("reference"),
    PrimaryKeyConstraint("narrative_id", "organisation"))

corrections = Table(
    "corrections", metadata,
    Column("seq", _Serial, primary_key=True, autoincrement=True), _text("narrative_id", False),
    _text("entity_id", False), _text("action", False), _text("label"), _text("reason"), _text("key_id", False),
    _text("organisation", False), _text("at", False),
    Index("corrections_narrative", "narrative_id"), sqlite_autoincrement=True)

watchlist = Table(
    "watchlist", metadata,
    _text("id", primary_key=True), _text("entity_id", False), _text("label", False), _text("name", False),
    _text("category", False), _text("reason", False), _text("key_id", False), _text("organisation", False),
    _text("created_at", False), _text("removed_at"), _text("removed_by"), _text("removed_reason"),
    Index("watchlist_entity", "entity_id"))

flagged_lists = Table(
    "flagged_lists", metadata,
    _text("name", primary_key=True), _text("category", False), _text("source", False),
    Column("entries", Integer, nullable=False), _text("imported_at", False), _text("imported_by", False))

flagged_entries = Table(
    "flagged_entries", metadata,
    Column("list_name", Text, ForeignKey("flagged_lists.name", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False), _text("reference", False), _text("kind", False), _text("name"),
    _text("aliases", False), _text("birth_date"), _text("country"), _text("identifiers", False),
    _text("reason", False), PrimaryKeyConstraint("list_name", "seq"))

partner_secrets = Table(
    "partner_secrets", metadata,
    _text("organisation", primary_key=True), _text("secret", False), _text("created_at", False))

screening_usage = Table(
    "screening_usage", metadata,
    _text("key_id", False), Column("at", Float, nullable=False), Column("queries", Integer, nullable=False),
    Index("screening_usage_key", "key_id", "at"))

screening_version = Table(
    "screening_version", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False), Column("version", Integer, nullable=False),
    CheckConstraint("id = 1"))

victim_rule_decisions = Table(
    "victim_rule_decisions", metadata,
    _text("id", primary_key=True), _text("kind", False), _text("key", False), _text("reason", False),
    _text("key_id", False), _text("organisation", False), _text("created_at", False), _text("withdrawn_at"),
    _text("withdrawn_by"),
    Index("victim_rule_decisions_active", "kind", "key", unique=True,
          sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")))

web_sessions = Table(
    "web_sessions", metadata,
    _text("token_hash", primary_key=True), Column("key_id", Text, ForeignKey("api_keys.id"), nullable=False),
    _text("csrf", False), Column("created_at", Float, nullable=False), Column("last_seen", Float, nullable=False),
    Index("web_sessions_key", "key_id"))

aggregate_ledger = Table(
    "aggregate_ledger", metadata,
    Column("k", Integer, nullable=False), _text("cell", False), Column("suppressed", Integer, nullable=False),
    Column("shown_victims", Integer), Column("shown_cases", Integer), Column("basis_victims", Integer, nullable=False),
    Column("basis_cases", Integer, nullable=False), _text("released_at", False), PrimaryKeyConstraint("k", "cell"))

# Bumped by every graph change an API process makes that the store's counts may not show (a deletion, a
# correction, a consent change, a decision): every process's analysis cache compares it per request
# (state.generation). Added in revision 0002.
graph_generation = Table(
    "graph_generation", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False), Column("generation", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="graph_generation_one_row"))

# Failed authentications of the last minute, shared by every API process (state.auth_failures); the subject
# (a client address or key id) is kept only as a keyed hash. Added in revision 0002.
auth_failures = Table(
    "auth_failures", metadata,
    _text("subject", False), Column("at", Float, nullable=False),
    Index("auth_failures_subject", "subject", "at"), Index("auth_failures_at", "at"))

# Tables whose changes alter what screening flags: each change bumps screening_version.
SCREENING_TABLES = ("watchlist", "flagged_lists", "partner_secrets", "victim_rule_decisions")
APPEND_ONLY = "the audit log is append-only"


def triggers(dialect: str) -> list[str]:
    """The trigger DDL for ``dialect`` ("sqlite" or "postgresql"), idempotent so it may run on a database that
    already has them (an ``api.sqlite`` made before the migrations existed)."""
    if dialect == "sqlite":
        out = [f"CREATE TRIGGER IF NOT EXISTS audit_no_{event.lower()} BEFORE {event} ON audit "
               f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END" for event in ("UPDATE", "DELETE")]
        out += [f"CREATE TRIGGER IF NOT EXISTS screening_{table}_{event.lower()} AFTER {event} ON {table} "
                "BEGIN UPDATE screening_version SET version = version + 1; END"
                for table in SCREENING_TABLES for event in ("INSERT", "UPDATE", "DELETE")]
        return out
    if dialect == "postgresql":
        out = [(f"CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"),
               ("CREATE OR REPLACE TRIGGER audit_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"),
               ("CREATE OR REPLACE FUNCTION screening_bump() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN UPDATE screening_version SET version = version + 1; RETURN NULL; END $$")]
        out += [f"CREATE OR REPLACE TRIGGER screening_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION screening_bump()" for table in SCREENING_TABLES]
        return out
    raise ValueError(f"unsupported database dialect {dialect!r}")
