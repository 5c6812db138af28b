"""The HTTP API under load: entity search and neighbourhood with 50 concurrent clients, idle and while
ingestion jobs run, against a real server on loopback, in one run.

    .venv/bin/python bench/api_load.py                    # the worker as `sightline serve` runs it
    .venv/bin/python bench/api_load.py --worker thread    # the worker as a thread in the server

1. The graph of the 10,000 generated narratives of the ingest benchmark (``bench/ingest.py --narratives
   10000 --export``, about 12 minutes) is cached in ``bench/.cache/`` and loaded with ``sightline import``
   into a fresh ``SIGHTLINE_HOME``.
2. ``sightline keys create`` makes an analyst and an NGO key; ``sightline serve`` starts on a free port.
3. This process (not the server's) runs the load: ``--clients`` closed-loop clients (threads with
   ``http.client``, one keep-alive connection each), each sending its own seeded sequence of requests,
   half entity searches (names, surnames, name prefixes and identifiers as people write them, taken from
   the graph) and half neighbourhoods of real entities (depth 1 or 2). Latency is measured per request,
   from send to the last byte; only requests sent inside the measured window count (after a warm-up).
4. After an unmeasured priming run of the same load (caches), phase ``idle``: the worker is up with spaCy
   loaded, no jobs. Phase ``ingesting``: the same load, the same request sequences, while the worker
   ingests narratives an NGO submitted (generated with another seed, uploaded as JSON lines before the
   phase). The window starts only once the worker has stored its first batch, and the run checks from the
   job list that it kept storing through the window and still had work at its end. Phase ``ingest
   alone``: no queries, to see how fast the worker ingests without them.
5. Prints a Markdown table with the busy/idle p99 ratio per route (the target: at most 2) and writes
   everything as JSON (``--json``). CPU seconds of the server, the worker and this client per phase come
   from ``/proc``, the load average from ``os.getloadavg``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import pandas as pd  # noqa: E402
import phonenumbers  # noqa: E402

from evaluation.narratives import generate_narratives  # noqa: E402
from graph import model as m  # noqa: E402
from tests.api_server import Server  # noqa: E402  (as the API tests run it)
from tests.api_server import start as start_server

CACHE = ROOT / "bench" / ".cache"
SEARCH, NEIGHBOURHOOD = "search", "neighbourhood"
CLI = [sys.executable, "-m", "cli.main"]
TICKS = os.sysconf("SC_CLK_TCK")


# -- the graph and a fresh home -----------------------------------------------------------------------

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
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"sightline {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def new_key(env: dict[str, str], role: str, org: str) -> str:
    return sightline(env, "keys", "create", "--role", role, "--org", org).strip().splitlines()[-1]


# -- what the clients ask ------------------------------------------------------------------------------

def graph_nodes(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [r for r in map(json.loads, (line for line in handle if '"kind": "node"' in line))
                if r["kind"] == "node" and r["label"] != m.NARRATIVE]


def written_forms(node: dict[str, Any], rng: random.Random) -> str:
    """A search term for ``node`` as an analyst would type it: a name, part of it, or an identifier in a
    common written form."""
    label, name = node["label"], node["name"]
    words = name.split()
    if label == m.PERSON and len(words) > 1:
        return rng.choice([name, words[-1], f"{words[0]} {words[-1][:3]}"])
    if label == m.PHONE:
        try:
            number = phonenumbers.parse(name)
            return rng.choice([name, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)])
        except phonenumbers.NumberParseException:
            return name
    if label == m.BANK_ACCOUNT:
        return rng.choice([name, " ".join(name[i:i + 4] for i in range(0, len(name), 4))])
    if label == m.EMAIL:
        return rng.choice([name, name.upper()])
    return name


def request_sequence(nodes: list[dict[str, Any]], seed: int) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """One client's endless, seeded requests: (route, path, query parameters)."""
    rng = random.Random(seed)
    named = [n for n in nodes if not n["props"].get("narrator")]  # "narrator of gen-001234" is no search term
    while True:
        if rng.random() < 0.5:
            yield SEARCH, "/v1/entities", {"q": written_forms(rng.choice(named), rng)}
        else:
            node = rng.choice(nodes)
            yield NEIGHBOURHOOD, f"/v1/neighbourhood/{quote(node['id'], safe='')}", {"depth": rng.choice((1, 2))}


