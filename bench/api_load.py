"""The HTTP API under load, as a team deploys it: N API processes behind a balancer, one ingest worker of its
own, service state in SQLite or PostgreSQL; read and screening routes, idle and while ingesting, in one run.

    .venv/bin/python bench/api_load.py                                   # the full run (about 20 minutes)
    .venv/bin/python bench/api_load.py --state sqlite --processes 1 --clients 50 --no-kill-api   # one cell

1. The graph of the 10,000 generated narratives of the ingest benchmark (``bench/ingest.py --narratives
   10000 --export``, about 12 minutes) is cached in ``bench/.cache/`` and loaded with ``sightline import``
   into a fresh ``SIGHTLINE_HOME`` per service state. ``--state postgres`` starts a throw-away PostgreSQL
   15 (``tests/postgres_server.py``: loopback, ``fsync=off``) and sets ``SIGHTLINE_DATABASE_URL``.
2. ``sightline keys create`` makes an analyst, an NGO and a partner key. For each ``--processes`` count,
   that many ``sightline serve`` processes start on free loopback ports with ``SIGHTLINE_API_WORKER=false``;
   the ingest runs in one separate ``sightline worker`` process.
3. This process (not the servers) runs the load (``bench/api_load_clients.py``): closed-loop clients spread
   round-robin over the API processes; searches and neighbourhoods (analyst key) and screening batches of 1
   to 10 identifiers (partner key, ``--screen-share`` of the requests).
4. Per processes count: an unmeasured priming run, then per ``--clients`` count a phase ``idle`` (no worker
   running, no job), then the worker starts on the narratives an NGO submitted (generated with another seed,
   JSON lines) and, once it has stored its first batch, per clients count a phase ``ingesting``. With 2 or
   more processes, phase ``kill-api``: under the first clients count, one API process is killed with
   SIGKILL a third into the window; the survivors' 5xx and the requests lost with the dead one (each retried
   once on a survivor, as a balancer would) are counted.
5. Prints a Markdown table (the targets: no errors, p99 at 50 clients under 1 s, p99 ingesting at most 2x
   idle) and writes everything as JSON (``--json``). CPU seconds of the servers, the worker and this
   client per phase come from ``/proc``, the load average from ``os.getloadavg``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx
from api_load_clients import ROUTES, Backends, run_load, summarise

from evaluation.narratives import generate_narratives
from graph import model as m
from tests.api_server import Server
from tests.api_server import start as start_server

CACHE = ROOT / "bench" / ".cache"
CLI = [sys.executable, "-m", "cli.main"]
TICKS = os.sysconf("SC_CLK_TCK")


# -- the graph, the state and a fresh home -------------------------------------------------------------

def cached_graph(narratives: int, seed: int) -> Path:
    """The exported graph of the ingest benchmark, made once (``bench/ingest.py --export``) and reused."""
    path = CACHE / f"graph-{narratives}-seed{seed}.jsonl"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".jsonl.part")
    print(f"building the graph of {narratives} narratives (bench/ingest.py, seed {seed}); cached as {path}",
          file=sys.stderr)
    subprocess.run([sys.executable, str(ROOT / "bench" / "ingest.py"), "--narratives", str(narratives),
                    "--seed", str(seed), "--export", str(part)], check=True)
    part.replace(path)
    return path


def sightline(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"sightline {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def new_key(env: dict[str, str], role: str, org: str) -> str:
    return sightline(env, "keys", "create", "--role", role, "--org", org).strip().splitlines()[-1]


def graph_nodes(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [r for r in map(json.loads, (line for line in handle if '"kind": "node"' in line))
                if r["kind"] == "node" and r["label"] != m.NARRATIVE]


@contextmanager
def service_state(state: str, home: Path) -> Iterator[dict[str, str]]:
    """The environment of every process of one run: a fresh home, and PostgreSQL when asked for."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SIGHTLINE_")}, "SIGHTLINE_HOME": str(home),
           "SIGHTLINE_API_WORKER": "false", "SIGHTLINE_API_WORKER_POLL_SECONDS": "0.5"}
    if state == "sqlite":
        yield env
        return
    from tests.postgres_server import running_postgres

    with running_postgres() as postgres:
        yield {**env, "SIGHTLINE_DATABASE_URL": postgres.create_database("load")}


