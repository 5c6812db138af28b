"""Who is calling, and may they: every route states its roles through ``requires(...)`` and nothing else.

``requires("analyst")`` is a FastAPI dependency that reads ``Authorization: Bearer KEY``, answers 401 when
the key is missing, unknown or revoked, 403 when its role is not one of the route's, and otherwise hands
the route a ``Caller``: the key's id, role and organisation, plus ``audit()`` to record what was read or
written. The roles are also attached to the dependency, so ``create_app`` can copy them into the OpenAPI
document (``x-roles``) and refuse to start if any route under ``/v1`` declares none: a route cannot be
added unchecked, and the role-walk test reads the same declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.routers import PREFIX
from api.services import Services
from state.keys import ROLES, ApiKey

PUBLIC = "public"
_CONVERTER = re.compile(r"\{(\w+):\w+\}")
ROLES_ATTRIBUTE = "sightline_roles"
_bearer = HTTPBearer(auto_error=False, description="An API key from `sightline keys create`.")


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


def route_template(request: Request) -> str:
    """The route as declared (``/v1/entities/{entity_id}``): never the raw path, which holds identifiers."""
    path = getattr(request.scope.get("route"), "path", None)
    if not path:
        return "(unknown route)"
    # Depending on the FastAPI version the matched route carries the router's path with or without the
    # prefix it was included under; every API route is under PREFIX.
    path = _CONVERTER.sub(r"{\1}", path)  # /entities/{entity_id:path} -> /entities/{entity_id}, as in OpenAPI
    return path if path.startswith(PREFIX + "/") else PREFIX + path


@dataclass(slots=True)
class Caller:
    key: ApiKey
    request: Request
    services: Services

    @property
    def role(self) -> str:
        return self.key.role

    @property
    def organisation(self) -> str:
        return self.key.organisation

    @property
    def who(self) -> str:
        """How decisions and corrections name their author: organisation and key id."""
        return f"{self.key.organisation} ({self.key.id})"

    def audit(self, result_count: int | None = None, outcome: str = "ok", **params: Any) -> None:
        """Record this request: its path and query parameters (identifiers hashed) plus ``params``."""
        merged: dict[str, Any] = dict(self.request.path_params)
        for name in self.request.query_params:
            values = self.request.query_params.getlist(name)
            merged[name] = values if len(values) > 1 else values[0]
        merged.update(params)
        self.services.audit.record(request_id=request_id(self.request), key_id=self.key.id,
                                   organisation=self.key.organisation, role=self.key.role,
                                   method=self.request.method, route=route_template(self.request),
                                   params=merged, outcome=outcome, result_count=result_count)


def _authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> ApiKey:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ApiError(401, "an API key is required: send the header 'Authorization: Bearer KEY'", headers=challenge)
    key = services(request).keys.authenticate(credentials.credentials)
    if key is None:
        raise ApiError(401, "the API key is not valid (unknown or revoked)", headers=challenge)
    return key


def requires(*roles: str) -> Any:
    """The dependency a route declares its roles with: ``dependencies=[requires("analyst")]`` or a
    ``caller: Caller = requires("ngo")`` parameter. ``requires(PUBLIC)`` marks a route open to all."""
    unknown = set(roles) - {*ROLES, PUBLIC}
    if not roles or unknown:
        raise ValueError(f"requires() needs roles from {ROLES} (or PUBLIC), got {roles}")
    allowed = frozenset(roles)

    if PUBLIC in allowed:
        def public() -> None:
            return None

        setattr(public, ROLES_ATTRIBUTE, allowed)
        return Depends(public)

    def check(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Caller:
        key = _authenticate(request, credentials)
        caller = Caller(key, request, services(request))
        if key.role not in allowed:
            caller.audit(outcome="denied")
            raise ApiError(403, f"this route is for the role(s) {', '.join(sorted(allowed))}; "
                                f"your key has the role {key.role!r}",
                           details={"required": sorted(allowed), "role": key.role})
        return caller

    setattr(check, ROLES_ATTRIBUTE, allowed)
    return Depends(check)


def declared_roles(call: Callable[..., Any]) -> frozenset[str] | None:
    return getattr(call, ROLES_ATTRIBUTE, None)