# -- measuring -----------------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
    return found


@dataclass
class CpuMeter:
    """CPU seconds used by the server, its worker process (if any) and this client between two readings."""

    server_pid: int
    start: dict[str, float] = field(default_factory=dict)

    def read(self) -> dict[str, float]:
        workers = children(self.server_pid)
        client = os.times()
        return {"server": cpu_seconds(self.server_pid), "worker": sum(cpu_seconds(p) for p in workers),
                "client": client.user + client.system}

    def __enter__(self) -> CpuMeter:
        self.start = self.read()
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def used(self) -> dict[str, float]:
        end = self.read()
        return {k: round(end[k] - self.start[k], 2) for k in end}


def run_load(base: str, key: str, nodes: list[dict[str, Any]], clients: int, warmup: float, duration: float,
             seed: int) -> pd.DataFrame:
    """``clients`` closed-loop clients (threads, one keep-alive connection each) for ``warmup + duration``
    seconds; the requests sent in the last ``duration`` seconds, one row each: route, latency (ms), status.

    Plain ``http.client`` rather than httpx: the client shares the machine's two cores with the server, and
    httpx spent several times the server's CPU per request, which throttled the load it was measuring."""
    host, port = base.removeprefix("http://").split(":")
    headers = {"Authorization": f"Bearer {key}", "Connection": "keep-alive"}
    rows: list[list[tuple[str, float, int]]] = [[] for _ in range(clients)]
    begin = time.perf_counter()
    measure_from, end = begin + warmup, begin + warmup + duration

    def client(n: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=120)
        mine = rows[n]
        for route, path, params in request_sequence(nodes, seed * 1000 + n):
            sent = time.perf_counter()
            if sent >= end:
                break
            connection.request("GET", f"{path}?{urlencode(params)}", headers=headers)
            response = connection.getresponse()
            response.read()
            if sent >= measure_from:
                mine.append((route, (time.perf_counter() - sent) * 1000, response.status))
        connection.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pd.DataFrame([row for mine in rows for row in mine], columns=["route", "ms", "status"])


def summarise(frame: pd.DataFrame, duration: float) -> dict[str, dict[str, float]]:
    out = {}
    for route, group in [*frame.groupby("route"), ("all", frame)]:
        ok = group[group.status == 200]
        out[str(route)] = {"requests": int(len(group)), "errors": int((group.status >= 500).sum()),
                           "not_found": int((group.status == 404).sum()),
                           "per_second": round(len(group) / duration, 1),
                           "p50_ms": round(float(ok.ms.quantile(0.5)), 1),
                           "p99_ms": round(float(ok.ms.quantile(0.99)), 1),
                           "max_ms": round(float(ok.ms.max()), 1)}
    return out


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


# -- the run -------------------------------------------------------------------------------------------

def phase(name: str, server: Server, key: str, nodes: list[dict[str, Any]],
          args: argparse.Namespace) -> dict[str, Any]:
    print(f"phase {name}: {args.clients} clients, {args.warmup:.0f} s warm-up + {args.duration:.0f} s measured",
          file=sys.stderr)
    load_before = os.getloadavg()[0]
    with CpuMeter(server.process.pid) as cpu:
        frame = run_load(server.base, key, nodes, args.clients, args.warmup, args.duration, args.seed)
        used = cpu.used()
    return {"routes": summarise(frame, args.duration), "cpu_seconds": used,
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}


def environment(args: argparse.Namespace, home: Path) -> dict[str, str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SIGHTLINE_")}, "SIGHTLINE_HOME": str(home),
           "SIGHTLINE_STORE": args.store, "SIGHTLINE_API_WORKER_MODE": args.worker}
    if args.worker_nice is not None:
        env["SIGHTLINE_API_WORKER_NICE"] = str(args.worker_nice)
    return env


