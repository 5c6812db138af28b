"""Routes for everyone: a health check (no key needed) and ``/v1/me`` (which key am I using)."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import PUBLIC, Caller, requires
from api.routers import ERROR_RESPONSES
from api.schemas import Health, Me

router = APIRouter(tags=["service"], responses=ERROR_RESPONSES)
VERSION = "1"


@router.get("/health", response_model=Health, dependencies=[requires(PUBLIC)],
            summary="Is the server up (no key needed)")
def health() -> Health:
    return Health(status="ok", version=VERSION)


@router.get("/me", response_model=Me, summary="The role and organisation of the calling key")
def me(caller: Caller = requires("ngo", "analyst", "partner", "admin")) -> Me:
    return Me(key_id=caller.key.id, role=caller.role, organisation=caller.organisation)  # type: ignore[arg-type]
