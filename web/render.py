"""Jinja2 rendering for the workspace: one environment, autoescaping on, and the context every page gets.

Autoescaping is what keeps a narrative's ``<script>`` a piece of text; templates never mark anything
``|safe``. The context carries who is signed in (role, organisation, key id), the session's CSRF token for
forms and scripts, and the menu for that role, so a page a role may not open is never linked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from state.keys import ApiKey
from web.catalogue import HOME, Page, menu

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(env=jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                                                  autoescape=True, undefined=jinja2.StrictUndefined))

_STATUS_TEXT = {401: "Please sign in", 403: "Not for your role", 404: "Page not found",
                405: "Not allowed here", 429: "Too many attempts", 500: "Something went wrong"}
_STATUS_HELP = {401: "Your session has ended. Sign in again with your API key.",
                403: "Your role may not open this page. The menu shows the pages you can use.",
                404: "There is no page at this address. The menu shows the pages you can use.",
                405: "This address does not take that kind of request.",
                429: "Too many failed sign-ins from here. Wait a minute and try again.",
                500: "The server could not finish this request. Nothing was changed."}


def context(request: Request, key: ApiKey | None, csrf: str = "", page: Page | None = None,
            **extra: Any) -> dict[str, Any]:
    return {"request": request, "page": page, "title": page.title if page else extra.pop("title", "Sightline"),
            "role": key.role if key else None, "organisation": key.organisation if key else None,
            "key_id": key.id if key else None, "csrf": csrf, "menu": menu(key.role) if key else [],
            "home": HOME.get(key.role, "/") if key else "/sign-in", "params": {}, **extra}


def page_response(request: Request, template: str, ctx: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(request, template, ctx, status_code=status)


def error_page(request: Request, status: int, key: ApiKey | None = None, csrf: str = "") -> Response:
    """The page for an error status: what happened in one line, and the way back (menu or sign-in)."""
    ctx = context(request, key, csrf, title=_STATUS_TEXT.get(status, "Error"), status=status,
                  help=_STATUS_HELP.get(status, "The request could not be completed."))
    return page_response(request, "error.html", ctx, status)
