"""The detached server's record: ``server.json``, whether its pid is still a launcher, and the home's lock.

A server started by ``sightline neo4j start`` outlives that command, so every later command (``stop``,
``status``, a store opened with ``SIGHTLINE_STORE=neo4j``) finds it through this record. A record is
believed only while its pid is a live launcher: after a crash or a reboot the file may remain, and its pid
may have been given to an unrelated process.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.atomic_file import write_atomic
from graph.neo4j_local.layout import LAUNCHER_SOURCE, neo4j_dir, record_path


@dataclass(frozen=True)
class ServerInfo:
    """A running local Neo4j: the launcher's pid and the Bolt URI it answers on."""

    pid: int
    uri: str
    started_at: str
    startup_seconds: float | None = None
    already_running: bool = False

    def record(self) -> dict[str, object]:
        return {"pid": self.pid, "uri": self.uri, "started_at": self.started_at}


def read_record(home: Path) -> ServerInfo | None:
    """The recorded server, or None if there is no readable record (whether it still runs is not checked)."""
    try:
        data = json.loads(record_path(home).read_text(encoding="utf-8"))
        return ServerInfo(pid=int(data["pid"]), uri=str(data["uri"]), started_at=str(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_record(home: Path, info: ServerInfo) -> None:
    write_atomic(record_path(home), json.dumps(info.record(), indent=2) + "\n")


def forget_record(home: Path) -> None:
    record_path(home).unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """True if ``pid`` is a live launcher (not a zombie, not a recycled pid running something else)."""
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if it was our own child, so a dead launcher is not a zombie
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc") / str(pid)
    if not proc.is_dir():
        return True  # no /proc (macOS): the signal check is all we have
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = (proc / "cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"} and LAUNCHER_SOURCE.name.encode() in cmdline


def wait_gone(pid: int, timeout: float) -> bool:
    """Wait until ``pid`` is no longer a live launcher; False if it still is after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@contextmanager
def locked(home: Path) -> Iterator[None]:
    """One start or stop at a time per home: two commands must not launch two servers on one store."""
    directory = neo4j_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