def load_graph(env: dict[str, str], graph: Path) -> None:
    started = time.perf_counter()
    print(f"importing {graph.name} into {env['SIGHTLINE_HOME']}", file=sys.stderr)
    sightline(env, "import", str(graph))
    print(f"imported in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def measure(server: Server, analyst: str, ngo: str, nodes: list[dict[str, Any]], records: list[dict[str, Any]],
            args: argparse.Namespace) -> dict[str, Any]:
    """The phases against a started server: priming, idle, ingesting, ingestion alone."""
    phases: dict[str, Any] = {}
    with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {ngo}"}, timeout=120) as http:
        # warm the worker: its spaCy pipeline is loaded on the first job
        started = time.perf_counter()
        submit(http, records[:1], 1)
        wait_until(lambda: ingest_progress(http)["done"] == 1, 300, "the first narrative")
        first_job = round(time.perf_counter() - started, 1)

        # the first load after start-up fills caches (each request thread's store connection): not measured,
        # so that the idle phase does not pay for what the ingesting phase then finds warm
        print(f"priming: {args.prime:.0f} s of the same load, not measured", file=sys.stderr)
        run_load(server.base, analyst, nodes, args.clients, args.prime, 0, args.seed)
        phases["idle"] = phase("idle", server, analyst, nodes, args)

        submit(http, records[1:], 50)
        before = ingest_progress(http)
        wait_until(lambda: ingest_progress(http)["done"] > before["done"], 600, "the worker's first batch")
        at_start = ingest_progress(http)
        busy = phase("ingesting", server, analyst, nodes, args)
        at_end = ingest_progress(http)
        busy["ingest"] = {"done_in_window": at_end["done"] - at_start["done"],
                          "queued_at_end": at_end["queued"], "failed": at_end["failed"]}
        phases["ingesting"] = busy

        print(f"phase ingest alone: {args.ingest_alone:.0f} s", file=sys.stderr)
        alone_start = ingest_progress(http)
        with CpuMeter(server.process.pid) as cpu:
            time.sleep(args.ingest_alone)
            alone_cpu = cpu.used()
        alone_end = ingest_progress(http)
        phases["ingest_alone"] = {"done": alone_end["done"] - alone_start["done"],
                                  "queued_at_end": alone_end["queued"], "cpu_seconds": alone_cpu}
    return {"first_job_seconds": first_job, "phases": phases}


