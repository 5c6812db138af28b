"""Who is calling, and may they: every route states its roles through ``requires(...)`` and nothing else.

``requires("analyst")`` is a FastAPI dependency that reads ``Authorization: Bearer KEY``, answers 401 when
the key is missing, unknown or revoked, 403 when its role is not one of the route's, and otherwise hands
the route a ``Caller``: the key's id, role and organisation, plus ``audit()`` to record what was read or
written. The roles are also attached to the dependency, so ``create_app`` can copy them into the OpenAPI
document (``x-roles``) and refuse to start if any route under ``/v1`` declares none: a route cannot be
added unchecked, and the role-walk test reads the same declaration.

Failed authentications are limited (``FailureLimiter``): after ``SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE``
failures in 60 seconds from one client address, or with one key id (the ``sl_<id>_`` part of a key), further
attempts from that address or with that id get 429 with ``Retry-After`` before the key is even looked at,
so a limited guesser learns nothing; every such attempt is audited (outcome ``rate_limited``). The failures
are counted across every server process through the service-state database (``state.auth_failures``), so
several API processes (``SIGHTLINE_API_PROCESSES``, or machines behind a balancer) hold one limit.

The workspace (``web/``) signs people in by exchanging a key for a session cookie (``state.sessions``); a
request without ``Authorization`` but with that cookie is the session's key, checked as above (a revoked
key ends its sessions). Because a browser sends cookies on its own, a cookie-authenticated request that
changes anything must also carry the session's CSRF token (header ``X-CSRF-Token``; the workspace's own forms
send it as the field ``csrf_token``); a bearer key needs none, since nothing sends it unasked.
"""

from __future__ import annotations

import hmac
import math
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.routers import PREFIX
from api.services import Services
from state.auth_failures import FailureLedger
from state.keys import ROLES, ApiKey

PUBLIC = "public"
_CONVERTER = re.compile(r"\{(\w+):\w+\}")
ROLES_ATTRIBUTE = "sightline_roles"
_bearer = HTTPBearer(auto_error=False, description="An API key from `sightline keys create`.")
SESSION_COOKIE = "sightline_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_KEY_ID = re.compile(r"^sl_([0-9a-f]{12})_")  # state.keys: sl_<id>_<secret>, the id naming key_<id>
WINDOW_SECONDS = 60.0
MAX_TRACKED = 100_000  # addresses and key ids remembered at once; the least recently failing are forgotten


class FailureLimiter:
    """Failed authentications per subject (a client address, a key id) in a sliding 60-second window.

    Two counts: this process's, in memory (thread-safe, one lock; the routes run in a thread pool), where an
    attempt takes a slot before the key is checked and gives it back if the key was right, so concurrent
    guesses cannot slip past the limit between the check and the count; and, with a ``ledger``, every
    process's failures of the last minute in the service-state database, read before each key check and
    written on each failure. An attempt over either count is refused. Across processes only attempts in
    flight at the same moment in different processes can pass together (at most one per process and request
    thread), since a failure is recorded once its key has been found wrong."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 ledger: FailureLedger | None = None) -> None:
        self.limit = per_minute
        self._clock = clock
        self.ledger = ledger
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def admit(self, subjects: list[str]) -> tuple[float | None, list[str]]:
        """(None, []) and a slot taken for each subject, or (seconds to wait, the subjects over the limit)."""
        if self.limit <= 0:
            return None, []
        now = self._clock()
        with self._lock:
            self._forget_expired(now)
            waits = {s: wait for s in subjects
                     if len(times := self._failures.get(s, ())) >= self.limit
                     and (wait := times[0] + WINDOW_SECONDS - now) > 0}
            if waits:
                return max(waits.values()), sorted(waits)
            for subject in subjects:
                times = self._failures.setdefault(subject, deque(maxlen=self.limit))
                times.append(now)
                self._failures.move_to_end(subject)
            while len(self._failures) > MAX_TRACKED:
                self._failures.popitem(last=False)
        try:
            shared = self._shared_waits(subjects)
        except BaseException:  # the state database did not answer (503): not a failure, the slots go back
            self.succeeded(subjects)
            raise
        if shared:
            self.succeeded(subjects)  # (this attempt is refused, not failed: its slots go back)
            return max(shared.values()), sorted(shared)
        return None, []

    def _shared_waits(self, subjects: list[str]) -> dict[str, float]:
        """Subjects over the limit counting every process's failures, with the seconds until one expires."""
        if self.ledger is None:
            return {}
        now = self.ledger.clock()
        waits = {}
        for subject, times in self.ledger.recent(subjects).items():
            if len(times) >= self.limit and (wait := times[len(times) - self.limit] + WINDOW_SECONDS - now) > 0:
                waits[subject] = wait
        return waits

    def attempt(self, subjects: list[str], authenticate: Callable[[], ApiKey | None]) -> ApiKey | None:
        """Check a key for ``subjects`` already admitted: a wrong key (None) is a failure every process learns
        of; a right key gives the slots back, and so does a state database that did not answer (503: the key
        was not found wrong, and an outage must not lock everyone out once it is over). The one sequence for
        the API's keys and the workspace's sign-in form."""
        try:
            found = authenticate()
        except BaseException:
            self.succeeded(subjects)
            raise
        if found is None:
            self.failed(subjects)
        else:
            self.succeeded(subjects)
        return found

    def failed(self, subjects: list[str]) -> None:
        """The key was wrong: the slots ``admit`` took stay, and every process learns of the failure."""
        if self.limit > 0 and self.ledger is not None:
            self.ledger.record(subjects)

    def succeeded(self, subjects: list[str]) -> None:
        """The key was right: give back the slots ``admit`` took (the newest entry of each subject)."""
        if self.limit <= 0:
            return
        with self._lock:
            for subject in subjects:
                times = self._failures.get(subject)
                if times:
                    times.pop()
                    if not times:
                        del self._failures[subject]

    def _forget_expired(self, now: float) -> None:
        while self._failures:
            subject, times = next(iter(self._failures.items()))
            if times and times[-1] + WINDOW_SECONDS > now:
                break
            del self._failures[subject]


