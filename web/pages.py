"""One GET route per page of the catalogue: signed in and of an allowed role, or redirected / refused.

A visitor without a live session is sent to sign in (and brought back afterwards); a signed-in role the
page is not for gets 403, audited as a denied request, exactly as the API would answer that role.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.auth import request_id, services, session_key
from web.catalogue import PAGES, Page
from web.render import context, error_page, page_response

router = APIRouter(include_in_schema=False)


def _handler(page: Page) -> Callable[[Request], Response]:
    def show(request: Request) -> Response:
        found = session_key(request)
        if found is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/sign-in?next=" + quote(target, safe=""), status_code=303)
        key, csrf = found
        if key.role not in page.roles:
            services(request).audit.record(request_id=request_id(request), key_id=key.id,
                                           organisation=key.organisation, role=key.role, method="GET",
                                           route=page.path.replace(":path", ""), params={}, outcome="denied")
            return error_page(request, 403, key, csrf)
        return page_response(request, page.template, context(request, key, csrf, page,
                                                             params=dict(request.path_params)))

    show.__name__ = f"page_{page.name}"
    return show


for _page in PAGES:
    router.add_api_route(_page.path, _handler(_page), methods=["GET"], include_in_schema=False)
