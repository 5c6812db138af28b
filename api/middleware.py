"""The outermost layer of every request: a request id, the body-size limit, the JSON nesting bound, and no
traceback ever leaking.

Written as plain ASGI (not ``BaseHTTPMiddleware``) so it can refuse an oversized body before the app
reads it, and so that it sees exceptions the app did not handle and answers them in the one error shape
with the request id, which the server log carries too. A JSON body is read here in full (it is bounded by
the size limit, and the app would buffer it anyway) and measured with ``nlp.json_input`` before any route
parses it: Python's parser recurses per level, so a body nested a thousand deep would otherwise end in a
``RecursionError`` inside FastAPI, answered with a vague 400. One check here covers every route.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from api.errors import error_bytes
from nlp.json_input import MAX_JSON_DEPTH, JsonTooDeep, check_depth, too_deep_message

log = logging.getLogger("sightline.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID = "X-Request-ID"
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _too_deep_body() -> bytes:
    message = too_deep_message(MAX_JSON_DEPTH)
    return error_bytes(422, f"the request is invalid: body: {message}",
                       details=[{"location": "body", "message": message, "type": "json_too_deep"}])


def _too_large_message(limit: int) -> str:
    return (f"the request body is larger than the limit of {limit:,} bytes (SIGHTLINE_API_MAX_BODY_BYTES); "
            "split a batch into several files")


class BodyTooLarge(HTTPException):
    """Raised while a chunked body is read; FastAPI passes HTTP exceptions through, so it ends as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_message(limit))
        self.limit = limit


class RequestContext:
    """Request id in ``scope['state']['request_id']`` and the response header; 413; 500 without traceback."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        offered = headers.get(REQUEST_ID.lower(), "")
        request_id = offered if _GOOD_ID.match(offered) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = False
        began = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                # Server-Timing: the server's own time to the first byte, which the browser's resource timing
                # exposes to pages and to bench/workspace.py (loopback and the browser's work excluded).
                spent = f"app;dur={(time.perf_counter() - began) * 1000:.1f}"
                message["headers"] = [*message["headers"], (REQUEST_ID.encode(), request_id.encode()),
                                      (b"server-timing", spent.encode())]
            await send(message)

        async def reply(status: int, body: bytes) -> None:
            await send_with_id({"type": "http.response.start", "status": status,
                                "headers": [(b"content-type", b"application/json"),
                                            (b"content-length", str(len(body)).encode())]})
            await send_with_id({"type": "http.response.body", "body": body})

        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await reply(400, error_bytes(400, "the Content-Length header is not a number"))
                return
            if int(length) > self.max_body:
                await reply(413, error_bytes(413, _too_large_message(self.max_body),
                                             details={"limit_bytes": self.max_body}))
                return
        else:
            receive = self._counting(receive)
        if _is_json(headers.get("content-type", "")):
            try:
                receive = await self._checked_json(receive)
            except BodyTooLarge:
                await reply(413, error_bytes(413, _too_large_message(self.max_body),
                                             details={"limit_bytes": self.max_body}))
                return
            except JsonTooDeep:
                await reply(422, _too_deep_body())
                return
        try:
            await self.app(scope, receive, send_with_id)
        except BodyTooLarge:
            if not started:
                await reply(413, error_bytes(413, _too_large_message(self.max_body),
                                             details={"limit_bytes": self.max_body}))
        except Exception:
            log.exception("unhandled error in request %s %s (request id %s)", scope.get("method"),
                          scope.get("path"), request_id)
            if not started:
                await reply(500, error_bytes(500, f"internal error; quote request id {request_id} to the "
                                                  "administrator", details={"request_id": request_id}))

    @staticmethod
    async def _checked_json(receive: Receive) -> Receive:
        """Read the whole body (``receive`` already enforces the size limit), raise ``JsonTooDeep`` if it nests
        too deeply, and give the app a ``receive`` that hands it the same body again."""
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                pending: list[Message] = [message]
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                pending = []
                break
        body = b"".join(chunks)
        check_depth(body)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if pending:  # the client left before the body was complete: that is all the app hears
                return pending[0]
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    def _counting(self, receive: Receive) -> Receive:
        """A body without Content-Length (chunked) is counted as it arrives and cut off at the limit."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        return counted
