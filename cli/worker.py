"""``sightline worker``: work off queued ingestion and report jobs in a process of its own.

``sightline serve`` starts one by default; more can run beside it (any number of workers may share one
``SIGHTLINE_HOME`` and store), or instead of it with ``SIGHTLINE_API_WORKER=false`` on the server.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import TYPE_CHECKING, Annotated, Any

import typer

from state.settings import Settings, get_settings

if TYPE_CHECKING:
    from state.db import ApiDatabase

log = logging.getLogger("sightline.api.worker")
STDIN = 0


def worker(
    exit_with_parent: Annotated[bool, typer.Option(hidden=True,
                                                   help="Stop when stdin closes (the server started it).")] = False,
) -> None:
    """Work off queued jobs (ingestion, reports) at lower CPU priority until SIGTERM or Ctrl+C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_worker(get_settings(), exit_with_parent=exit_with_parent)


def lower_priority(nice: int) -> int:
    """Add ``nice`` to this process's niceness; returns the resulting niceness."""
    return os.nice(nice)


def _exit_when_stdin_closes(stop: Any) -> None:
    """Call ``stop`` when the parent's end of our stdin closes (the parent exited or was killed).

    Reads the file descriptor itself: a thread blocked in ``sys.stdin``'s buffered reader holds its lock,
    and the interpreter aborts at exit when it cannot take it."""
    def watch() -> None:
        try:
            while os.read(STDIN, 4096):
                pass
        except OSError:
            pass
        stop()

    threading.Thread(target=watch, name="sightline-parent-watch", daemon=True).start()


def _open_database(settings: Settings, stop: threading.Event) -> ApiDatabase | None:
    """The state database, waiting for it with backoff while it is unreachable (PostgreSQL starting after the
    workers, or restarting): a worker started by an orchestrator must not die of an ordering accident."""
    from intake.worker import Backoff
    from state.db import Unavailable

    backoff = Backoff(settings.api_worker_poll_seconds)
    while not stop.is_set():
        try:
            return settings.api_database()
        except Unavailable:
            stop.wait(backoff.failed("the job worker could not open the service state"))
    return None


def run_worker(settings: Settings, *, exit_with_parent: bool = False) -> None:
    """Work off jobs until SIGTERM or SIGINT (or, with ``exit_with_parent``, until stdin closes)."""
    # (here, not at the top: the analysis stack loads slowly for other commands)
    from intake.jobs import JobQueue
    from intake.worker import JobWorker
    from state.generation import shared_analysis_cache
    from state.secrets import ensure_all

    for secret in ensure_all(settings):  # (never the keys themselves)
        log.info("%s", secret.describe())
    niceness = lower_priority(settings.api_worker_nice)
    stop = threading.Event()  # set by a signal or the parent's exit; passed on to the worker below
    handlers = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    if exit_with_parent:
        _exit_when_stdin_closes(stop.set)
    db = None
    try:
        db = _open_database(settings, stop)
        if db is None:  # stopped before the state database ever answered
            return
        jobs = JobQueue(db, lease_seconds=settings.api_job_lease_seconds)
        worker = JobWorker(settings, jobs, shared_analysis_cache(settings, db))  # (reports follow every process's changes)
        log.info("job worker %s started (niceness %d, SIGHTLINE_HOME=%s)", worker.id, niceness, settings.home)
        worker.start()
        while worker.is_alive():
            if stop.is_set():
                worker.request_stop()
            worker.join(0.5)
        log.info("job worker %s stopped", worker.id)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        if db is not None:
            db.close()
