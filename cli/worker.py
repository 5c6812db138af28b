"""``sightline worker``: work off queued ingestion and report jobs in a process of its own.

``sightline serve`` starts one by default; more can run beside it (any number of workers may share one
``SIGHTLINE_HOME`` and store), or instead of it with ``SIGHTLINE_API_WORKER=false`` on the server.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Annotated, Any

import typer

from state.settings import Settings, get_settings

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


def run_worker(settings: Settings, *, exit_with_parent: bool = False) -> None:
    """Work off jobs until SIGTERM or SIGINT (or, with ``exit_with_parent``, until stdin closes)."""
    from graph.analysis_cache import AnalysisCache  # (here: the analysis stack loads slowly for other commands)
    from intake.jobs import JobQueue
    from intake.worker import JobWorker
    from state.secrets import ensure_all

    for secret in ensure_all(settings):  # (never the keys themselves)
        log.info("%s", secret.describe())
    niceness = lower_priority(settings.api_worker_nice)
    db = settings.api_database()
    jobs = JobQueue(db, lease_seconds=settings.api_job_lease_seconds)
    worker = JobWorker(settings, jobs, AnalysisCache(settings.home, settings.analysis_options()))
    handlers = {sig: signal.signal(sig, lambda *_: worker.request_stop()) for sig in (signal.SIGTERM, signal.SIGINT)}
    if exit_with_parent:
        _exit_when_stdin_closes(worker.request_stop)
    log.info("job worker %s started (niceness %d, SIGHTLINE_HOME=%s)", worker.id, niceness, settings.home)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.5)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        db.close()
    log.info("job worker %s stopped", worker.id)
