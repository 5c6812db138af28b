"""Run a real Neo4j 5.26 on this machine without Docker: the embedded launcher in ``graph/neo4j_local``.

Why this exists: production graphs live in Neo4j, and the Neo4j adapter must be tested against a real one,
but the project's machines have Java 17 and Maven and no Docker engine. Maven resolves Neo4j Community
(which includes Bolt) and APOC core once (:mod:`graph.neo4j_local.toolchain`); the launcher (one Java
source file) runs them with Bolt on 127.0.0.1 and prints ``BOLT bolt://127.0.0.1:PORT`` when ready.

Two ways to run it:

- :func:`start` / :func:`stop` / :func:`status`: a detached server that outlives the command that started
  it (``sightline neo4j start``). Its pid and URI are recorded in ``SIGHTLINE_HOME/neo4j/server.json``
  (:mod:`graph.neo4j_local.record`) so that :func:`local_uri` lets every other command find it.
- :func:`running_child`: a child that lives exactly as long as a ``with`` block (tests). It holds a pipe
  to the launcher's stdin; closing the pipe, or the parent dying, shuts Neo4j down cleanly.

What to start comes as a :class:`~graph.neo4j_local.config.LocalNeo4j`; where its files go is in
:mod:`graph.neo4j_local.layout`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from graph.neo4j_local.config import LocalNeo4j
from graph.neo4j_local.errors import Neo4jServerError, last_lines
from graph.neo4j_local.layout import log_path, neo4j_dir
from graph.neo4j_local.record import ServerInfo, forget_record, locked, pid_alive, read_record, wait_gone, write_record
from graph.neo4j_local.toolchain import Notify, ensure_classpath, launcher_command

__all__ = ["START_TIMEOUT", "STOP_TIMEOUT", "LocalNeo4j", "Neo4jServerError", "Notify", "ServerInfo",
           "ServerStatus", "StopResult", "local_uri", "running_child", "start", "status", "stop"]

START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0

_BOLT_LINE = re.compile(r"^BOLT (bolt://\S+)\s*$", re.MULTILINE)
_FAILED_LINE = re.compile(r"^FAILED (.+)$", re.MULTILINE)
_STOPPED_LINE = re.compile(r"^STOPPED\s*$", re.MULTILINE)


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    home: str
    pid: int | None = None
    uri: str | None = None
    started_at: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class StopResult:
    was_running: bool
    pid: int | None = None
    clean: bool = True
    killed: bool = False


# ---------------------------------------------------------------- processes


def _check_port_free(port: int) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise Neo4jServerError(f"port {port} on 127.0.0.1 is already in use; set SIGHTLINE_NEO4J_PORT to "
                                   "another port, or 0 to pick a free one") from None


def _spawn(config: LocalNeo4j, detach: bool, notify: Notify | None) -> subprocess.Popen[bytes]:
    """Start the launcher for ``config`` (whose ``home`` is already resolved), logging to ``launcher.log``."""
    _check_port_free(config.port)
    classpath = ensure_classpath(config.home, notify).read_text(encoding="utf-8").strip()
    command = launcher_command(classpath, config, detach)
    if notify:
        notify("starting Neo4j")
    # The log is rewritten on each start so that the BOLT line read below belongs to this process.
    with log_path(config.home).open("wb") as log:
        return subprocess.Popen(command, cwd=neo4j_dir(config.home), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL if detach else subprocess.PIPE,
                                start_new_session=detach)


def _read_log(home: Path) -> str:
    try:
        return log_path(home).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _exited_error(home: Path, code: int | None) -> Neo4jServerError:
    text = _read_log(home)
    failed = _FAILED_LINE.search(text)
    reason = failed.group(1) if failed else last_lines(text, 8) or "(no output)"
    return Neo4jServerError(f"the local Neo4j exited before Bolt was ready (exit {code}): {reason} "
                            f"(log: {log_path(home)})")


def _wait_for_bolt(home: Path, process: subprocess.Popen[bytes], timeout: float, notify: Notify | None) -> str:
    """Wait for the launcher's ``BOLT`` line, then for the driver to complete a Bolt handshake."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    deadline = time.monotonic() + timeout
    uri: str | None = None
    while uri is None:
        found = _BOLT_LINE.search(_read_log(home))
        if found:
            uri = found.group(1)
            break
        if process.poll() is not None:
            raise _exited_error(home, process.returncode)
        if time.monotonic() > deadline:
            raise Neo4jServerError(f"the local Neo4j did not open Bolt within {timeout:.0f}s (log: {log_path(home)})")
        time.sleep(0.1)
    if notify:
        notify(f"waiting for Bolt on {uri}")
    while True:
        try:
            with GraphDatabase.driver(uri, auth=None) as driver:
                driver.verify_connectivity()
            return uri
        except (ServiceUnavailable, Neo4jError, OSError) as error:
            if process.poll() is not None:
                raise _exited_error(home, process.returncode) from None
            if time.monotonic() > deadline:
                raise Neo4jServerError(f"Neo4j printed {uri} but Bolt did not answer within {timeout:.0f}s: {error}") from None
            time.sleep(0.2)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop a launcher that failed to start; it has no database worth a clean shutdown yet."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------- the recorded (detached) server


