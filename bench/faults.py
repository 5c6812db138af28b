"""Fault runs on a real PostgreSQL 15 (issue 20): a worker killed mid-batch, and PostgreSQL stopped under load.

Two scenarios, shared with tests/test_team_faults.py (which runs them small and asserts on them):

- ``worker_kill``: two ``sightline worker`` processes on one PostgreSQL queue work off small ingestion jobs;
  one is killed with SIGKILL while it holds a job part done. Counted: jobs lost (not done), narratives
  stored twice (the graph store and the ``narratives`` table against what was submitted), items redone
  (``existing``: the graph already held them), and each job's attempts.
- ``postgres_outage``: a real ``sightline serve`` on PostgreSQL (its worker off), a few client threads
  asking an authenticated route in a loop; PostgreSQL is stopped (``pg_ctl -m immediate``: connections cut,
  as when the database host dies), then started again. Counted: answers by status, 503s without
  ``Retry-After``, bodies that name the server (host, port, driver), connection errors, and the seconds from
  PostgreSQL being back to the API's first 200 (the API is never restarted).

Run (prints a Markdown table for docs/benchmarks.md)::

    flock /tmp/heavy.lock .venv/bin/python bench/faults.py --jobs 40 --per-job 3 --clients 4 --down 5
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import api_server
from tests.postgres_server import PostgresServer, running_postgres

NAMES = ("Maria", "Ana", "Elena", "Ioana", "Sofia", "Daria", "Irina", "Nadia", "Olga", "Vera")
CITIES = ("Bucharest", "Chisinau", "Sofia", "Kyiv", "Tirana", "Vienna", "Milan", "Madrid", "Lyon", "Leeds")


@dataclass
class WorkerKill:
    jobs: int
    narratives: int
    done: int = 0
    lost: int = 0  # jobs not done at the end (failed or never finished)
    stored_in_graph: int = 0
    stored_rows: int = 0  # rows of the service state's narratives table
    duplicated: int = 0  # narratives stored more than once (graph or table) beyond those submitted
    redone_items: int = 0  # items a second worker found already in the graph (``existing``)
    killed_job_attempts: int = 0
    max_attempts: int = 0
    killed_mid_job: bool = False
    seconds: float = 0.0


@dataclass
class Outage:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    connection_errors: int = 0
    missing_retry_after: int = 0
    leaked: int = 0  # error bodies naming the server (host, port, driver) or holding a traceback
    unavailable_while_down: int = 0
    down_seconds: float = 0.0
    recover_seconds: float | None = None  # PostgreSQL back -> the API's first 200


def _narrative(n: int) -> str:
    name, other, city = NAMES[n % 10], NAMES[(n // 10) % 10], CITIES[(n * 7) % 10]
    return (f"{name} (case {n}) was recruited in {city} by {other} Popescu, who promised work in a hotel. "
            f"She was told to call +44 7400 {100000 + n:06d} and her passport was taken.")


def _submit(url: str, home: Path, jobs: int, per_job: int) -> list[str]:
    from intake.jobs import JobQueue, NewItem
    from intake.submissions import narrative_id
    from nlp.extract import content_hash
    from state.db import ApiDatabase

    db = ApiDatabase(home / "unused.sqlite", url=url)
    try:
        queue = JobQueue(db)
        ids = []
        for j in range(jobs):
            items = []
            for i in range(per_job):
                text = _narrative(j * per_job + i)
                digest = content_hash(text)
                items.append(NewItem(narrative_id(digest), digest, text, {"language": "en"}, f"ref-{j}-{i}"))
            submitted = queue.submit_ingest("Org A", "key_bench", items, [], {"source": "bench"})
            assert submitted.job is not None
            ids.append(submitted.job.id)
        return ids
    finally:
        db.close()


def _worker(home: Path, url: str, lease: float, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SIGHTLINE_HOME": str(home), "SIGHTLINE_DATABASE_URL": url,
           "SIGHTLINE_API_JOB_LEASE_SECONDS": str(lease), "SIGHTLINE_API_WORKER_POLL_SECONDS": "0.1",
           "SIGHTLINE_INGEST_BATCH": "1", "SIGHTLINE_API_WORKER_NICE": "0"}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)


def worker_kill(server: PostgresServer, root: Path, jobs: int = 20, per_job: int = 3, lease: float = 4.0,
                timeout: float = 120.0) -> WorkerKill:
    """Two workers, one killed with SIGKILL while it holds a part-done job; the other finishes everything."""
    home = root / "worker-kill"
    home.mkdir(parents=True)
    url = server.create_database("faults")
    ids = _submit(url, home, jobs, per_job)
    out = WorkerKill(jobs, jobs * per_job)
    began = time.monotonic()
    victim, survivor = (_worker(home, url, lease, root / f"worker-{n}.log") for n in (1, 2))
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and victim.poll() is None:
                row = conn.execute(
                    "SELECT j.id, SUM(CASE WHEN i.status = 'queued' THEN 1 ELSE 0 END), COUNT(*) FROM jobs j "
                    "JOIN job_items i ON i.job_id = j.id WHERE j.status = 'running' AND j.worker LIKE %s "
                    "GROUP BY j.id", (f"%:{victim.pid}:%",)).fetchone()
                if row is not None and 0 < row[1] < row[2]:
                    victim.send_signal(signal.SIGKILL)
                    out.killed_mid_job = True
                    killed_job = row[0]
                    break
                time.sleep(0.005)
            else:
                raise RuntimeError("the first worker never held a part-done job")
            victim.wait(10)
            while time.monotonic() < deadline:
                left = conn.execute("SELECT COUNT(*) FROM jobs WHERE status NOT IN ('done', 'failed')").fetchone()[0]
                if left == 0:
                    break
                time.sleep(0.1)
            out.seconds = time.monotonic() - began
            statuses = dict(conn.execute("SELECT id, status FROM jobs").fetchall())
            out.done = sum(statuses.get(i) == "done" for i in ids)
            out.lost = jobs - out.done
            attempts = dict(conn.execute("SELECT id, attempts FROM jobs").fetchall())
            out.killed_job_attempts = attempts[killed_job]
            out.max_attempts = max(attempts.values())
            out.stored_rows = conn.execute("SELECT COUNT(*) FROM narratives").fetchone()[0]
            out.redone_items = conn.execute("SELECT COUNT(*) FROM job_items WHERE status = 'existing'").fetchone()[0]
    finally:
        for process in (victim, survivor):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
    from graph.stores.factory import open_store

    store = open_store(home)
    try:
        out.stored_in_graph = int(store.stats()["narratives"])
    finally:
        store.close()
    out.duplicated = max(out.stored_in_graph - out.narratives, 0) + max(out.stored_rows - out.narratives, 0)
    return out


def _client(base: str, key: str, stop: threading.Event, seen: list[tuple[float, int | None, str, str]]) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        while not stop.is_set():
            try:
                response = client.get("/v1/me")
                seen.append((time.monotonic(), response.status_code, response.headers.get("Retry-After", ""),
                             response.text if response.status_code != 200 else ""))
            except httpx.HTTPError as error:
                seen.append((time.monotonic(), None, "", type(error).__name__))
                time.sleep(0.05)


def postgres_outage(server: PostgresServer, root: Path, clients: int = 3, before: float = 1.5, down: float = 3.0,
                    after: float = 4.0) -> Outage:
    """A real serve on PostgreSQL under ``clients`` looping clients; PostgreSQL stopped for ``down`` seconds."""
    from state.db import ApiDatabase
    from state.keys import KeyStore

    home = root / "outage"
    home.mkdir(parents=True)
    url = server.create_database("outage")
    db = ApiDatabase(home / "unused.sqlite", url=url)
    try:
        key = KeyStore(db).create("analyst", "Org A")[1]
    finally:
        db.close()
    api = api_server.start(home, {"SIGHTLINE_DATABASE_URL": url, "SIGHTLINE_API_WORKER": "false"})
    seen: list[tuple[float, int | None, str, str]] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_client, args=(api.base, key, stop, seen), daemon=True) for _ in range(clients)]
    out = Outage()
    try:
        for thread in threads:
            thread.start()
        time.sleep(before)
        went_down = time.monotonic()
        server.stop()
        time.sleep(down)
        server.start()
        back = time.monotonic()
        out.down_seconds = back - went_down
        deadline = back + after
        while time.monotonic() < deadline:
            if out.recover_seconds is None:
                first = [t for t, status, _, _ in list(seen) if status == 200 and t > back]
                if first:
                    out.recover_seconds = min(first) - back
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        api.stop()
    if out.recover_seconds is None:
        first = [t for t, status, _, _ in seen if status == 200 and t > back]
        out.recover_seconds = min(first) - back if first else None
    tells = (str(server.port), "127.0.0.1", "psycopg", "Traceback", "postgresql://", "sqlalchemy")
    for at, status, retry_after, body in seen:
        out.requests += 1
        if status is None:
            out.connection_errors += 1
            continue
        out.statuses[status] += 1
        if status == 503:
            out.missing_retry_after += not retry_after.isdigit()
            out.unavailable_while_down += went_down <= at <= back + 1
        if status != 200 and any(tell in body for tell in tells):
            out.leaked += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--per-job", type=int, default=3)
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL stays stopped")
    args = parser.parse_args()
    with running_postgres() as server, tempfile.TemporaryDirectory(prefix="sightline-faults-") as folder:
        kill = worker_kill(server, Path(folder), args.jobs, args.per_job, args.lease)
        outage = postgres_outage(server, Path(folder), args.clients, down=args.down)
    print("| fault | figure | value |\n|---|---|---|")
    print(f"| kill -9 of one of two workers | jobs submitted / done / lost | {kill.jobs} / {kill.done} / {kill.lost} |")
    print(f"| | narratives submitted / in the graph / in the state table | {kill.narratives} / {kill.stored_in_graph} "
          f"/ {kill.stored_rows} |")
    print(f"| | stored twice | {kill.duplicated} |")
    print(f"| | items redone by the survivor (already in the graph) | {kill.redone_items} |")
    print(f"| | attempts of the killed job / most attempts of any job | {kill.killed_job_attempts} / {kill.max_attempts} |")
    print(f"| | all jobs done after (lease {args.lease:g} s) | {kill.seconds:.1f} s |")
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(outage.statuses.items()))
    print(f"| PostgreSQL stopped {outage.down_seconds:.1f} s under {args.clients} clients | answers | "
          f"{outage.requests} ({statuses}) |")
    print(f"| | 503 while down / without Retry-After / naming the server | {outage.unavailable_while_down} / "
          f"{outage.missing_retry_after} / {outage.leaked} |")
    print(f"| | connection errors (reset, refused) | {outage.connection_errors} |")
    recovered = f"{outage.recover_seconds:.2f} s" if outage.recover_seconds is not None else "never"
    print(f"| | PostgreSQL back to the API's first 200 (no restart) | {recovered} |")


if __name__ == "__main__":
    main()
