"""The API's routes, one module per user group: ``common`` (everyone), ``ngo``, ``analyst``, ``admin``."""

from __future__ import annotations

from typing import Any

from api.schemas.common import ErrorBody

PREFIX = "/v1"  # every route of the API lives under it

# Documented on every route: the one error shape (the status codes each route can really give).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No API key, or an unknown or revoked one."},
    403: {"model": ErrorBody, "description": "The key's role may not use this route."},
    422: {"model": ErrorBody, "description": "The request is invalid; the message names the field."},
    429: {"model": ErrorBody, "description": "Too many failed authentications from this address or with this key id "
                                             "(or, on screening routes, more queries than the key's hourly allowance); "
                                             "see Retry-After."},
}
