"""Models every audience meets: roles, the strict base of request bodies, errors, service info and jobs.

Jobs are here rather than with one audience because NGOs (ingest) and analysts (reports) both follow
theirs through the same ``/v1/jobs`` routes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from state.keys import ROLES

Role = Literal["ngo", "analyst", "partner", "admin"]
assert set(Role.__args__) == set(ROLES)  # type: ignore[attr-defined]


class Strict(BaseModel):
    """Base of request bodies: an unknown field is a 422 naming it, never silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid_request, forbidden.")
    message: str = Field(description="One sentence a person can act on.")
    details: Any = Field(None, description="Structured details (for validation errors: location and message per problem).")


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Me(BaseModel):
    key_id: str
    role: Role
    organisation: str


# -- jobs ------------------------------------------------------------------------------------------------

class JobItemOut(BaseModel):
    seq: int
    narrative_id: str | None
    reference: str | None
    status: str = Field(description="queued, stored (new in the graph), existing (already in it) or failed.")
    error: str | None


class Progress(BaseModel):
    total: int
    done: int
    queued: int
    stored: int
    existing: int
    failed: int


class JobOut(BaseModel):
    id: str
    kind: Literal["ingest", "report"]
    status: Literal["pending", "running", "done", "failed"]
    created_at: str
    started_at: str | None
    finished_at: str | None
    progress: Progress | None = None
    items: list[JobItemOut] = Field(default_factory=list)
    error: str | None
    result: dict[str, Any] | None = Field(None, description="For a report: the formats it can be fetched in.")