def table(result: dict[str, Any]) -> str:
    idle, busy = result["phases"]["idle"]["routes"], result["phases"]["ingesting"]["routes"]
    lines = ["| route | idle req/s | idle p50 (ms) | idle p99 (ms) | ingesting req/s | ingesting p50 (ms) | "
             "ingesting p99 (ms) | p99 ingesting / idle |", "|---|---|---|---|---|---|---|---|"]
    for route in (SEARCH, NEIGHBOURHOOD, "all"):
        i, b = idle[route], busy[route]
        lines.append(f"| {route} | {i['per_second']:,.1f} | {i['p50_ms']:,.1f} | {i['p99_ms']:,.1f} | "
                     f"{b['per_second']:,.1f} | {b['p50_ms']:,.1f} | {b['p99_ms']:,.1f} | "
                     f"**{result['p99_ratio'][route]:.2f}** |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--narratives", type=int, default=10_000, help="size of the graph (bench/ingest.py)")
    parser.add_argument("--graph-seed", type=int, default=11, help="seed of the graph's narratives")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=10, help="unmeasured seconds before each window")
    parser.add_argument("--prime", type=float, default=30, help="unmeasured seconds of load before the first phase")
    parser.add_argument("--ingest-alone", type=float, default=30, help="seconds of ingestion without queries")
    parser.add_argument("--ingest-narratives", type=int, default=3000, help="narratives the NGO submits")
    parser.add_argument("--seed", type=int, default=1, help="seed of the clients' requests and of the submissions")
    parser.add_argument("--store", choices=("sqlite", "neo4j"), default="sqlite")
    parser.add_argument("--worker", choices=("process", "thread"), default="process",
                        help="SIGHTLINE_API_WORKER_MODE of the server")
    parser.add_argument("--worker-nice", type=int, help="SIGHTLINE_API_WORKER_NICE (default: the setting's, 10)")
    parser.add_argument("--json", type=Path, help="write the results here (default bench/.cache/api_load-*.json)")
    parser.add_argument("--keep", action="store_true", help="keep the SIGHTLINE_HOME (printed) after the run")
    args = parser.parse_args()

    graph = cached_graph(args.narratives, args.graph_seed)
    nodes = graph_nodes(graph)
    generated = list(generate_narratives(args.ingest_narratives + 1, 10_000 + args.seed))
    records = [{"text": g.text, "language": "en"} for g in generated]
    result: dict[str, Any] = {"command": " ".join(["bench/api_load.py", *sys.argv[1:]]), "store": args.store,
                              "worker": args.worker, "worker_nice": args.worker_nice, "clients": args.clients,
                              "prime": args.prime, "warmup": args.warmup, "duration": args.duration,
                              "graph_narratives": args.narratives, "cpus": os.cpu_count()}
    home = Path(tempfile.mkdtemp(prefix="sightline-load-"))
    env = environment(args, home)
    neo4j_started = False
    try:
        if args.store == "neo4j":
            print("starting a local Neo4j", file=sys.stderr)
            sightline(env, "neo4j", "start")
            neo4j_started = True
        load_graph(env, graph)
        analyst, ngo = new_key(env, "analyst", "Load Test"), new_key(env, "ngo", "Load Test NGO")
        server = start_server(home, {**env, "SIGHTLINE_API_WORKER_POLL_SECONDS": "0.5"}, timeout=120)  # the default
        try:
            result.update(measure(server, analyst, ngo, nodes, records, args))
        finally:
            server.stop()
            CACHE.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(server.log, CACHE / "api_load-server.log")  # the last run's server log, for any 5xx
    finally:
        if neo4j_started:
            sightline(env, "neo4j", "stop")
        if args.keep:
            print(f"kept {home}", file=sys.stderr)
        else:
            shutil.rmtree(home, ignore_errors=True)

    idle_routes, busy_routes = result["phases"]["idle"]["routes"], result["phases"]["ingesting"]["routes"]
    result["p99_ratio"] = {r: round(busy_routes[r]["p99_ms"] / idle_routes[r]["p99_ms"], 2) for r in idle_routes}
    ingest = result["phases"]["ingesting"]["ingest"]
    alone = result["phases"]["ingest_alone"]
    out = args.json or CACHE / f"api_load-{args.store}-{args.worker}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"\n{args.store} store, worker: {args.worker}; {args.clients} clients, {args.duration:.0f} s per phase; "
          f"graph of {args.narratives:,} narratives ({len(nodes):,} entities)\n")
    print(table(result))
    print(f"\nwhile ingesting: the worker finished {ingest['done_in_window']} narratives in the "
          f"{args.duration:.0f} s window ({ingest['done_in_window'] / args.duration:.1f}/s; "
          f"{ingest['queued_at_end']} still queued at its end, {ingest['failed']} failed); "
          f"alone: {alone['done']} in {args.ingest_alone:.0f} s ({alone['done'] / args.ingest_alone:.1f}/s)")
    for name in ("idle", "ingesting"):
        p = result["phases"][name]
        print(f"CPU seconds, {name}: {p['cpu_seconds']}; load average {p['load_average']}")
    print(f"CPU seconds, ingest alone: {alone['cpu_seconds']}")
    errors = sum(result["phases"][p]["routes"]["all"]["errors"] for p in ("idle", "ingesting"))
    print(f"5xx responses: {errors}; results in {out}" + (f" (server log: {CACHE / 'api_load-server.log'})"
                                                          if errors else ""))
    if ingest["done_in_window"] == 0 or ingest["queued_at_end"] == 0:
        print("WARNING: the worker was not ingesting through the whole window", file=sys.stderr)


if __name__ == "__main__":
    main()