def limiter(request: Request) -> FailureLimiter:
    return request.app.state.auth_limiter  # type: ignore[no-any-return]


def failure_subjects(request: Request, presented: str) -> list[str]:
    """What failures are counted against: the client's address and, for a well-formed key, its id."""
    subjects = ["address:" + (request.client.host if request.client else "unknown")]
    match = _KEY_ID.match(presented)
    return subjects + ["key:key_" + match.group(1)] if match else subjects


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


def _refuse_limited(request: Request, subjects: list[str], wait: float, over: list[str]) -> ApiError:
    """The 429 for an attempt over the limit, audited first (who tried is not known: address and key id are
    kept, the address as a keyed hash)."""
    seconds = max(1, math.ceil(wait))
    limited_by = sorted({s.partition(":")[0] for s in over})
    key_id = next((s.partition(":")[2] for s in subjects if s.startswith("key:")), None)
    address = subjects[0].partition(":")[2]
    services(request).audit.record(request_id=request_id(request), key_id=None, organisation=None, role=None,
                                   method=request.method, route=route_template(request),
                                   params={"client": address, "key_id": key_id, "limited_by": limited_by,
                                           "retry_after": seconds}, outcome="rate_limited")
    which = " and ".join({"address": "from this address", "key": "with this key id"}[s] for s in limited_by)
    return ApiError(429, f"too many failed authentications {which}; try again in {seconds} s", headers={"Retry-After": str(seconds)},
                    details={"retry_after_seconds": seconds, "limited_by": limited_by})


def session_key(request: Request) -> tuple[ApiKey, str] | None:
    """The active key and CSRF token of the request's workspace session, or None (no, ended or idle session)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    session = services(request).sessions.resolve(token)
    if session is None:
        return None
    key = services(request).keys.get(session.key_id)
    if key is None or not key.active:
        services(request).sessions.end(token)
        return None
    return key, session.csrf


def _check_csrf(request: Request, expected: str) -> None:
    presented = request.headers.get(CSRF_HEADER, "")
    if not presented or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise ApiError(403, "this request came with a session cookie but without the form's CSRF token; "
                            "reload the page and try again", details={"reason": "csrf"})


def _authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> ApiKey:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None and SESSION_COOKIE in request.cookies:
        found = session_key(request)
        if found is None:
            raise ApiError(401, "your workspace session has ended; sign in again", headers=challenge)
        if request.method not in SAFE_METHODS:
            _check_csrf(request, found[1])
        return found[0]
    if credentials is None:
        raise ApiError(401, "an API key is required: send the header 'Authorization: Bearer KEY'", headers=challenge)
    subjects = failure_subjects(request, credentials.credentials)
    wait, over = limiter(request).admit(subjects)
    if wait is not None:
        raise _refuse_limited(request, subjects, wait, over)
    key = limiter(request).attempt(subjects, lambda: services(request).keys.authenticate(credentials.credentials))
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