# -- measuring -----------------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


class CpuMeter:
    """CPU seconds used by the API processes, the worker and this client between two readings (a process
    killed in between keeps what it had used at the first reading only)."""

    def __init__(self, servers: list[Server], worker: subprocess.Popen[bytes] | None) -> None:
        self.servers, self.worker = servers, worker
        self.start = self.read()

    def read(self) -> dict[str, float]:
        client = os.times()
        return {"servers": sum(cpu_seconds(s.process.pid) for s in self.servers),
                "worker": cpu_seconds(self.worker.pid) if self.worker is not None else 0.0,
                "client": client.user + client.system}

    def used(self) -> dict[str, float]:
        end = self.read()
        return {k: round(end[k] - self.start[k], 1) for k in end}


# -- ingestion -----------------------------------------------------------------------------------------

def ingest_progress(http: httpx.Client) -> dict[str, int]:
    jobs = http.get("/v1/jobs", params={"limit": 200}).raise_for_status().json()
    totals = {"jobs": len(jobs), "done": 0, "queued": 0, "stored": 0, "existing": 0, "failed": 0}
    for job in jobs:
        for k in ("done", "queued", "stored", "existing", "failed"):
            totals[k] += job["progress"][k]
    return totals


def submit(http: httpx.Client, records: list[dict[str, Any]], batch: int) -> None:
    for i in range(0, len(records), batch):
        body = "".join(json.dumps(r) + "\n" for r in records[i:i + batch]).encode()
        response = http.post("/v1/narratives", files={"file": (f"load-{i}.jsonl", body, "application/jsonl")})
        if response.status_code not in (200, 202):
            raise RuntimeError(f"submission failed: {response.status_code} {response.text[:500]}")


