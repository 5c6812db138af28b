"""Sign-in (an API key exchanged for a session cookie) and sign-out.

The sign-in form is protected against login CSRF by a double-submit token: a random value in a
``SameSite=Strict`` cookie scoped to /sign-in, repeated in the form. Failed keys count against the same
per-address and per-key-id limit as the API's bearer keys, and every sign-in, failed or not, is audited.
The session cookie is HttpOnly and SameSite=Strict, and Secure whenever the page was served over TLS.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.auth import SESSION_COOKIE, failure_subjects, limiter, request_id, services, session_key
from state.keys import ApiKey
from web.catalogue import HOME
from web.render import context, error_page, page_response

router = APIRouter(include_in_schema=False)
SIGNIN_COOKIE = "sightline_signin"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (never ``//host`` or a scheme) may be the page to go back to."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or len(target) > 500:
        return None
    return target


def _audit(request: Request, route: str, key: ApiKey | None, outcome: str) -> None:
    services(request).audit.record(request_id=request_id(request), key_id=key.id if key else None,
                                   organisation=key.organisation if key else None, role=key.role if key else None,
                                   method="POST", route=route, params={}, outcome=outcome)


def _form(request: Request, status: int = 200, message: str | None = None, next_page: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    ctx = context(request, None, title="Sign in", signin_token=token, message=message, next=next_page or "")
    response = page_response(request, "signin.html", ctx, status)
    response.set_cookie(SIGNIN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                        path="/sign-in", max_age=3600)
    return response


@router.get("/")
def root(request: Request) -> Response:
    found = session_key(request)
    return RedirectResponse(HOME.get(found[0].role, "/sign-in") if found else "/sign-in", status_code=303)


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the query's name
    found = session_key(request)
    if found is not None:
        return RedirectResponse(safe_next(next) or HOME[found[0].role], status_code=303)
    return _form(request, next_page=safe_next(next))


@router.post("/sign-in")
def sign_in(request: Request, key: Annotated[str, Form(max_length=300)] = "",
            csrf_token: Annotated[str, Form(max_length=100)] = "",
            next: Annotated[str, Form(max_length=500)] = "") -> Response:  # noqa: A002
    expected = request.cookies.get(SIGNIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return _form(request, 403, "The sign-in form had expired. Please try again.", safe_next(next))
    presented = key.strip()
    subjects = failure_subjects(request, presented)
    wait, _ = limiter(request).admit(subjects)
    if wait is not None:
        _audit(request, "/sign-in", None, "rate_limited")
        response = _form(request, 429, f"Too many failed sign-ins. Try again in {int(wait) + 1} seconds.")
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    found = limiter(request).attempt(
        subjects, lambda: services(request).keys.authenticate(presented) if presented else None)
    if found is None:
        _audit(request, "/sign-in", None, "unauthorized")
        return _form(request, 401, "That key is not valid (unknown or revoked). Check it and try again.",
                     safe_next(next))
    token, _ = services(request).sessions.create(found.id)
    _audit(request, "/sign-in", found, "ok")
    response = RedirectResponse(safe_next(next) or HOME[found.role], status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path="/")
    response.delete_cookie(SIGNIN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
def sign_out(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    found = session_key(request)
    if found is not None:
        if not hmac.compare_digest(found[1].encode(), csrf_token.encode()):
            return error_page(request, 403, found[0], found[1])
        services(request).sessions.end(request.cookies.get(SESSION_COOKIE, ""))
        _audit(request, "/sign-out", found[0], "ok")
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
