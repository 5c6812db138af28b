"""``sightline``: the one command-line tool. A thin shell: parse arguments, call the library, report.

Errors a person can fix are printed as one clear line on stderr with a non-zero exit, never a traceback.
Progress bars go to stderr so that stdout can carry JSON lines.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Annotated

import typer

from cli import aggregate as cli_aggregate
from cli import api as cli_api
from cli import graph as cli_graph
from cli import mpc as cli_mpc
from cli import neo4j as cli_neo4j
from cli import screen as cli_screen
from cli import screen_batch as cli_screen_batch
from cli import secrets as cli_secrets
from cli import share as cli_share
from cli import state as cli_state
from cli import synthesise as cli_synthesise
from cli import worker as cli_worker
from cli.console import EXIT_FAILURE, fail, progress, stderr
from intake.readers import InputError
from intake.sources import open_source
from state.settings import get_settings

app = typer.Typer(help="Sightline: intelligence graph analytics against human trafficking.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)


@contextmanager
def output(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        yield handle


@app.command()
def extract(
    input: Annotated[Path, typer.Argument(help="JSON lines ({\"id\", \"text\"}), a .txt/.docx/.pdf file, or a folder.")],
    output_path: Annotated[Path | None, typer.Option("--output", "-o", help="Write JSON lines here (default stdout).")] = None,
    n_process: Annotated[int | None, typer.Option(help="Worker processes for the NER pipeline.")] = None,
    region: Annotated[str | None, typer.Option(help="ISO country for phone numbers without a country code.")] = None,
) -> None:
    """Extract entities, identifiers, relations, routes and indicators; one JSON line per narrative."""
    from nlp import Extractor, ModelNotFound

    settings = get_settings()
    config = settings.extractor_config()
    if region:
        config = replace(config, default_region=region.upper())
    try:
        source = open_source(input)
        total = source.count()
    except InputError as error:
        raise fail(str(error)) from None
    extractor = Extractor(config)
    written = 0
    try:
        with output(output_path) as out, progress() as bar:
            task = bar.add_task(f"extracting {input.name}", total=total)
            narratives = source.narratives(config.max_chars)
            for extraction in extractor.extract_many(narratives, n_process=n_process or settings.n_process):
                out.write(extraction.to_json() + "\n")
                out.flush()
                written += 1
                bar.advance(task)
    except InputError as error:
        raise fail(f"{error} ({written} narrative(s) before it were written)") from None
    except ModelNotFound as error:
        raise fail(str(error), EXIT_FAILURE) from None
    stderr.print(f"extracted {written} narrative(s)" + (f" to {output_path}" if output_path else ""))


@app.command()
def generate(
    narratives: Annotated[int, typer.Option("--narratives", "-n", min=1, help="How many narratives.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same narratives.")] = 0,
    output_path: Annotated[Path | None, typer.Option("--output", "-o", help="Write JSON lines here (default stdout).")] = None,
) -> None:
    """Write realistic fictional narratives as JSON lines, for scale tests and benchmarks."""
    from evaluation.narratives import generate_narratives

    with output(output_path) as out, progress() as bar:
        task = bar.add_task("generating", total=narratives)
        for item in generate_narratives(narratives, seed):
            record = {"id": item.id, "text": item.text, **{k: v for k, v in item.metadata.items()
                                                           if k in {"organisation", "date", "language", "consent",
                                                                    "source_grading", "region"}}}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            bar.advance(task)
    if output_path:
        stderr.print(f"wrote {narratives} narrative(s) to {output_path}")


for command in (cli_graph.ingest, cli_graph.stats, cli_graph.resolve, cli_graph.analyse, cli_graph.report,
                cli_share.export):
    app.command()(command)
app.command()(cli_synthesise.synthesise)
app.command("import")(cli_graph.import_)
app.command("delete-narrative")(cli_graph.delete_narrative)
app.command()(cli_aggregate.aggregate)

app.add_typer(cli_neo4j.app, name="neo4j")
app.add_typer(cli_mpc.app, name="mpc")
app.command()(cli_api.serve)
app.command()(cli_worker.worker)
app.add_typer(cli_api.keys_app, name="keys")
app.command()(cli_screen_batch.screen)
app.add_typer(cli_screen.watchlist_app, name="watchlist")
app.add_typer(cli_screen.partners_app, name="partners")
app.add_typer(cli_secrets.app, name="secrets")
app.add_typer(cli_state.app, name="state")


def main() -> None:
    from state.secrets import SecretsError

    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)
    except SecretsError as error:  # a key that cannot be read or created: one clear line, no traceback
        stderr.print(f"error: {error}")
        sys.exit(EXIT_FAILURE)
    except Exception as error:
        from state.db import (  # here: most commands never load SQLAlchemy
            DatabaseUrlError,
            Unavailable,
        )

        if isinstance(error, DatabaseUrlError):  # its message never holds the URL (it may hold a password)
            stderr.print(f"error: {error}")
        elif isinstance(error, Unavailable):  # the driver's text names hosts and roles: not repeated
            stderr.print("error: the service-state database cannot be reached (SIGHTLINE_DATABASE_URL): is it "
                         "running, and do the user, password and database exist?")
        else:
            raise
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()
