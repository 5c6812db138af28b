"""Request and response models of the HTTP API (pydantic), shared by the routers.

Request models forbid unknown fields and bound every string and list, so a typo or a hostile payload gets a
422 naming the field instead of being ignored or stored. Response models are what the OpenAPI document
promises; routes return them, never store objects, so no internal field leaks by accident.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.keys import ROLES

Role = Literal["ngo", "analyst", "partner", "admin"]
assert set(Role.__args__) == set(ROLES)  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


# -- errors and service --------------------------------------------------------------------------------

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


# -- keys --------------------------------------------------------------------------------------------

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


# -- audit ---------------------------------------------------------------------------------------------

class AuditEntryOut(BaseModel):
    seq: int
    at: str
    request_id: str
    key_id: str | None
    organisation: str | None
    role: str | None
    method: str
    route: str
    params: dict[str, Any] = Field(description="Request parameters; anything that could identify someone is a keyed hash.")
    outcome: str
    result_count: int | None


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    limit: int
    offset: int
