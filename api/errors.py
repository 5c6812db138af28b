"""One error shape for every failure: ``{"error": {"code", "message", "details"}}``.

Clients (and the people reading their logs) get a stable machine code, one sentence a person can act on,
and structured details; never a traceback, never the offending input echoed back (it may be huge, or a
victim's name). FastAPI's own errors (validation, unknown route, wrong method) are rewritten into it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
          422: "invalid_request", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}
_MAX_DETAILS = 20


class ApiError(Exception):
    """Raised by routes and dependencies; rendered in the one error shape with its status."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = headers


def error_body(status: int, message: str, code: str | None = None, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code or _CODES.get(status, "error"), "message": message, "details": details}}


def error_bytes(status: int, message: str, code: str | None = None, details: Any = None) -> bytes:
    return json.dumps(error_body(status, message, code, details)).encode("utf-8")


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body" and len(parts) > 1 and parts[1] in ("json", "multipart"):
        parts = ["body", *parts[2:]]
    return ".".join(parts) or "request"


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


def install(app: FastAPI) -> None:
    async def api_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return JSONResponse(error_body(error.status, error.message, error.code, error.details), error.status,
                            headers=error.headers)

    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        message = {404: f"no route {request.url.path}; the API lives under /v1 (see /docs)",
                   405: f"{request.method} is not allowed on {request.url.path}"}.get(error.status_code)
        if message is None:
            message = error.detail if isinstance(error.detail, str) else _CODES.get(error.status_code, "error")
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

    from graph.stores.protocol import StoreError

    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
