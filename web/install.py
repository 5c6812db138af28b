"""Adds the workspace to the API's FastAPI application: pages, sign-in, static files and error pages."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from api.auth import session_key
from web import pages, signin
from web.render import HERE, error_page
from web.security import WorkspaceHeaders


def _html_error(request: Request, status: int) -> Response:
    found = session_key(request) if "sightline_session" in request.cookies else None
    return error_page(request, status, *(found or (None, "")))


def install(app: FastAPI) -> None:
    app.include_router(signin.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.html_error = _html_error
    app.add_middleware(WorkspaceHeaders)
