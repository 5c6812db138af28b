"""Administrators' models: API keys, the audit log and the account of a deleted narrative."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import Role, Strict
from api.schemas.mirror import mirror
from state.audit import AuditEntry


class KeyCreate(Strict):
    role: Role
    organisation: str = Field(min_length=1, max_length=200)


class KeyInfo(BaseModel):
    id: str
    role: Role
    organisation: str
    created_at: str
    revoked_at: str | None


class KeyCreated(KeyInfo):
    key: str = Field(description="The secret: shown once, stored only as a hash. Send it as 'Authorization: Bearer KEY'.")


# An audit entry exactly as ``state.audit`` keeps it (parameters already hashed there).
class AuditEntryOut(mirror(AuditEntry, describe={  # type: ignore[misc]
        "params": "Request parameters; anything that could identify someone is a keyed hash."})):
    pass


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    limit: int
    offset: int


class NarrativeDeleted(BaseModel):
    id: str
    graph_id: str | None = Field(description="The narrative's id in the graph; null if the graph did not hold it.")
    nodes_deleted: int = Field(description="Nodes only it supported, its own included.")
    nodes_changed: int = Field(description="Nodes other narratives also support, folded again without it.")
    relationships_deleted: int
    relationships_changed: int = Field(description="Relationships that kept other narratives' evidence.")
    people_renamed: dict[str, str] = Field(description="People it had named first: old id -> the id a rebuild gives.")
    people_apart: dict[str, str] = Field(description="People whose merge rested on it, apart again: new id -> old.")
    people_joined: dict[str, str] = Field(description="People it had kept apart, now joined: joined id -> old.")
    api_records_deleted: int = Field(description="Rows of its text, metadata, extraction, owners and corrections.")
    watchlist_changed: int = Field(description="Flags that followed a renamed person or were taken off.")
