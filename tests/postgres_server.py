"""A real PostgreSQL 15 for the tests: initdb in a temporary folder, started on a free loopback port.

Why a real server and not a mock: the contract suite checks what only PostgreSQL itself can answer (row
locks and ``SKIP LOCKED``, triggers, advisory locks, Alembic's DDL). Debian's binaries live in
``/usr/lib/postgresql/15/bin`` (``make test`` installs ``postgresql-15`` when they are missing). PostgreSQL
refuses to run as root, so under root (containers, CI) the cluster belongs to the ``postgres`` user the
Debian package creates. Durability is turned off (``fsync=off``): the data are thrown away at the end.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def _bin() -> Path:
    """PostgreSQL 15 (the version the issue names) when installed, else the newest Debian release present."""
    if "SIGHTLINE_TEST_PG_BIN" in os.environ:
        return Path(os.environ["SIGHTLINE_TEST_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    preferred = Path("/usr/lib/postgresql/15/bin")
    return preferred if (preferred / "initdb").exists() or not found else found[-1].parent


BIN = _bin()
USER = "sightline"


class PostgresError(RuntimeError):
    """The test PostgreSQL could not be started; the message says why (with the server's log)."""


@dataclass(frozen=True, slots=True)
class PostgresServer:
    port: int
    folder: Path
    owner: str | None = None  # the system user the server runs as (``postgres`` under root)

    def stop(self) -> None:
        """Stop the server at once (``-m immediate``: clients are cut off, as when a database host dies); the
        fault tests use it to take PostgreSQL away under load."""
        _run([str(BIN / "pg_ctl"), "stop", "-w", "-m", "immediate", "-D", str(self.folder / "data")], self.owner)

    def start(self) -> None:
        """Start the stopped server again, on the same port with the same data."""
        log = self.folder / "server.log"
        _run([str(BIN / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.folder / "data"), "-l", str(log),
              "-o", _options(self.port, self.folder)], self.owner, log)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; its URL. Each test gets its own, so tests never see one another's rows."""
        import psycopg

        name = f"{prefix}_{secrets.token_hex(6)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], owner: str | None, log: Path | None = None) -> None:
    done = subprocess.run(command, user=owner, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        raise PostgresError(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{tail}")


def _options(port: int, folder: Path) -> str:
    return (f"-p {port} -k {folder} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200")


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a throw-away cluster, yield it, and stop it and delete its folder when the block ends."""
    if not (BIN / "initdb").exists():
        raise PostgresError(f"{BIN}/initdb is missing: install Debian's postgresql-15 (make test does)")
    owner: str | None = None
    folder = Path(tempfile.mkdtemp(prefix="sightline-pg-"))
    if os.geteuid() == 0:  # initdb and postgres refuse root
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresError("running as root and there is no 'postgres' user to run the server as") from None
        owner = "postgres"
        os.chown(folder, account.pw_uid, account.pw_gid)
    data, log, port = folder / "data", folder / "server.log", _free_port()
    try:
        _run([str(BIN / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale",
              "--no-sync"], owner)
        _run([str(BIN / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data), "-l", str(log), "-o",
              _options(port, folder)], owner, log)
        try:
            yield PostgresServer(port, folder, owner)
        finally:
            subprocess.run([str(BIN / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(data)], user=owner,
                           capture_output=True, timeout=60, check=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
