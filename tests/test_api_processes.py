"""``sightline serve`` with ``SIGHTLINE_API_PROCESSES=2``: two API processes on one port, one job worker, and
nothing one process keeps in memory that the other needs.

A real server in a subprocess on a free loopback port, over the embedded store with six sample narratives.
Which process answers a request is the kernel's choice (both accept on the one socket), so each phase first
opens keep-alive connections until psutil shows both API processes holding some, then sends its requests
round robin over them: every phase is answered by both processes. Each phase uses its own client address
(127.0.x.1), so the failed authentications of one do not limit the next.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice
from pathlib import Path

import httpx
import psutil

from graph.analysis_cache import AnalysisCache, AnalysisOptions
from graph.pipeline.ingest import ingest
from graph.stores.factory import open_store
from intake.sources import open_source
from nlp import Extractor
from state.db import ApiDatabase
from state.generation import GraphGeneration
from tests.api_server import ROOT, Server, make_key, start

LIMIT = 20
ENV = {"SIGHTLINE_API_PROCESSES": "2", "SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE": str(LIMIT)}


def api_processes(server: Server) -> tuple[list[psutil.Process], list[psutil.Process]]:
    """(the API processes, the job workers) under the server's process."""
    children = psutil.Process(server.process.pid).children(recursive=True)
    api = [p for p in children if any("spawn_main" in part for part in p.cmdline())]
    workers = [p for p in children if p.cmdline()[-2:] == ["worker", "--exit-with-parent"]]
    return api, workers


def holders(server: Server, pids: list[int], address: str) -> Counter[int]:
    """How many open connections from ``address`` each API process holds."""
    held: Counter[int] = Counter()
    for pid in pids:
        for c in psutil.Process(pid).net_connections(kind="tcp"):
            if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == server.port and c.raddr and c.raddr.ip == address:
                held[pid] += 1
    return held


@contextmanager
def spread(server: Server, pids: list[int], address: str, timeout: float = 40.0) -> Iterator[list[httpx.Client]]:
    """Keep-alive clients from ``address`` until both API processes hold at least one of their connections."""
    with ExitStack() as stack:
        clients: list[httpx.Client] = []
        deadline = time.monotonic() + timeout
        while len(holders(server, pids, address)) < len(pids) or len(clients) < 4:
            assert time.monotonic() < deadline and len(clients) < 80, "the connections all went to one process"
            client = stack.enter_context(httpx.Client(base_url=server.base, timeout=60,
                                                      transport=httpx.HTTPTransport(local_address=address)))
            assert client.get("/v1/health").status_code == 200
            clients.append(client)
        yield clients
        assert len(holders(server, pids, address)) == len(pids)  # (the phase's connections stayed where they were)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def round_robin(clients: list[httpx.Client], n: int, path: str, key: str) -> list[httpx.Response]:
    return [clients[i % len(clients)].get(path, headers=bearer(key)) for i in range(n)]


def test_two_api_processes_share_revocations_analysis_and_the_failure_limit(tmp_path: Path,
                                                                           extractor: Extractor) -> None:
    store = open_store(tmp_path)
    try:
        ingest(islice(open_source(ROOT / "data" / "samples").submissions(200_000), 6), store, extractor)
    finally:
        store.close()
    analyst, admin = make_key(tmp_path, "analyst", "Org A"), make_key(tmp_path, "admin", "Org A")
    server = start(tmp_path, ENV)
    try:
        api, workers = api_processes(server)
        deadline = time.monotonic() + 40
        while len(api) < 2 and time.monotonic() < deadline:  # (the second may still be starting)
            time.sleep(0.2)
            api, workers = api_processes(server)
        assert len(api) == 2 and len(workers) == 1  # two API processes, one job worker for the whole server
        pids = [p.pid for p in api]

        # a deletion through one process: every process answers with the new analysis from the next request on
        with spread(server, pids, "127.0.4.1") as clients:
            before = {json.dumps(r.json()) for r in round_robin(clients, len(clients), "/v1/analysis/hotspots", analyst)}
            assert len(before) == 1 and "s004" in next(iter(before))
            assert clients[0].delete("/v1/narratives/s004", headers=bearer(admin)).status_code == 200
            after = round_robin(clients, 2 * len(clients), "/v1/analysis/hotspots", analyst)
            assert {r.status_code for r in after} == {200}
            assert {json.dumps(r.json()) for r in after} == {json.dumps(after[0].json())} != before
            assert "s004" not in after[0].text
        with sqlite3.connect(tmp_path / "api.sqlite") as db:
            assert db.execute("SELECT generation FROM graph_generation").fetchone()[0] >= 1

        # a key revoked from the command line: refused by every process on the very next request
        doomed = make_key(tmp_path, "analyst", "Org A")
        with spread(server, pids, "127.0.5.1") as clients:
            assert {r.status_code for r in round_robin(clients, len(clients), "/v1/me", doomed)} == {200}
            revoked = subprocess.run([sys.executable, "-m", "cli.main", "keys", "revoke", "key_" + doomed.split("_")[1]],
                                     cwd=ROOT, env={**os.environ, "SIGHTLINE_HOME": str(tmp_path)},
                                     capture_output=True, text=True, timeout=60, check=False)
            assert revoked.returncode == 0, revoked.stderr
            assert [r.status_code for r in round_robin(clients, 20, "/v1/me", doomed)] == [401] * 20

        # failed authentications are counted across processes: the limit holds for the server as a whole
        with spread(server, pids, "127.0.6.1") as clients:
            wrong = [f"sl_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}" for _ in range(LIMIT + 10)]
            answers = [clients[i % len(clients)].get("/v1/me", headers=bearer(key)) for i, key in enumerate(wrong)]
            assert [a.status_code for a in answers] == [401] * LIMIT + [429] * 10

        # stopping serve stops every process it started
        everything = [psutil.Process(server.process.pid), *api, *workers]
        server.process.send_signal(signal.SIGTERM)
        _, alive = psutil.wait_procs(everything, timeout=30)
        assert not alive, [p.cmdline() for p in alive]
    finally:
        server.stop()


def test_an_invalidation_in_one_process_reaches_another_through_the_generation_row(tmp_path: Path) -> None:
    """Two analysis caches on one service-state database, as two processes hold them: a change the counts do not
    show (``invalidate`` after a correction) in one makes the other's key change as well."""
    db = ApiDatabase(tmp_path / "api.sqlite")
    store = open_store(tmp_path)
    try:
        one, other = (AnalysisCache(tmp_path, AnalysisOptions(), GraphGeneration(db)) for _ in range(2))
        first = other.get(store)
        assert other.get(store) is first  # (nothing changed: served from memory)
        one.invalidate()
        assert other.state(store) != first.state and other.get(store) is not first
    finally:
        store.close()
        db.close()