def start(config: LocalNeo4j, notify: Notify | None = None, timeout: float = START_TIMEOUT) -> ServerInfo:
    """Start the local Neo4j detached and return once Bolt answers; if it is already running, return that one."""
    config = replace(config, home=Path(config.home).resolve())
    home = config.home
    with locked(home):
        existing = read_record(home)
        if existing and pid_alive(existing.pid):
            return ServerInfo(existing.pid, existing.uri, existing.started_at, already_running=True)
        forget_record(home)
        began = time.monotonic()
        process = _spawn(config, detach=True, notify=notify)
        try:
            uri = _wait_for_bolt(home, process, timeout, notify)
        except BaseException:
            _end(process)
            raise
        info = ServerInfo(process.pid, uri, _now(), startup_seconds=round(time.monotonic() - began, 2))
        write_record(home, info)
        # The launcher is meant to outlive this Popen object; tell it not to warn that the child still runs.
        process.returncode = 0
        return info


def stop(home: Path, timeout: float = STOP_TIMEOUT) -> StopResult:
    """SIGTERM the launcher recorded under ``home`` (its shutdown hook closes the store), SIGKILL it after ``timeout``."""
    home = Path(home).resolve()
    with locked(home):
        record = read_record(home)
        if record is None or not pid_alive(record.pid):
            forget_record(home)
            return StopResult(was_running=False)
        try:
            os.kill(record.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass  # it ended on its own between the check and the signal
        killed = not wait_gone(record.pid, timeout)
        if killed:
            try:
                os.kill(record.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            wait_gone(record.pid, 10.0)
        forget_record(home)
        clean = not killed and bool(_STOPPED_LINE.search(_read_log(home)))
        return StopResult(was_running=True, pid=record.pid, clean=clean, killed=killed)


def status(home: Path) -> ServerStatus:
    """Whether the local Neo4j recorded under ``home`` is running, with its pid and Bolt URI."""
    home = Path(home).resolve()
    record = read_record(home)
    if record is None or not pid_alive(record.pid):
        return ServerStatus(running=False, home=str(neo4j_dir(home)))
    return ServerStatus(running=True, home=str(neo4j_dir(home)), pid=record.pid, uri=record.uri,
                        started_at=record.started_at)


def local_uri(home: Path) -> str | None:
    """The Bolt URI of the local Neo4j started from ``home``, or None if it is not running."""
    record = read_record(Path(home).resolve())
    return record.uri if record and pid_alive(record.pid) else None


# ---------------------------------------------------------------- a child for tests


@contextmanager
def running_child(home: Path, port: int = 0, heap: str = "512m", page_cache: str = "64m",
                  timeout: float = START_TIMEOUT) -> Iterator[ServerInfo]:
    """Run the launcher as a child for the duration of the block; closing its stdin stops it cleanly.

    Nothing is recorded in ``server.json``: the child belongs to this process, and it stops by itself if
    this process dies (its stdin reaches end-of-file).
    """
    home = Path(home).resolve()
    neo4j_dir(home).mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    process = _spawn(LocalNeo4j(home, port, heap, page_cache), detach=False, notify=None)
    try:
        uri = _wait_for_bolt(home, process, timeout, None)
    except BaseException:
        _close(process.stdin)
        _end(process)
        raise
    try:
        yield ServerInfo(process.pid, uri, _now(), startup_seconds=round(time.monotonic() - began, 2))
    finally:
        _close(process.stdin)
        try:
            code = process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
    # Reached only when the block itself succeeded: an unclean stop must not go unnoticed.
    if code != 0 or not _STOPPED_LINE.search(_read_log(home)):
        raise Neo4jServerError(f"the local Neo4j did not shut down cleanly (exit {code}; log: {log_path(home)})")


def _close(stream: IO[bytes] | None) -> None:
    if stream is not None:
        try:
            stream.close()
        except OSError:
            pass
