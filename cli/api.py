"""``sightline serve`` (the workspace and the HTTP API under uvicorn) and ``sightline keys`` (create, list, revoke API keys).

Keys are managed from the command line on the server's own machine, because the first administrator key
cannot come from the API. ``keys create`` prints the new key alone on the last line of its output so a
script can take it with ``tail -n 1``; it is shown once and only its hash is kept.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from cli.console import EXIT_FAILURE, fail, stderr
from state.settings import get_settings

HEALTHCHECK_SECONDS = 60  # uvicorn's health check of each API process (SIGHTLINE_API_PROCESSES > 1)
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False)


def _keys():  # noqa: ANN202 - returns state.keys.KeyStore
    from state.keys import KeyStore

    return KeyStore(get_settings().api_database())


@keys_app.command("create")
def create(
    role: Annotated[str, typer.Option(help="ngo, analyst, partner or admin.")],
    org: Annotated[str, typer.Option(help="The organisation the key belongs to.")],
) -> None:
    """Create a key; its secret is printed once, alone on the last line."""
    from state.keys import KeyRequestError

    try:
        key, secret = _keys().create(role, org)
    except KeyRequestError as error:
        raise fail(str(error)) from None
    typer.echo(f"created {key.id}: role {key.role}, organisation {key.organisation!r}. "
               "Keep the key below; it is not stored and cannot be shown again.")
    typer.echo(secret)


@keys_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every key with its role, organisation and state (never the secret)."""
    keys = _keys().list()
    if as_json:
        typer.echo(json.dumps([{"id": k.id, "role": k.role, "organisation": k.organisation,
                                "created_at": k.created_at, "revoked_at": k.revoked_at} for k in keys], indent=2))
        return
    table = Table("id", "role", "organisation", "created", "revoked", title=f"{len(keys)} key(s)")
    for k in keys:
        table.add_row(k.id, k.role, k.organisation, k.created_at[:19], (k.revoked_at or "")[:19])
    stderr.print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from `sightline keys list`).")]) -> None:
    """Revoke a key: it stops working at once; its audit entries keep naming it."""
    from state.keys import KeyRequestError

    try:
        key = _keys().revoke(key_id)
    except KeyRequestError as error:
        raise fail(str(error)) from None
    typer.echo(f"revoked {key.id} ({key.role}, {key.organisation!r})")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the workspace (at /) and the HTTP API (under /v1, OpenAPI at /docs) with the background job worker.

    ``SIGHTLINE_API_PROCESSES`` > 1 runs that many API processes on the one port (uvicorn's workers); the
    job worker stays one for the whole server, started here rather than in each process."""
    import uvicorn

    from api.app import create_app
    from graph.stores.protocol import StoreError
    from state.db import DatabaseUrlError
    from state.secrets import SecretsError, ensure_all

    settings = get_settings()
    processes = settings.api_processes
    try:
        for secret in ensure_all(settings):  # before any process starts: one process creates the files
            stderr.print(secret.describe(), soft_wrap=True, markup=False, highlight=False)
        app = create_app(settings) if processes == 1 else None
        if app is None:
            settings.api_database().close()  # migrate once, here, before the processes open it together
    except (StoreError, SecretsError, DatabaseUrlError) as error:
        raise fail(str(error), EXIT_FAILURE) from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    stderr.print(f"Sightline workspace on http://{shown}:{port}/ (sign in with an API key from `sightline keys "
                 f"create`); API under /v1, docs at /docs; SIGHTLINE_HOME={settings.home}"
                 + (f"; {processes} API processes" if processes > 1 else ""))
    if app is not None:
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
        return
    _serve_processes(processes, host, port, log_level)


def _serve_processes(processes: int, host: str, port: int, log_level: str) -> None:
    """uvicorn's supervisor with ``processes`` API processes, and the one job worker beside it.

    Why uvicorn's own workers rather than gunicorn: uvicorn (0.30 and later) restarts a process that dies,
    health-checks each one, and on SIGTERM or SIGINT stops them all before returning, which is all Sightline
    needs, without a second server and its configuration. The job worker (``SIGHTLINE_API_WORKER``) runs
    here, in the supervising process: in each API process it would make N workers (add more on purpose with
    ``sightline worker``). It is stopped after the API processes, when ``uvicorn.run`` returns."""
    import uvicorn

    from intake.jobs import JobQueue
    from intake.worker import Worker
    from state.generation import shared_analysis_cache

    settings = get_settings()
    db = settings.api_database()
    worker = None
    try:
        if settings.api_worker:
            worker = Worker(settings, JobQueue(db, lease_seconds=settings.api_job_lease_seconds),
                            shared_analysis_cache(settings, db))
            worker.start()
        # A process is replaced when it misses a health check: 60 s rather than uvicorn's 5, since a process
        # that is starting (imports, on a busy machine) or inside a long analysis in C answers late, not never.
        uvicorn.run("api.app:create_process_app", factory=True, workers=processes, host=host, port=port,
                    log_level=log_level, access_log=False, timeout_worker_healthcheck=HEALTHCHECK_SECONDS)
    finally:
        if worker is not None:
            worker.stop()
        db.close()
