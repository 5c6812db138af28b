"""The Neo4j adapter: batched writes against a naive one-MERGE-per-element baseline, query latency, start-up.

    .venv/bin/python bench/ingest.py --narratives 10000 --export bench/.cache/graph-10000-seed11.jsonl
    .venv/bin/python bench/neo4j_write.py --graph bench/.cache/graph-10000-seed11.jsonl

The graph of 10,000 generated narratives (extracted and resolved by ``bench/ingest.py``, exported as JSON
lines) is written by the adapter's import path (``graph.stores.transfer.load_batches``: one ``UNWIND $rows ...``
statement per kind per transaction, the next batch prepared while the server writes) into a fresh local
Neo4j ("cold": the server's JIT has compiled nothing yet), then, database emptied, a second time into the
same server ("warm", as a long-running server is). The naive baseline sends one statement per node or
relationship (the same logic, ``naive_*.cypher``), each its own transaction, on the first
``--naive-sample`` elements (all of them would take the better part of an hour), on the warm server. For
reference, a second fresh server takes the same rows as plain ``CREATE`` statements with no existence
check, no search keys and no write lock (``floor_*.cypher``), cold then warm: what Neo4j itself costs on
this machine; then, warm, the same plus the search keys the store keeps (``:SearchKey`` nodes and ``KEY_OF``
relationships, about as many elements again), still as plain ``CREATE``. Then the bulk path (``sightline import --bulk``, ``graph.stores.bulk_import``): the same
records folded into the import tool's CSV files and written by Neo4j's own import tool into a new
database of a stopped server, then the server started and the schema created (indexes online), each step
timed, and the result checked against the transactional load (same counts). All rates are model
elements (nodes plus relationships) per second. Then p50/p99 latency of ``neighbourhood`` (depth 2) and
``shortest_path`` between people on the loaded graph, and the local Neo4j's start-up time.

``--writes-only`` leaves out the queries and the naive baseline, ``--no-bulk`` the bulk path; ``--copies N``
writes N disjoint copies of the graph (ids, narratives and evidence renamed per copy, names kept, so search
keys are shared as in a larger corpus): a larger graph without running the extraction again.
Without the graph file, it is generated first as ``make bench`` does (``bench/ingest.py``, which takes a
long time: 10,000 narratives through spaCy).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from neo4j import GraphDatabase  # noqa: E402
from rich.progress import Progress, track  # noqa: E402

from graph import connections  # noqa: E402
from graph import model as m  # noqa: E402
from graph.neo4j_local.server import running_child  # noqa: E402
from graph.stores.cypher_files import statement  # noqa: E402
from graph.stores.bulk_import import finish, import_offline  # noqa: E402
from graph.stores.neo4j import Neo4jStore  # noqa: E402
from graph.stores.neo4j_rows import edge_row, load_rows, node_row  # noqa: E402
from graph.stores.transfer import load_batches, parse_lines  # noqa: E402


def wipe(uri: str) -> None:
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_import(store: Neo4jStore, records: list[dict[str, Any]], batch: int, label: str) -> float:
    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=len(records))
        start = time.perf_counter()
        load_batches(store, records, batch, lambda n: bar.advance(task, n))
        return time.perf_counter() - start


def timed_floor(uri: str, records: list[dict[str, Any]], batch: int, keys: bool = False) -> float:
    """Plain CREATE of prepared rows (``floor_*.cypher``): the rows are built before the clock starts. With
    ``keys``, also the search keys (``floor_key_*``): every element the store keeps, still with no checks."""
    prepared = load_rows(records)
    nodes = [{k: v for k, v in row.items() if k != "keys"} for row in prepared.nodes]
    steps: list[tuple[str, list[dict[str, Any]]]] = [("floor_node_create", nodes)]
    if keys:
        links = [{"node": row["id"], "key": key} for row in prepared.nodes for key in row["keys"]]
        steps += [("floor_key_create", [{"key": k} for k in sorted({link["key"] for link in links})]),
                  ("floor_key_link", links)]
    steps.append(("floor_edge_create", prepared.edges))
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        session.run("CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE").consume()
        session.run("CREATE CONSTRAINT search_key IF NOT EXISTS FOR (k:SearchKey) REQUIRE k.key IS UNIQUE").consume()
        start = time.perf_counter()
        for name, rows in steps:
            text = statement(name)
            for i in range(0, len(rows), batch):
                chunk = rows[i:i + batch]
                session.execute_write(lambda tx, text=text, chunk=chunk: tx.run(text, rows=chunk).consume())
        return time.perf_counter() - start


def timed_bulk(records: list[dict[str, Any]]) -> dict[str, Any]:
    """``sightline import --bulk`` step by step into a new home: CSV files and the import tool (server
    stopped), then the server's start and the schema with every index online; counts for the check."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        with Progress(transient=True) as bar:
            task = bar.add_task("bulk import", total=100)
            report = import_offline(records, home, on_stage=lambda what, share: bar.update(
                task, description=what, completed=round(share * 100)))
        began = time.perf_counter()
        with running_child(home) as server:
            started = time.perf_counter() - began
            index_seconds = finish(server.uri, home)
            store = Neo4jStore(server.uri)
            counted = store.stats()
            store.close()
    return {"report": report, "start_seconds": started, "index_seconds": index_seconds, "stats": counted}


