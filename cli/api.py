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
    """Run the workspace (at /) and the HTTP API (under /v1, OpenAPI at /docs) with the background job worker."""
    import uvicorn

    from api.app import create_app
    from graph.stores.protocol import StoreError
    from state.secrets import SecretsError, ensure_all

    try:
        for secret in ensure_all(get_settings()):  # before the worker starts: one process creates the files
            stderr.print(secret.describe(), soft_wrap=True, markup=False, highlight=False)
        app = create_app(get_settings())
    except (StoreError, SecretsError) as error:
        raise fail(str(error), EXIT_FAILURE) from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    stderr.print(f"Sightline workspace on http://{shown}:{port}/ (sign in with an API key from `sightline keys "
                 f"create`); API under /v1, docs at /docs; SIGHTLINE_HOME={get_settings().home}")
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
