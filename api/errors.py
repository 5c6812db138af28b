"""One error shape for every failure: ``{"error": {"code", "message", "details"}}``.

Clients (and the people reading their logs) get a stable machine code, one sentence a person can act on,
and structured details; never a traceback, never the offending input echoed back (it may be huge, or a
victim's name). FastAPI's own errors (validation, unknown route, wrong method) are rewritten into it.

The codes are a closed set, ``ERROR_CODES``, each documented in docs/api.md (a test walks the errors the
server gives and checks both). Messages are written not to quote what the client sent; as a last guard,
every path parameter and query value of the request is blanked out of an error's message and details
before it leaves (``_without_input``), so that a message a route forgot to word carefully cannot echo an
identifier or a name either.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
          422: "invalid_request", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}
# Every code an error may carry: the status codes' own, and those a route names for a finer reason. A new
# one goes here and into docs/api.md's table (tests/test_api_hostile.py checks both).
ERROR_CODES = frozenset({*_CODES.values(), "store_unavailable"})
# The service-state database (PostgreSQL) is down or restarting: 503 with Retry-After, and the server
# reconnects by itself when it is back (state.db.Unavailable); a few seconds covers a restart.
RETRY_AFTER_SECONDS = 5
STATE_UNAVAILABLE = ("the service's state database is unavailable (it may be restarting); try again after the "
                     "seconds the Retry-After header gives")
log = logging.getLogger("sightline.api")
_MAX_DETAILS = 20
_MAX_LOCATION = 120  # a location names a field, and a field name (an unknown key) is the client's input
_HIDDEN = "…"
_MIN_HIDDEN = 3  # shorter values ('en', '1') would blank out ordinary words of the message


def code_for(status: int) -> str:
    """The documented code of an HTTP status: its own, else that of its class (4xx bad_request, 5xx internal)."""
    return _CODES.get(status) or ("internal_error" if status >= 500 else "bad_request")


class ApiError(Exception):
    """Raised by routes and dependencies; rendered in the one error shape with its status."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or code_for(status)
        self.message = message
        self.details = details
        self.headers = headers


def error_body(status: int, message: str, code: str | None = None, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code or code_for(status), "message": message, "details": details}}


def error_bytes(status: int, message: str, code: str | None = None, details: Any = None) -> bytes:
    return json.dumps(error_body(status, message, code, details)).encode("utf-8")


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body" and len(parts) > 1 and parts[1] in ("json", "multipart"):
        parts = ["body", *parts[2:]]
    where = ".".join(parts) or "request"
    return where if len(where) <= _MAX_LOCATION else where[:_MAX_LOCATION] + _HIDDEN


def _request_values(request: Request) -> list[str]:
    """What the client put in the path and the query string, longest first (so that no shorter value
    blanks out part of a longer one)."""
    values = {v for v in request.path_params.values() if isinstance(v, str)}
    values |= {v for _, v in request.query_params.multi_items()}
    return sorted((v for v in values if len(v) >= _MIN_HIDDEN), key=len, reverse=True)


def _without_input(value: Any, hidden: list[str]) -> Any:
    """``value`` (a message, or details of any shape) with each of ``hidden`` (and its repr) blanked out."""
    if not hidden:
        return value
    if isinstance(value, str):
        for h in hidden:
            value = value.replace(repr(h), repr(_HIDDEN)).replace(h, _HIDDEN)
        return value
    if isinstance(value, dict):
        return {k: _without_input(v, hidden) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_input(v, hidden) for v in value]
    return value


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Where and what, without the input (which may be enormous or sensitive)."""
    out = []
    for e in errors[:_MAX_DETAILS]:
        message = str(e.get("msg", "invalid"))
        location = _where(e.get("loc", ()))
        if e.get("type") == "json_invalid":
            position = e.get("loc", ("body", "?"))[-1]
            reason = (e.get("ctx") or {}).get("error")
            message = f"the body is not valid JSON ({reason + ', ' if reason else ''}at character {position})"
            location = "body"
        out.append({"location": location, "message": message, "type": str(e.get("type", ""))})
    return out


def html_error_page(request: Request, status: int) -> Response | None:
    """A workspace page for an error outside the API (``/v1``, /docs), when the workspace installed a renderer
    (``app.state.html_error``) and the client asked for HTML: a person in a browser gets a page with a way
    back, a program the one JSON shape."""
    renderer = getattr(request.app.state, "html_error", None)
    path = request.url.path
    if renderer is None or path.startswith(("/v1/", "/docs", "/redoc", "/openapi.json")) or path == "/v1":
        return None
    if "text/html" not in request.headers.get("accept", ""):  # a program (curl, a client library): the JSON shape
        return None
    return renderer(request, status)  # type: ignore[no-any-return]


def install(app: FastAPI) -> None:
    async def api_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        hidden = _request_values(request)
        return JSONResponse(error_body(error.status, _without_input(error.message, hidden), error.code,
                                       _without_input(error.details, hidden)), error.status, headers=error.headers)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        page = html_error_page(request, error.status_code)
        if page is not None:
            return page
        message = {404: "no such route; the API lives under /v1 (see /docs)",
                   405: "this method is not allowed on this route (the Allow header lists those that are)"}.get(error.status_code)
        if message is None:
            message = error.detail if isinstance(error.detail, str) else code_for(error.status_code)
            message = _without_input(message, _request_values(request))
        return JSONResponse(error_body(error.status_code, message), error.status_code,
                            headers=getattr(error, "headers", None))

    async def invalid(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        details = validation_details(list(error.errors()))
        summary = "; ".join(f"{d['location']}: {d['message']}" for d in details[:3])
        more = len(error.errors()) - 3
        message = f"the request is invalid: {summary}" + (f" (and {more} more)" if more > 0 else "")
        return JSONResponse(error_body(422, message, details=details), 422)

    async def store_error(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse(error_body(503, f"the graph store is unavailable: {error}"[:500], "store_unavailable"), 503)

    async def state_unavailable(request: Request, error: Exception) -> JSONResponse:
        # The driver's text (hosts, ports, roles) stays in the server log; the client learns when to retry.
        log.warning("service-state database unavailable during %s %s: %s", request.method, request.url.path,
                    error.__cause__ or error)
        return JSONResponse(error_body(503, STATE_UNAVAILABLE, "unavailable", {"retry_after_seconds": RETRY_AFTER_SECONDS}),
                            503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    from graph.stores.protocol import StoreError
    from state.db import Unavailable

    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(Unavailable, state_unavailable)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
