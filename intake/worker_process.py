"""The job worker as a process of its own: ``sightline worker``, and the child of that name ``serve`` keeps.

Why a process: spaCy extraction is Python code that holds the GIL for most of a batch, so as a thread in
the server it took the interpreter from the request threads and query latency rose with every ingestion
job. In its own process, at a higher niceness (``SIGHTLINE_API_WORKER_NICE``), the operating system gives
the queries the CPU first and the worker the rest; both share the durable queue in ``api.sqlite`` and the
graph store, as any number of workers may (``intake.jobs``: atomic claims, leases).

``cli.worker`` is the body of ``sightline worker``: it stops on SIGTERM or SIGINT after the batch in hand
and gives its job back, so the next worker carries on at once. ``WorkerProcess`` is what ``sightline
serve`` uses: it starts ``sightline worker --exit-with-parent`` with the server's own settings, starts it
again if it dies, and stops it with the server. The child also stops when the server's end of its stdin
closes, so a server killed outright leaves no worker behind.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from state.settings import Settings

log = logging.getLogger("sightline.api.worker")
RESTART_DELAY_SECONDS = (1.0, 30.0)  # first and longest wait before starting a dead worker again
STEADY_SECONDS = 60.0
STDIN = 0  # a worker that ran this long before dying is restarted after the first delay again


class WorkerProcess:
    """A ``sightline worker`` child of the server, restarted when it dies, stopped with the server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.command = [sys.executable, "-m", "cli.main", "worker", "--exit-with-parent"]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._supervise, name="sightline-worker-supervisor", daemon=True)

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process is not None and self._process.poll() is None else None

    def start(self) -> None:
        self._thread.start()

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            self._process = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                             env=self.settings.child_environment(os.environ))
            return self._process

    def _supervise(self) -> None:
        delay = RESTART_DELAY_SECONDS[0]
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                process = self._spawn()
            except OSError as error:
                log.error("cannot start the job worker (%s); trying again in %.0f s", error, delay)
                process = None
            if process is not None:
                code = process.wait()
                if self._stopping.is_set():
                    return
                if time.monotonic() - started > STEADY_SECONDS:
                    delay = RESTART_DELAY_SECONDS[0]
                log.warning("the job worker process exited with code %s; starting another in %.0f s", code, delay)
            self._stopping.wait(delay)
            delay = min(delay * 2, RESTART_DELAY_SECONDS[1])

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the worker (it finishes its batch and gives its job back), kill it after ``timeout``."""
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("the job worker did not stop within %.0f s; killing it (its job resumes after its lease)",
                            timeout)
                process.kill()
                process.wait()
            if process.returncode not in (0, -signal.SIGTERM):  # (SIGTERM before it could install its handler)
                log.warning("the job worker stopped with exit code %s", process.returncode)
        if process is not None and process.stdin is not None:
            process.stdin.close()
        if self._thread.is_alive():
            self._thread.join(5)