def wait_until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def start_worker(env: dict[str, str], home: Path) -> subprocess.Popen[bytes]:
    with (home / "worker.log").open("ab") as log:
        return subprocess.Popen([*CLI, "worker"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# -- the run -------------------------------------------------------------------------------------------

class Run:
    """One service state's measurements: its servers, worker, keys and the load."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], home: Path, keys: dict[str, str],
                 nodes: list[dict[str, Any]], records: list[dict[str, Any]]) -> None:
        self.args, self.env, self.home, self.keys, self.nodes, self.records = args, env, home, keys, nodes, records
        self.submitted = False
        self.servers: list[Server] = []
        self.worker: subprocess.Popen[bytes] | None = None

    def phase(self, name: str, clients: int, *, during: Any = None) -> dict[str, Any]:
        args = self.args
        print(f"  phase {name}: {len(self.servers)} API process(es), {clients} clients, {args.warmup:.0f} s warm-up "
              f"+ {args.duration:.0f} s measured", file=sys.stderr)
        backends = Backends([s.port for s in self.servers])
        load_before = os.getloadavg()[0]
        meter = CpuMeter(self.servers, self.worker)
        frame = run_load(backends, self.keys, self.nodes, clients, args.warmup, args.duration, args.seed,
                         args.screen_share, during)
        out: dict[str, Any] = {"routes": summarise(frame, args.duration), "cpu_seconds": meter.used(),
                               "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
        out["frame"] = frame
        return out

    def processes(self, count: int) -> dict[str, Any]:
        """Every phase with ``count`` API processes."""
        args, result = self.args, {}
        self.servers = [start_server(self.home, self.env, timeout=180) for _ in range(count)]
        http = httpx.Client(base_url=self.servers[0].base, headers={"Authorization": f"Bearer {self.keys['ngo']}"},
                            timeout=120)
        try:
            print(f"  priming: {args.prime:.0f} s, not measured", file=sys.stderr)
            run_load(Backends([s.port for s in self.servers]), self.keys, self.nodes, max(args.clients), args.prime,
                     0, args.seed, args.screen_share)
            for clients in args.clients:
                result[f"idle/{clients}"] = self.phase("idle", clients)
            self.worker = start_worker(self.env, self.home)
            if not self.submitted:
                submit(http, self.records, 50)
                self.submitted = True
            before = ingest_progress(http)
            try:
                wait_until(lambda: ingest_progress(http)["done"] > before["done"], 600, "the worker's first batch")
            except RuntimeError:
                log = (self.home / "worker.log").read_text(encoding="utf-8", errors="replace")
                print(f"  progress {ingest_progress(http)}; the worker's log ends:\n{log[-3000:]}", file=sys.stderr)
                raise
            for clients in args.clients:
                at_start = ingest_progress(http)
                busy = self.phase("ingesting", clients)
                at_end = ingest_progress(http)
                busy["ingest"] = {"done_in_window": at_end["done"] - at_start["done"],
                                  "queued_at_end": at_end["queued"], "failed": at_end["failed"]}
                result[f"ingesting/{clients}"] = busy
            if count >= 2 and args.kill_api:
                result["kill-api"] = self.kill_phase(args.clients[0])
        finally:
            http.close()
            if self.worker is not None:
                stop(self.worker)
                self.worker = None
            for server in self.servers:
                server.stop()
                shutil.copyfile(server.log, CACHE / f"api_load-server-{server.port}.log")
        return result

    def kill_phase(self, clients: int) -> dict[str, Any]:
        victim, survivors = self.servers[-1], self.servers[:-1]
        killed_at: list[float] = []

        def kill(window_start: float) -> None:
            time.sleep(max(0.0, window_start + self.args.duration / 3 - time.perf_counter()))
            killed_at.append(time.perf_counter())
            victim.process.send_signal(signal.SIGKILL)

        out = self.phase("kill-api", clients, during=kill)
        frame = out["frame"]
        alive = frame[frame.port.isin([s.port for s in survivors])]
        lost = frame[frame.status < 0]
        out["faults"] = {"survivor_5xx": int((alive.status >= 500).sum()),
                         "dead_5xx": int(((frame.port == victim.port) & (frame.status >= 500)).sum()),
                         "lost_with_dead": len(lost),
                         "retried_ok": int(((lost.retry_status >= 200) & (lost.retry_status < 300)).sum()),
                         "retried_5xx": int((lost.retry_status >= 500).sum()),
                         "retry_lost": int((lost.retry_status < 0).sum())}
        victim.process.wait(timeout=10)
        return out


def p99_ratios(result: dict[str, Any], clients: int) -> dict[str, float | None]:
    idle, busy = result[f"idle/{clients}"]["routes"], result[f"ingesting/{clients}"]["routes"]
    return {r: round(busy[r]["p99_ms"] / idle[r]["p99_ms"], 2) if busy.get(r, {}).get("p99_ms") and
            idle.get(r, {}).get("p99_ms") else None for r in (*ROUTES, "all")}


def table(results: dict[str, Any], args: argparse.Namespace) -> str:
    lines = [("| state | API processes | clients | idle req/s | idle p50 / p99 (ms) | ingesting req/s | "
              "ingesting p50 / p99 (ms) | **p99 ingesting / idle**: all (search, neighbourhood, screen) | 5xx | "
              "lost | stored in window | load average |"), "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for state, by_count in results.items():
        for count, result in by_count.items():
            for clients in args.clients:
                i, b = result[f"idle/{clients}"], result[f"ingesting/{clients}"]
                ia, ba, r = i["routes"]["all"], b["routes"]["all"], p99_ratios(result, clients)
                errors = ia["errors_5xx"] + ba["errors_5xx"]
                lost = ia["lost"] + ba["lost"]
                loads = [*i["load_average"], *b["load_average"]]
                lines.append(
                    f"| {state} | {count} | {clients} | {ia['per_second']:,.1f} | {ia['p50_ms']:,.0f} / "
                    f"{ia['p99_ms']:,.0f} | {ba['per_second']:,.1f} | {ba['p50_ms']:,.0f} / {ba['p99_ms']:,.0f} | "
                    f"**{r['all']}** ({r['search']}, {r['neighbourhood']}, {r['screen']}) | {errors} | {lost} | "
                    f"{b['ingest']['done_in_window']} | {min(loads):.1f} to {max(loads):.1f} |")
    return "\n".join(lines)


def kill_table(results: dict[str, Any]) -> str:
    lines = [("| state | clients | req/s | p50 / p99 (ms) | 5xx from the survivor | 5xx from the killed one | "
              "lost with the killed one | their retries: ok / 5xx / lost |"), "|---|---|---|---|---|---|---|---|"]
    for state, by_count in results.items():
        for result in by_count.values():
            if "kill-api" in result:
                k, f = result["kill-api"], result["kill-api"]["faults"]
                a = k["routes"]["all"]
                lines.append(f"| {state} | {k['clients']} | {a['per_second']:,.1f} | "
                             f"{a['p50_ms']:,.0f} / {a['p99_ms']:,.0f} | {f['survivor_5xx']} | {f['dead_5xx']} | "
                             f"{f['lost_with_dead']} | {f['retried_ok']} / {f['retried_5xx']} / {f['retry_lost']} |")
    return "\n".join(lines)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--narratives", type=int, default=10_000, help="size of the graph (bench/ingest.py)")
    parser.add_argument("--graph-seed", type=int, default=11, help="seed of the graph's narratives")
    parser.add_argument("--state", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--processes", nargs="+", type=int, default=[1, 2], help="API processes, each a config")
    parser.add_argument("--clients", nargs="+", type=int, default=[50, 200], help="concurrent clients, each a config")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds before each window")
    parser.add_argument("--prime", type=float, default=15, help="unmeasured seconds of load after start-up")
    parser.add_argument("--screen-share", type=float, default=0.2, help="share of screening requests")
    parser.add_argument("--ingest-narratives", type=int, default=2000, help="narratives the NGO submits")
    parser.add_argument("--kill-api", action=argparse.BooleanOptionalAction, default=True,
                        help="kill -9 one of 2+ API processes under load (default on)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the clients' requests and of the submissions")
    parser.add_argument("--store", choices=("sqlite", "neo4j"), default="sqlite", help="the graph store")
    parser.add_argument("--json", type=Path, help="write the results here (default bench/.cache/api_load-*.json)")
    args = parser.parse_args()
    if any(n < 1 for n in [*args.processes, *args.clients]) or not 0 <= args.screen_share <= 1:
        parser.error("--processes and --clients take positive counts; --screen-share is between 0 and 1")
    return args


def measure_state(state: str, args: argparse.Namespace, graph: Path, nodes: list[dict[str, Any]],
                  records: list[dict[str, Any]]) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="sightline-load-"))
    print(f"service state {state}: home {home}", file=sys.stderr)
    try:
        with ExitStack() as stack:
            env = stack.enter_context(service_state(state, home))
            env["SIGHTLINE_STORE"] = args.store
            if args.store == "neo4j":
                sightline(env, "neo4j", "start")
                stack.callback(sightline, env, "neo4j", "stop")
            started = time.perf_counter()
            sightline(env, "import", str(graph))
            print(f"  imported {graph.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            keys = {role: new_key(env, role, "Load Test") for role in ("analyst", "ngo", "partner")}
            run = Run(args, env, home, keys, nodes, records)
            return {str(count): run.processes(count) for count in args.processes}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    args = parse()
    graph = cached_graph(args.narratives, args.graph_seed)
    nodes = graph_nodes(graph)
    generated = list(generate_narratives(args.ingest_narratives, 10_000 + args.seed))
    records = [{"text": g.text, "language": "en"} for g in generated]
    CACHE.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    results = {state: measure_state(state, args, graph, nodes, records) for state in args.state}
    for by_count in results.values():  # the frames stay out of the JSON
        for result in by_count.values():
            for name, phase in result.items():
                phase.pop("frame", None)
                phase["clients"] = int(name.rsplit("/", 1)[-1]) if "/" in name else args.clients[0]
    summary = {"command": " ".join(["bench/api_load.py", *sys.argv[1:]]), "cpus": os.cpu_count(),
               "seconds": round(time.perf_counter() - began), "graph_narratives": args.narratives,
               "duration": args.duration, "warmup": args.warmup, "screen_share": args.screen_share,
               "results": results}
    out = args.json or CACHE / f"api_load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"\n{args.store} graph store of {args.narratives:,} narratives ({len(nodes):,} entities); "
          f"{args.duration:.0f} s measured per phase; run took {summary['seconds']} s\n")
    print(table(results, args))
    if any("kill-api" in r for by in results.values() for r in by.values()):
        print("\nkill -9 of one API process a third into the window:\n")
        print(kill_table(results))
    print(f"\nresults in {out}")


if __name__ == "__main__":
    main()
