"""``sightline neo4j start | stop | status``: the local Neo4j 5.26 (embedded launcher, Bolt on 127.0.0.1).

A thin shell over :mod:`graph.neo4j_local.server`. ``start`` prints only the Bolt URI on stdout (so that
``URI=$(sightline neo4j start)`` works); everything else goes to stderr. Errors are one line, exit 1.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from pydantic import ValidationError

from cli.console import EXIT_FAILURE, fail, stderr
from state.settings import Settings, get_settings

app = typer.Typer(help="Run a local Neo4j 5.26 with APOC (Bolt on 127.0.0.1, data under SIGHTLINE_HOME/neo4j).",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def _settings(**overrides: object) -> Settings:
    """The settings with command-line overrides, validated by the same rules as the environment variables."""
    settings = get_settings()
    changes = {key: value for key, value in overrides.items() if value is not None}
    if not changes:
        return settings
    try:
        return Settings.model_validate({**settings.model_dump(), **changes})
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, item['loc']))}: {item['msg']}" for item in error.errors())
        raise fail(problems) from None


@app.command()
def start(
    port: Annotated[int | None, typer.Option(help="Bolt port on 127.0.0.1; 0 picks a free one "
                                                   "(default: SIGHTLINE_NEO4J_PORT)")] = None,
    heap: Annotated[str | None, typer.Option(help="Java heap, e.g. 512m (default: SIGHTLINE_NEO4J_HEAP)")] = None,
    page_cache: Annotated[str | None, typer.Option(help="Page cache, e.g. 64m "
                                                        "(default: SIGHTLINE_NEO4J_PAGE_CACHE)")] = None,
) -> None:
    """Start the local Neo4j in the background; print its Bolt URI once Bolt answers."""
    from graph.neo4j_local.server import Neo4jServerError
    from graph.neo4j_local.server import start as start_server

    settings = _settings(neo4j_port=port, neo4j_heap=heap, neo4j_page_cache=page_cache)
    try:
        with stderr.status("starting the local Neo4j") as spinner:
            info = start_server(settings.local_neo4j(), notify=lambda stage: spinner.update(stage))
    except Neo4jServerError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    if info.already_running:
        stderr.print(f"Neo4j is already running (pid {info.pid}, since {info.started_at})")
    else:
        stderr.print(f"Neo4j started in {info.startup_seconds:.1f}s (pid {info.pid}); "
                     "stop it with `sightline neo4j stop`")
    typer.echo(info.uri)


@app.command()
def stop() -> None:
    """Stop the local Neo4j cleanly (SIGTERM; killed only if it does not stop within a minute)."""
    from graph.neo4j_local.server import stop as stop_server

    result = stop_server(get_settings().home)
    if not result.was_running:
        stderr.print("Neo4j was not running")
        return
    if result.killed:
        raise fail(f"Neo4j (pid {result.pid}) did not stop within the timeout and was killed", EXIT_FAILURE)
    if not result.clean:
        raise fail(f"Neo4j (pid {result.pid}) stopped without confirming a clean shutdown; see its launcher.log",
                   EXIT_FAILURE)
    stderr.print(f"Neo4j stopped (pid {result.pid})")


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as one JSON object.")] = False,
) -> None:
    """Say whether the local Neo4j is running, with its pid and Bolt URI."""
    from graph.neo4j_local.server import status as server_status

    state = server_status(get_settings().home)
    if as_json:
        typer.echo(json.dumps(state.to_dict()))
    elif state.running:
        typer.echo(f"running  pid {state.pid}  {state.uri}  since {state.started_at}")
    else:
        typer.echo("stopped")
