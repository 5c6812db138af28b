"""Administrator routes: API keys (create, list, revoke), deleting a narrative, and reading the audit log.

Every call here is audited too (key management and deletion are writes; the audit log is person-level
metadata).
Nothing here can change or delete an audit entry: there is no such operation, and the table refuses it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.auth import Caller, requires
from api.errors import ApiError
from api.routers import ERROR_RESPONSES
from api.schemas.admin import AuditEntryOut, AuditPage, KeyCreate, KeyCreated, KeyInfo, NarrativeDeleted
from api.schemas.common import ErrorBody, Role
from intake.deletion import NarrativeNotFound, NarrativeStillQueued, delete_narrative as delete_everywhere
from state.keys import ApiKey, KeyRequestError

router = APIRouter(tags=["admin"], responses=ERROR_RESPONSES)
ADMIN = requires("admin")
ADMIN_OR_OWNER = requires("admin", "ngo")  # an NGO: only narratives it submitted (checked in the route)
_NOT_FOUND = {404: {"model": ErrorBody, "description": "No such key."}}


def _info(key: ApiKey) -> KeyInfo:
    return KeyInfo(id=key.id, role=key.role, organisation=key.organisation,  # type: ignore[arg-type]
                   created_at=key.created_at, revoked_at=key.revoked_at)


@router.post("/keys", response_model=KeyCreated, status_code=201, summary="Create an API key (the secret is shown once)")
def create_key(body: KeyCreate, caller: Caller = ADMIN) -> KeyCreated:
    try:
        key, secret = caller.services.keys.create(body.role, body.organisation)
    except KeyRequestError as error:
        raise ApiError(422, str(error)) from None
    caller.audit(result_count=1, role=body.role, organisation=body.organisation, new_key=key.id)
    return KeyCreated(**_info(key).model_dump(), key=secret)


@router.get("/keys", response_model=list[KeyInfo], summary="List API keys (never their secrets)")
def list_keys(caller: Caller = ADMIN,
              include_revoked: Annotated[bool, Query(description="Include revoked keys.")] = True) -> list[KeyInfo]:
    keys = caller.services.keys.list(include_revoked=include_revoked)
    caller.audit(result_count=len(keys))
    return [_info(k) for k in keys]


@router.delete("/keys/{key_id}", response_model=KeyInfo, responses=_NOT_FOUND, summary="Revoke an API key")
def revoke_key(key_id: str, caller: Caller = ADMIN) -> KeyInfo:
    try:
        key = caller.services.keys.revoke(key_id)
    except KeyRequestError as error:
        raise ApiError(404, str(error)) from None
    caller.audit(result_count=1)
    return _info(key)


def _utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


@router.delete("/narratives/{narrative_id}", response_model=NarrativeDeleted,
               responses={404: {"model": ErrorBody, "description": "No such narrative."},
                          409: {"model": ErrorBody, "description": "A job still has it queued."}},
               summary="Delete a narrative and everything derived only from it (the audit log stays)")
def delete_narrative(narrative_id: Annotated[str, Path(min_length=1, max_length=200)],
                     caller: Caller = ADMIN_OR_OWNER) -> NarrativeDeleted:
    """By the API's id (``n...``) or the graph's (a ``sightline ingest`` source id): ``intake.deletion``
    removes it from the graph in one transaction, then the API's records of it; the analysis is recomputed on
    the next request. Deleting again answers 404. An NGO may delete a narrative its own organisation
    submitted first (404 for any other), unless another organisation submitted the same text too (409: it
    is theirs as well; an administrator decides)."""
    services = caller.services
    if caller.role == "ngo":
        refusal = services.narratives.deletable_by(narrative_id, caller.organisation)
        if refusal == "not_found":
            caller.audit(0, outcome="not_found")
            raise ApiError(404, "no such narrative")
        if refusal == "shared":
            caller.audit(0, outcome="conflict")
            raise ApiError(409, "another organisation submitted this narrative too, so deleting it would take it "
                                "from them as well; ask an administrator")
    try:
        deleted = delete_everywhere(services.stores.get(), services.db, narrative_id, services.settings.thresholds(),
                                    f"{caller.organisation} ({caller.key.id}): narrative deleted")
    except NarrativeNotFound:
        caller.audit(0, outcome="not_found")
        raise ApiError(404, "no such narrative") from None
    except NarrativeStillQueued as queued:
        raise ApiError(409, f"the narrative is still queued in job {queued.job_id}; delete it when the "
                       "job is done", details={"job_id": queued.job_id}) from None
    services.analysis.invalidate()
    change, removed, watch = deleted.change, deleted.api_records_deleted, deleted.watchlist_changed
    caller.audit(1, nodes_deleted=len(change.nodes_deleted), api_records_deleted=removed)
    return NarrativeDeleted(id=narrative_id, graph_id=change.source_id, nodes_deleted=len(change.nodes_deleted),
                            nodes_changed=len(change.nodes_changed), relationships_deleted=change.edges_deleted,
                            relationships_changed=change.edges_changed, people_renamed=change.renamed,
                            people_apart=change.split, people_joined=change.joined, api_records_deleted=removed,
                            watchlist_changed=watch)


@router.get("/audit", response_model=AuditPage, summary="Read the audit log, newest first, with filters")
def audit(caller: Caller = ADMIN,
          key_id: Annotated[str | None, Query(max_length=100, description="Only this key.")] = None,
          organisation: Annotated[str | None, Query(max_length=200, description="Only this organisation.")] = None,
          route: Annotated[str | None, Query(max_length=300, description="Route template, e.g. /v1/entities; "
                                                                          "end with * for a prefix.")] = None,
          role: Annotated[Role | None, Query(description="Only requests made with this role's keys.")] = None,
          outcome: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$", description=(
              "Only this outcome: ok, denied, not_found, rate_limited, unauthorized, invalid, conflict, "
              "no_secret."))] = None,
          since: Annotated[datetime | None, Query(description="From this time (ISO 8601; UTC if no zone).")] = None,
          until: Annotated[datetime | None, Query(description="Before this time.")] = None,
          before: Annotated[int | None, Query(ge=1, description=(
              "Only entries older than this seq: pass the last seq of a page for the next one, which new "
              "entries cannot shift as offset pages are."))] = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100,
          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> AuditPage:
    entries = caller.services.audit.entries(key_id=key_id, organisation=organisation, route=route, role=role,
                                            outcome=outcome, since=_utc(since), until=_utc(until), limit=limit,
                                            offset=offset, before=before)
    caller.audit(result_count=len(entries))
    return AuditPage(entries=[AuditEntryOut(seq=e.seq, at=e.at, request_id=e.request_id, key_id=e.key_id,
                                            organisation=e.organisation, role=e.role, method=e.method,
                                            route=e.route, params=e.params, outcome=e.outcome,
                                            result_count=e.result_count) for e in entries],
                     limit=limit, offset=offset)