def replicate(records: list[dict[str, Any]], copies: int) -> list[dict[str, Any]]:
    """``copies`` disjoint copies of a graph's records in import order (every copy's nodes first): ids,
    narratives (source ids, hashes, the evidence citing them) and merges renamed per copy, names kept."""
    if copies <= 1:
        return records

    def renamed(r: dict[str, Any], s: str) -> dict[str, Any]:
        kind = r["kind"]
        if kind == "node":
            props = dict(r["props"])
            name = r["name"]
            if r["label"] == m.NARRATIVE:
                props.update(source_id=props["source_id"] + s, content_hash=props["content_hash"] + s)
                name += s
            return {**r, "id": r["id"] + s, "name": name, "props": props}
        if kind == "narrative":
            return {**r, "source_id": r["source_id"] + s, "node": r["node"] + s, "content_hash": r["content_hash"] + s}
        if kind == "edge":
            return {**r, "id": r["id"] + s, "source": r["source"] + s, "target": r["target"] + s,
                    "evidence": [{**e, "narrative": e["narrative"] + s} for e in r["evidence"]]}
        return {**r, "old": r["old"] + s, "new": r["new"] + s}

    return [r if c == 0 else renamed(r, f"~{c}") for kind in ("node", "narrative", "edge", "merged")
            for c in range(copies) for r in records if r["kind"] == kind]


def ensure_graph(path: Path) -> None:
    """The benchmark graph as ``make bench`` makes it, if it is not there yet."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"{path} is missing: generating it with bench/ingest.py (10,000 narratives)", flush=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "ingest.py"), "--narratives", "10000", "--export", str(path)],
                   check=True)


def timed_queries(store: Neo4jStore, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds of ``count`` seeded neighbourhood (depth 2) and shortest-path queries on the loaded graph."""
    people = [n.id for n in store.list_nodes(m.PERSON, limit=100_000)]
    anchors = [n for label in (m.PERSON, m.PHONE, m.ORGANIZATION) for n in
               (x.id for x in store.list_nodes(label, limit=100_000))]
    rng = random.Random(7)
    hood: list[float] = []
    for node in track(rng.sample(anchors, min(count, len(anchors))), description="neighbourhood", transient=True):
        t = time.perf_counter()
        store.neighbourhood(node, depth=2, limit=500)
        hood.append((time.perf_counter() - t) * 1000)
    paths: list[float] = []
    for _ in track(range(count), description="shortest path", transient=True):
        a, b = rng.sample(people, 2)
        t = time.perf_counter()
        connections.shortest_path(store, a, b)
        paths.append((time.perf_counter() - t) * 1000)
    return hood, paths


