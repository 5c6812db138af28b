"""``sightline state copy``: move a single machine's ``api.sqlite`` into the team's PostgreSQL (``state.copy``).

Run once, with the single-machine server stopped, before starting the team's API and worker processes on
PostgreSQL. The command prints a progress bar per table and, after the copy, each table's row counts; it
never prints the database URL (it may hold a password).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

from cli.console import EXIT_FAILURE, fail, progress, stderr
from state.settings import get_settings

app = typer.Typer(help="The service state (keys, audit, jobs, submissions...): moving it to PostgreSQL.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


@app.command("copy")
def copy(
    to: Annotated[str | None, typer.Option("--to", help="The empty PostgreSQL database to copy into, "
                                           "postgresql://user:password@host:5432/db (default: SIGHTLINE_DATABASE_URL; "
                                           "prefer the variable: a command line is visible to other users).")] = None,
    source: Annotated[Path | None, typer.Option("--from", help="The api.sqlite to copy "
                                                "(default: SIGHTLINE_HOME/api.sqlite).")] = None,
) -> None:
    """Copy SIGHTLINE_HOME/api.sqlite into an EMPTY PostgreSQL database: every table and row, in one transaction."""
    from state.copy import CopyError, copy_state, source_database
    from state.db import ApiDatabase

    settings = get_settings()
    url = to or settings.database_url
    if not url:
        raise fail("say where to copy to: --to postgresql://... or SIGHTLINE_DATABASE_URL")
    if url.startswith("sqlite"):
        raise fail("the target must be a PostgreSQL database (postgresql://...), not SQLite")
    try:
        origin = source_database(source or settings.api_db_path)
    except CopyError as error:
        raise fail(str(error)) from None
    target = ApiDatabase(settings.api_db_path, url=url)  # (a bad or unreachable URL: one line from cli.main)
    try:
        with progress() as bar:
            tasks: dict[str, TaskID] = {}

            def advance(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = bar.add_task(table, total=max(total, 1))
                bar.update(tasks[table], completed=done if total else 1)

            report = copy_state(origin, target, advance)
    except CopyError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    finally:
        origin.close()
        target.close()
    table = Table(title="copied into PostgreSQL (one transaction, checked row by row)")
    for column in ("table", "api.sqlite rows", "PostgreSQL rows", "values"):
        table.add_column(column, justify="left" if column in ("table", "values") else "right")
    for t in report.tables:
        table.add_row(t.name, f"{t.source_rows:,}", f"{t.target_rows:,}", "identical" if t.identical else "DIFFERENT")
    stderr.print(table)
    if report.nul_replaced:
        stderr.print(f"{report.nul_replaced} text value(s) held a NUL character, which PostgreSQL cannot store: "
                     "written with U+FFFD instead, as the server does on PostgreSQL")
    stderr.print(f"{report.rows:,} rows copied. Next: run every API and worker process with SIGHTLINE_DATABASE_URL "
                 "set to this database, and with the same SIGHTLINE_API_AUDIT_KEY, SIGHTLINE_PARTNER_SECRETS_KEY, "
                 "SIGHTLINE_PSEUDONYM_KEY and SIGHTLINE_EXPORT_KEY as this machine (`sightline secrets status` "
                 "says where they come from); keep api.sqlite as a backup.", highlight=False)
    print(report.rows)
