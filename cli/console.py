"""What every command shares: the stderr console, one-line errors with exit codes, progress bars."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

stderr = Console(stderr=True)

EXIT_INPUT = 2
EXIT_FAILURE = 1


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    """Print a person-readable error on stderr and return the exit to raise: never a traceback."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=stderr)