def timed_naive(uri: str, records: list[dict[str, Any]], sample: int) -> tuple[int, float]:
    """One statement per element, each its own transaction, on the first ``sample`` elements."""
    nodes = [r for r in records if r["kind"] == "node"]
    edges = [r for r in records if r["kind"] == "edge"]
    sample_nodes = nodes[: sample // 2]
    kept = {r["id"] for r in sample_nodes}
    sample_edges = [r for r in edges if r["source"] in kept and r["target"] in kept][: sample // 2]
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        start = time.perf_counter()
        for r in track(sample_nodes, description="naive nodes", transient=True):
            session.run(statement("naive_node_merge"), node_row(m.Node(r["id"], r["label"], r["name"], r["props"]))).consume()
        for r in track(sample_edges, description="naive relationships", transient=True):
            row = edge_row(m.Edge(r["id"], r["type"], r["source"], r["target"], r["props"],
                                  [m.EvidenceRef(**e) for e in r["evidence"]]))
            session.run(statement("naive_edge_merge"), row).consume()
        return len(sample_nodes) + len(sample_edges), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", type=Path, default=ROOT / "bench" / ".cache" / "graph-10000-seed11.jsonl",
                        help="JSON lines from `sightline export` (generated as `make bench` does if missing)")
    parser.add_argument("--batch", type=int, default=5000, help="records per transaction on the batched path")
    parser.add_argument("--naive-sample", type=int, default=5000, help="elements written by the naive baseline")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--writes-only", action="store_true", help="leave out the queries and the naive baseline")
    parser.add_argument("--no-bulk", action="store_true", help="leave out the bulk import")
    parser.add_argument("--copies", type=int, default=1, help="write this many disjoint copies of the graph")
    args = parser.parse_args()
    ensure_graph(args.graph)
    with args.graph.open(encoding="utf-8") as handle:
        records = replicate(list(parse_lines(handle, str(args.graph))), args.copies)
    elements = sum(1 for r in records if r["kind"] in ("node", "edge"))

    with tempfile.TemporaryDirectory() as home, running_child(Path(home)) as server:
        uri = server.uri
        store = Neo4jStore(uri)
        cold_seconds = timed_import(store, records, args.batch, "batched writes, cold server")
        wipe(uri)
        warm_seconds = timed_import(store, records, args.batch, "batched writes, warm server")
        loaded = store.stats()
        print(f"batched: {elements:,} elements, cold {cold_seconds:.1f} s = {elements / cold_seconds:,.0f}/s, "
              f"warm {warm_seconds:.1f} s = {elements / warm_seconds:,.0f}/s; started in {server.startup_seconds:.1f} s",
              flush=True)
        if not args.writes_only:
            hood, paths = timed_queries(store, args.queries)
        store.close()
        if not args.writes_only:
            wipe(uri)
            naive_elements, naive_seconds = timed_naive(uri, records, args.naive_sample)

    with tempfile.TemporaryDirectory() as home, running_child(Path(home)) as floor_server:
        floor_cold = timed_floor(floor_server.uri, records, args.batch)
        wipe(floor_server.uri)
        floor_warm = timed_floor(floor_server.uri, records, args.batch)
        wipe(floor_server.uri)
        floor_keys = timed_floor(floor_server.uri, records, args.batch, keys=True)

    print(f"graph of {args.graph.name}: {loaded['total_nodes']:,} nodes, {loaded['total_relationships']:,} relationships, "
          f"{loaded['narratives']:,} narratives; local Neo4j started in {server.startup_seconds:.1f} s\n")
    print("| write path | elements | seconds | elements/s |")
    print("|---|---|---|---|")
    for label, seconds in ((f"batched adapter, cold server ({args.batch} records per transaction)", cold_seconds),
                           (f"batched adapter, warm server ({args.batch} records per transaction)", warm_seconds),
                           ("reference: plain CREATE of prepared rows, no checks, cold server", floor_cold),
                           ("reference: plain CREATE of prepared rows, no checks, warm server", floor_warm),
                           ("reference: plain CREATE with the search keys too, no checks, warm server", floor_keys)):
        print(f"| {label} | {elements:,} | {seconds:.1f} | {elements / seconds:,.0f} |")
    if not args.writes_only:
        naive_rate = naive_elements / naive_seconds
        print(f"| naive: one statement per element (sample, warm server) | {naive_elements:,} | {naive_seconds:.1f} | {naive_rate:,.0f} |")
    floor_line = (f"\nratio (batched / plain-CREATE floor elements per second): {floor_cold / cold_seconds:.2f}x cold, "
                  f"{floor_warm / warm_seconds:.2f}x warm (target 0.8x); against the floor with the search keys, "
                  f"warm: {floor_keys / warm_seconds:.2f}x")
    if args.no_bulk:
        print(floor_line)
        return

    bulk = timed_bulk(records)
    report = bulk["report"]
    bulk_seconds = report.csv_seconds + report.import_seconds
    bulk_total = bulk_seconds + bulk["start_seconds"] + bulk["index_seconds"]
    same = {k: bulk["stats"][k] for k in ("nodes", "relationships", "narratives")} == \
        {k: loaded[k] for k in ("nodes", "relationships", "narratives")}
    print(f"| bulk: CSV files ({report.csv_seconds:.1f} s) + Neo4j import tool ({report.import_seconds:.1f} s), "
          f"server stopped | {report.elements:,} | {bulk_seconds:.1f} | {report.elements / bulk_seconds:,.0f} |")
    print(f"| bulk end to end: + server start ({bulk['start_seconds']:.1f} s) + schema, indexes online "
          f"({bulk['index_seconds']:.1f} s) | {report.elements:,} | {bulk_total:.1f} | {report.elements / bulk_total:,.0f} |")
    print(floor_line)
    print(f"\nbulk graph equals the batched one (counts per label and type): {same}")
    print(f"ratio (bulk / batched elements per second), import: {cold_seconds / bulk_seconds:.1f}x cold, "
          f"{warm_seconds / bulk_seconds:.1f}x warm; end to end: {cold_seconds / bulk_total:.1f}x cold, "
          f"{warm_seconds / bulk_total:.1f}x warm (target 5x)")
    if args.writes_only:
        return
    print(f"\nratio (batched / naive elements per second): cold {elements / cold_seconds / naive_rate:.1f}, "
          f"warm {elements / warm_seconds / naive_rate:.1f}\n")
    print("| query | n | p50 (ms) | p99 (ms) |")
    print("|---|---|---|---|")
    print(f"| neighbourhood, depth 2, limit 500 | {len(hood)} | {statistics.median(hood):.1f} | {percentile(hood, 0.99):.1f} |")
    print(f"| shortest path between two people | {len(paths)} | {statistics.median(paths):.1f} | {percentile(paths, 0.99):.1f} |")
    print(json.dumps({"startup_seconds": server.startup_seconds}))


if __name__ == "__main__":
    main()
