"""A real Sightline API server for the tests: ``sightline serve`` in a subprocess on a free loopback port.

Every API test talks to it over HTTP with httpx, exactly as a client would; nothing is called in-process.
Keys are created with ``state.keys.KeyStore`` on the server's ``api.sqlite`` (what ``sightline keys create``
does), since the server reads them from there on every request.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ROLES = ("ngo", "analyst", "partner", "admin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_key(home: Path, role: str, organisation: str) -> str:
    from state.db import ApiDatabase
    from state.keys import KeyStore

    db = ApiDatabase(home / "api.sqlite")
    try:
        return KeyStore(db).create(role, organisation)[1]
    finally:
        db.close()


@dataclass
class Server:
    home: Path
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    keys: dict[str, str] = field(default_factory=dict)  # role -> key of organisation "Org A"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, key: str | None = None, timeout: float = 60.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=timeout)

    def as_role(self, role: str) -> httpx.Client:
        return self.client(self.keys[role])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: uvicorn shuts down gracefully, the worker stops
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def start(home: Path, env: dict[str, str] | None = None, port: int | None = None,
          timeout: float = 60.0) -> Server:
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = home / f"server-{port}.log"
    environment = {**os.environ, "SIGHTLINE_HOME": str(home), "SIGHTLINE_API_WORKER_POLL_SECONDS": "0.1",
                   **(env or {})}
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port",
                                    str(port), "--log-level", "warning"], cwd=ROOT, env=environment,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = Server(home, port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the API server exited with {process.returncode}:\n{server.output()}")
        try:
            if httpx.get(f"{server.base}/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the API server did not come up in {timeout}s:\n{server.output()}")


@contextmanager
def running(home: Path, env: dict[str, str] | None = None, organisation: str = "Org A") -> Iterator[Server]:
    """A started server with one key per role for ``organisation``; stopped afterwards."""
    keys = {role: make_key(home, role, organisation) for role in ROLES}
    server = start(home, env)
    server.keys = keys
    try:
        yield server
    finally:
        server.stop()


def wait_for_job(client: httpx.Client, job_id: str, timeout: float = 120.0, path: str = "/v1/jobs") -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"{path}/{job_id}")
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout}s")
