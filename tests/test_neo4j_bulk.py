"""``sightline import --bulk``: Neo4j's own import tool writes what the transactional import would, on a real Neo4j.

One small generated graph (awkward strings, a node written twice, a merge chain, a relationship to a node
that does not exist) is imported transactionally into the session's Neo4j and with ``--bulk`` into a new
local Neo4j; both must hold the same graph, node for node and property for property, search keys included.
Then one increment goes through the normal path on each, and they must still agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

from graph.corrections import CorrectionLog
from graph.decisions import DecisionLog
from graph.neo4j_local.config import LocalNeo4j
from graph.neo4j_local.server import local_uri, stop
from graph.stores.bulk_import import BulkImportError, bulk_import_local
from graph.stores.neo4j import Neo4jStore
from graph.stores.transfer import load_batches, parse_lines
from tests.stores import wipe_neo4j

ROOT = Path(__file__).resolve().parents[1]
AWKWARD = ['O"Brien, Séan; "the boss"', "", "line one\nline two", "back\\slash 'quoted'", "  spaced  ", "Łódź ☎"]


def _evidence(narrative: str, i: int) -> list[dict[str, Any]]:
    return [{"narrative": narrative, "sentence": f'Sentence {i}, with "quotes"\nand a break.', "start": i,
             "end": i + 5, "confidence": 0.5 + i % 5 / 10}]


def _graph(people: int = 24) -> list[dict[str, Any]]:
    """Records as `sightline export --format graph` writes them, in the order it writes them."""
    records: list[dict[str, Any]] = []
    for i in range(people):
        name = AWKWARD[i] if i < len(AWKWARD) else f"Person {i} Varga"
        records.append({"kind": "node", "id": f"person:{i:03d}", "label": "Person", "name": name,
                        "props": {"aliases": [f"P{i}"], "roles": ["victim" if i % 3 else "recruiter"]}})
        records.append({"kind": "node", "id": f"phone:{i:03d}", "label": "Phone", "name": f"+4474001{i:05d}",
                        "props": {"value": f"+4474001{i:05d}"}})
    records.append({"kind": "node", "id": "person:000", "label": "Person", "name": "Tomas Varga",
                    "props": {"aliases": ["Tom"], "roles": ["recruiter"]}})  # written again: the last one stays
    records.append({"kind": "node", "id": "organization:car-wash", "label": "Organization",
                    "name": "Sparkle Hand Car Wash", "props": {"kind": "business"}})
    narratives = [f"gen-{n:03d}" for n in range(4)]
    for n, source in enumerate(narratives):
        records.append({"kind": "node", "id": f"narrative:{n:03d}", "label": "Narrative", "name": source,
                        "props": {"source_id": source, "content_hash": f"{n:064x}"}})
    for n, source in enumerate(narratives[:3]):  # the fourth was never fully written
        records.append({"kind": "narrative", "source_id": source, "node": f"narrative:{n:03d}",
                        "content_hash": f"{n:064x}", "ingested_at": f"2026-12-05T10:0{n}:00+00:00"})
    for i in range(people):
        source = narratives[i % 3]
        records.append({"kind": "edge", "id": f"USES_PHONE:{i:03d}", "type": "USES_PHONE", "source": f"person:{i:03d}",
                        "target": f"phone:{i:03d}", "props": {}, "evidence": _evidence(source, i)})
        records.append({"kind": "edge", "id": f"RECRUITED:{i:03d}", "type": "RECRUITED",
                        "source": f"person:{i:03d}", "target": f"person:{(i * 7 + 1) % people:03d}",
                        "props": {"weight": i}, "evidence": _evidence(source, i + 1)})
        records.append({"kind": "edge", "id": f"MENTIONED_IN:{i:03d}", "type": "MENTIONED_IN",
                        "source": f"person:{i:03d}", "target": f"narrative:{i % 3:03d}", "props": {},
                        "evidence": _evidence(source, i + 2)})
    records.append({"kind": "edge", "id": "WORKED_AT:x", "type": "WORKED_AT", "source": "person:001",
                    "target": "organization:nowhere", "props": {}, "evidence": []})  # no such node: not written
    records.append({"kind": "merged", "old": "person:900", "new": "person:901"})
    records.append({"kind": "merged", "old": "person:901", "new": "person:002"})  # re-points person:900
    return records


def _increment() -> list[dict[str, Any]]:
    return [{"kind": "node", "id": "person:new", "label": "Person", "name": "Ion Popescu",
             "props": {"aliases": [], "roles": ["controller"]}},
            {"kind": "edge", "id": "CONTROLLED:new", "type": "CONTROLLED", "source": "person:new",
             "target": "person:003", "props": {}, "evidence": _evidence("gen-003", 9)},
            {"kind": "edge", "id": "USES_PHONE:001", "type": "USES_PHONE", "source": "person:001",
             "target": "phone:001", "props": {}, "evidence": _evidence("gen-001", 1) + _evidence("gen-003", 4)}]


def _snapshot(uri: str) -> dict[str, Any]:
    """Everything the store keeps, bookkeeping included, except the write lock's timestamp."""
    with GraphDatabase.driver(uri, auth=None) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n) WHERE NOT n:WriteLock RETURN labels(n) AS labels, properties(n) AS props")
        rels, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.id, a.key) AS a, b.id AS b, properties(r) AS props")
    return {"nodes": sorted(json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True) for r in nodes),
            "relationships": sorted(json.dumps([r["type"], r["a"], r["b"], r["props"]], sort_keys=True) for r in rels)}


