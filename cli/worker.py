"""``sightline worker``: work off queued ingestion and report jobs in a process of its own.

``sightline serve`` starts one by default; more can run beside it (any number of workers may share one
``SIGHTLINE_HOME`` and store), or instead of it with ``SIGHTLINE_API_WORKER=false`` on the server.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from state.settings import get_settings


def worker(
    exit_with_parent: Annotated[bool, typer.Option(hidden=True,
                                                   help="Stop when stdin closes (the server started it).")] = False,
) -> None:
    """Work off queued jobs (ingestion, reports) at lower CPU priority until SIGTERM or Ctrl+C."""
    from intake.worker_process import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_worker(get_settings(), exit_with_parent=exit_with_parent)
