"""The HTTP API: ``create_app(settings)`` builds the FastAPI application that ``sightline serve`` runs.

Everything lives under ``/v1``; the OpenAPI document is ``/openapi.json``, browsable at ``/docs``. The
factory wires the pieces that every route relies on: the request-context middleware (request id, body
limit, no traceback), the one error shape, the shared services, and the background job worker, which is
started with the server and stopped with it. It also enforces the one rule that keeps authorisation
reviewable: every route under ``/v1`` must declare its roles through ``api.auth.requires``; the roles are
published in the OpenAPI document as ``x-roles``, and a route without them stops the server from starting.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from api import errors
from api.auth import FailureLimiter, declared_roles
from api.middleware import RequestContext
from api.routers import PREFIX, admin, aggregates, analyst, analyst_work, common, exports, insight, ngo, partner
from api.services import Services
from intake.worker import Worker
from state.settings import Settings, get_settings
from web.install import install as install_workspace

log = logging.getLogger("sightline.api")
DOCS_ASSETS = "/docs/assets"

DESCRIPTION = """
Sightline's HTTP API for NGO caseworkers (submit narratives, see and correct what was extracted from
their own), intelligence analysts (query the graph, review possible duplicates, keep a watchlist,
produce Key Judgement reports), financial-sector partners (screen identifiers, people and companies
against flagged entities) and administrators (keys, audit log).

Send an API key as `Authorization: Bearer KEY` (`sightline keys create --role ROLE --org ORG`). Each
operation lists the roles allowed to call it under `x-roles`. Errors always have the shape
`{"error": {"code", "message", "details"}}`; every response carries an `X-Request-ID` header.
"""


def _roles_of(dependant: Dependant) -> frozenset[str] | None:
    for sub in dependant.dependencies:
        roles = declared_roles(sub.call) if sub.call is not None else None
        if roles is not None:
            return roles
        found = _roles_of(sub)
        if found is not None:
            return found
    return None


def publish_roles(router: APIRouter) -> None:
    """Copy each route's declared roles into its OpenAPI operation; refuse a route that declares none.

    Done on the router before it is included under ``/v1``, so every route there passes through it."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise RuntimeError(f"{route!r}: only API routes may be mounted under {PREFIX}")
        roles = _roles_of(route.dependant)
        if roles is None:
            raise RuntimeError(f"route {sorted(route.methods)} {route.path} declares no roles; "
                               "add requires(...) (api.auth) to it")
        route.openapi_extra = {**(route.openapi_extra or {}), "x-roles": sorted(roles)}


def create_app(settings: Settings | None = None, *, start_worker: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    services = Services.open(settings)
    run_worker = settings.api_worker if start_worker is None else start_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services.screening.start()
        worker = Worker(settings, services.jobs, services.analysis) if run_worker else None
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            services.close()

    # /docs (Swagger UI) and /redoc from the scripts and styles fastapi-offline ships, served by this server
    # under /docs/assets: no CDN, so they work on a closed network; no validator badge (it calls a third party).
    app = FastAPIOffline(title="Sightline API", version=common.VERSION, description=DESCRIPTION, lifespan=lifespan,
                         docs_url="/docs", redoc_url="/redoc", openapi_url="/openapi.json", static_url=DOCS_ASSETS,
                         swagger_ui_parameters={"validatorUrl": None})
    app.state.services = services
    app.state.auth_limiter = FailureLimiter(settings.api_auth_failures_per_minute,  # counted across processes
                                            ledger=services.auth_failures)
    errors.install(app)
    for module in (common, ngo, analyst, analyst_work, insight, exports, aggregates, partner, admin):
        publish_roles(module.router)
        app.include_router(module.router, prefix=PREFIX)
    install_workspace(app)  # the browser workspace at /, a client of the routes above
    app.add_middleware(RequestContext, max_body=settings.api_max_body_bytes)
    return app


def create_process_app() -> FastAPI:
    """The app of one of several API processes (``SIGHTLINE_API_PROCESSES`` > 1), which uvicorn builds in each
    process from the import string ``api.app:create_process_app``. The settings come from the environment the
    server passed on; the job worker is the server's, one for all processes (``cli.api.serve``); and the
    process stops when the server that started it is gone, so a server killed outright leaves none behind."""
    _stop_with_parent(os.getppid())
    return create_app(get_settings(), start_worker=False)


def _stop_with_parent(parent: int, every: float = 1.0) -> None:
    """SIGTERM this process (uvicorn shuts down gracefully) once its parent has exited and it was re-parented."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="sightline-parent-watch", daemon=True).start()