def _sightline(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIGHTLINE_HOME": str(home), "SIGHTLINE_STORE": "neo4j"}
    env.pop("SIGHTLINE_NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "cli.main", *args], check=False, capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=600)


def test_bulk_load_equals_transactional_and_takes_increments(tmp_path: Path, neo4j_uri: str) -> None:
    export = tmp_path / "graph.jsonl"
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _graph()), encoding="utf-8")
    with export.open(encoding="utf-8") as handle:
        records = list(parse_lines(handle, str(export)))

    wipe_neo4j(neo4j_uri)
    store = Neo4jStore(neo4j_uri, decisions=DecisionLog(tmp_path), corrections=CorrectionLog(tmp_path))
    try:
        load_batches(store, records, 11)  # small transactions: the order of records across them matters
        expected_dump, expected = list(store.dump()), _snapshot(neo4j_uri)
        store.load(_increment())
        expected_after = list(store.dump())
    finally:
        store.close()
        wipe_neo4j(neo4j_uri)

    home = tmp_path / "home"
    done = _sightline(home, "import", str(export), "--bulk")
    assert done.returncode == 0, done.stderr
    uri = local_uri(home)
    try:
        assert uri is not None, "the local Neo4j runs after a bulk import"
        bulk = Neo4jStore(uri, decisions=DecisionLog(home), corrections=CorrectionLog(home))
        try:
            assert list(bulk.dump()) == expected_dump
            assert _snapshot(uri) == expected
            assert [n.id for n in bulk.search("Tomas Varga")] == ["person:000"]
            assert [n.id for n in bulk.search("+447400100005")] == ["phone:005"]
            bulk.load(_increment())  # the normal, transactional path on the bulk-loaded database
            assert list(bulk.dump()) == expected_after
        finally:
            bulk.close()
        with pytest.raises(BulkImportError, match="already holds a graph"):  # and it was left running
            bulk_import_local(records, LocalNeo4j(home, 0, "512m", "64m"))
        assert local_uri(home) == uri
    finally:
        stop(home)


def test_bulk_needs_the_local_neo4j(tmp_path: Path) -> None:
    export = tmp_path / "graph.jsonl"
    export.write_text(json.dumps(_graph(2)[0]) + "\n", encoding="utf-8")
    env = {**os.environ, "SIGHTLINE_HOME": str(tmp_path), "SIGHTLINE_STORE": "sqlite"}
    done = subprocess.run([sys.executable, "-m", "cli.main", "import", str(export), "--bulk"], check=False, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode != 0
    assert "SIGHTLINE_STORE=neo4j" in done.stderr and "Traceback" not in done.stderr
