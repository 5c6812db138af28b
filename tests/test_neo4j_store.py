"""The Neo4j adapter against a real Neo4j: hostile values, an unreachable server, a transient error, a
launcher killed in the middle of an ingest."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph import pipeline
from graph.build import NarrativeMeta
from graph.stores.neo4j import Neo4jStore
from graph.stores.protocol import NarrativeInput, StoreError
from nlp.extract import content_hash
from nlp.extraction import Entity, Evidence, Extraction, Relation
from nlp.identifiers import clean_display_name
from tests.faulty_proxy import FaultyProxy
from tests.stores import KINDS, fresh_store, wipe_neo4j
from tests.test_graph_ingest import all_consented

ROOT = Path(__file__).resolve().parents[1]
SIGHTLINE = [sys.executable, "-m", "cli.main"]
HOSTILE_NAMES = ['"}) DETACH DELETE n //', "O'Brien`) MATCH (m) DETACH DELETE m //", "Robert'); DROP TABLE nodes;--",
                 "\u202eevil\u202c Name", "Zoë \u200bZero\u200dWidth", "$param {id: 1}"]


def hostile_input(index: int, name: str) -> NarrativeInput:
    """A narrative whose person and email are hostile strings, written as an extraction would give them."""
    email = f"x'`{index}\"@evil.example"
    text = f"{name} uses {email} every day."
    sentence = Evidence(text, 0, len(text), 0.8)
    entities = [Entity("e0", 0, len(name), "PERSON", name, name, 0.9, "model:PERSON"),
                Entity("e1", len(name) + 6, len(name) + 6 + len(email), "EMAIL", email, email, 0.9, "rule:identifier")]
    extraction = Extraction(f"h{index}", "en", True, False, entities,
                            [Relation("USES_EMAIL", "e0", "e1", sentence)])
    return NarrativeInput(extraction, NarrativeMeta(f"h{index}'`\"}})"), text, content_hash(text))


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_values_are_data_not_code(kind: str, tmp_path: Path, neo4j_uri: str) -> None:
    store = fresh_store(kind, tmp_path, neo4j_uri)
    pipeline.write(store, [hostile_input(0, "Maria Benign")])
    before = store.stats()
    pipeline.write(store, [hostile_input(i + 1, name) for i, name in enumerate(HOSTILE_NAMES)])
    after = store.stats()
    assert after["narratives"] == 1 + len(HOSTILE_NAMES)
    assert after["nodes"]["Person"] == before["nodes"]["Person"] + len(HOSTILE_NAMES)  # nothing was deleted
    assert after["nodes"]["Email"] == 1 + len(HOSTILE_NAMES)
    for name in HOSTILE_NAMES:
        found = [n for n in store.list_nodes("Person", limit=100) if n.name == clean_display_name(name)]
        assert len(found) == 1, name  # stored as the extraction gave it, quotes and all that survive cleaning
        detail = store.node(found[0].id)
        assert detail is not None and any(e.type == "USES_EMAIL" for e in detail.edges)
    assert store.search('x\'`3"@evil.example')[0].label == "Email"
    store.close()


def test_unreachable_neo4j_is_a_clear_error_naming_the_uri(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"bolt://127\.0\.0\.1:1\b"):
        Neo4jStore("bolt://127.0.0.1:1")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "n1", "text": "Marek Kowalski took our passports in Leicester."}) + "\n")
    result = subprocess.run([*SIGHTLINE, "ingest", str(source)], capture_output=True, text=True, cwd=ROOT, timeout=300,
                            env={**os.environ, "SIGHTLINE_HOME": str(tmp_path / "home"), "SIGHTLINE_STORE": "neo4j",
                                 "SIGHTLINE_NEO4J_URI": "bolt://127.0.0.1:1"})
    assert result.returncode == 1
    assert "bolt://127.0.0.1:1" in result.stderr and "Traceback" not in result.stderr


def test_a_transient_error_mid_batch_is_retried(tmp_path: Path, neo4j_uri: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """The connection drops after the batch's nodes are written and before its relationships are: the
    driver retries the whole batch in a new transaction, and the graph holds it exactly once."""
    wipe_neo4j(neo4j_uri)
    proxy = FaultyProxy(neo4j_uri)
    store = Neo4jStore(proxy.uri)
    try:
        pipeline.write(store, [hostile_input(0, "Maria Benign")])
        proxy.arm(b"WHERE stored.id = row.id")  # the relationships statement (edges_put)
        with caplog.at_level(logging.WARNING, logger="neo4j"):
            result = pipeline.write(store, [hostile_input(1, "Ioana Second"), hostile_input(2, "Elena Third")])
        assert proxy.cuts == 1
        assert any("retried" in r.getMessage() for r in caplog.records)
        assert result.written == ["h1'`\"})", "h2'`\"})"]
        stats = store.stats()
        assert stats["narratives"] == 3 and stats["nodes"]["Person"] == 3
        assert stats["relationships"]["USES_EMAIL"] == 3 and stats["relationships"]["MENTIONED_IN"] == 6
    finally:
        store.close()
        proxy.close()


def shared_input(index: int) -> NarrativeInput:
    """The same person and email in every narrative: each write adds evidence to the same relationship."""
    name, email = "Marek Kowalski", "marek.k@evil.example"
    text = f"Statement {index}: {name} used {email} to recruit us."
    sentence = Evidence(text, 0, len(text), 0.8)
    start = text.index(name)
    entities = [Entity("e0", start, start + len(name), "PERSON", name, name, 0.9, "model:PERSON"),
                Entity("e1", text.index(email), text.index(email) + len(email), "EMAIL", email, email, 0.9,
                       "rule:identifier")]
    extraction = Extraction(f"c{index}", "en", True, False, entities, [Relation("USES_EMAIL", "e0", "e1", sentence)])
    return NarrativeInput(extraction, NarrativeMeta(f"c{index}"), text, content_hash(text))


def test_concurrent_writers_lose_no_evidence(neo4j_uri: str) -> None:
    """Two stores (as two API or ingestion processes would) write narratives about the same person at once.
    Each batch reads the stored relationship's evidence and writes it back extended; without the write lock
    one writer's evidence would overwrite the other's."""
    wipe_neo4j(neo4j_uri)
    stores = [Neo4jStore(neo4j_uri), Neo4jStore(neo4j_uri)]
    try:
        def work(which: int) -> None:
            for i in range(which, 24, 2):
                pipeline.write(stores[which], [shared_input(i)])

        threads = [threading.Thread(target=work, args=(w,)) for w in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stats = stores[0].stats()
        assert stats["narratives"] == 24
        uses = [e for e in stores[0].project().edges(data=True) if e[2].get("type") == "USES_EMAIL"]
        narratives = {ref["narrative"] for _, _, data in uses for ref in data["evidence"]}
        assert len(narratives) == 24, f"evidence of {24 - len(narratives)} narratives lost"
    finally:
        for store in stores:
            store.close()


_SCANS = {"AllNodesScan", "NodeByLabelScan", "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
          "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan"}
# The statements the write path runs per row or per node, with parameters of the shapes the store sends
# (node_history, which looks a node up among analysts' decisions and merges, is left out: it scans :Decision
# and :Merged, small bookkeeping labels, and runs only when a deletion or correction removes a node).
_WRITE_PATH = {
    "nodes_get": {"ids": ["n"]},
    "nodes_put": {"rows": [{"id": "n", "label": "Person", "name": "N", "props": "{}", "kind": None, "value": None,
                            "source_id": None, "content_hash": None, "keys": ["t:n"]}]},
    "keys_drop": {"ids": ["n"]},
    "narrative_add": {"rows": [{"node_id": "n", "ingested_at": "2026-01-01T00:00:00Z"}]},
    "edges_get": {"rows": [{"id": "e", "source": "n"}]},
    "edges_put": {"rows": [{"id": "e", "type": "KNOWS", "source": "n", "target": "m", "props": "{}",
                            "evidence": "[]"}]},
    "edges_delete": {"rows": [{"id": "e", "source": "n"}]},
    "edges_touching": {"id": "n"},
    "edges_with_evidence": {"ids": ["n"], "needle": "x"},
    "node_delete": {"id": "n"},
    "person_candidates": {"keys": ["b:n"], "limit": 10, "common": 5},
    "narrative_by_hash": {"hash": "h"},
    "narrative_by_source": {"source_id": "s"},
    "narrative_record": {"hash": "h"},
    "narrative_records": {"ids": ["s"]},
}


def test_write_path_statements_never_scan_a_label(tmp_path: Path, neo4j_uri: str) -> None:
    """Each of these runs inside every write, once per row: a plan that scans a label or the relationship
    store makes an import quadratic (narrative_add once matched on :Narrative, which has no id index, and
    spent 25 to 50 s of a 10k-narrative import scanning it). Checked on a populated graph, whose statistics
    are what the planner sees in use."""
    from graph.stores.cypher_files import statement

    store = fresh_store("neo4j", tmp_path, neo4j_uri)
    pipeline.write(store, [hostile_input(i, f"Person Number{i}") for i in range(20)])
    store.close()

    def operators(plan: dict) -> set[str]:
        found = {plan["operatorType"].split("@")[0]}
        for child in plan.get("children", []):
            found |= operators(child)
        return found

    with GraphDatabase.driver(neo4j_uri, auth=None) as driver, driver.session() as session:
        for name, params in _WRITE_PATH.items():
            plan = session.run("EXPLAIN " + statement(name), params).consume().plan
            assert not operators(plan) & _SCANS, f"{name} scans: {sorted(operators(plan) & _SCANS)}"


def _count_narratives(uri: str) -> int:
    try:
        with GraphDatabase.driver(uri, auth=None, connection_timeout=2) as driver:
            return driver.execute_query("MATCH (n:Narrative) WHERE n.ingested_at IS NOT NULL RETURN count(n) AS c"
                                        ).records[0]["c"]
    except Exception:  # noqa: BLE001 - the server may be starting or gone: no count yet
        return -1


def test_killing_neo4j_mid_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "SIGHTLINE_HOME": str(home), "SIGHTLINE_STORE": "neo4j", "SIGHTLINE_INGEST_BATCH": "8"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*SIGHTLINE, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)

    corpus = tmp_path / "corpus.jsonl"
    assert cli("generate", "--narratives", "80", "--seed", "5", "-o", str(corpus)).returncode == 0
    all_consented(corpus)
    started = cli("neo4j", "start")
    assert started.returncode == 0, started.stderr
    try:
        status = json.loads(cli("neo4j", "status", "--json").stdout)
        uri, pid = status["uri"], status["pid"]
        ingest = subprocess.Popen([*SIGHTLINE, "ingest", str(corpus)], cwd=ROOT, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 300
        while _count_narratives(uri) < 16 and time.monotonic() < deadline and ingest.poll() is None:
            time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)
        _, err = ingest.communicate(timeout=300)
        assert ingest.returncode == 1, err
        assert "Traceback" not in err and "Neo4j" in err
        restarted = cli("neo4j", "start")  # recovers the store from its transaction log
        assert restarted.returncode == 0, restarted.stderr
        again = cli("ingest", str(corpus))
        assert again.returncode == 0, again.stderr
        uri = json.loads(cli("neo4j", "status", "--json").stdout)["uri"]
        with GraphDatabase.driver(uri, auth=None) as driver:
            rows = driver.execute_query("MATCH (n:Narrative) RETURN n.source_id AS id, n.ingested_at AS at").records
            evidence = driver.execute_query("MATCH ()-[r]->() WHERE r.evidence IS NOT NULL RETURN r.evidence AS e").records
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)) == 80 and all(r["at"] for r in rows)  # none lost, none twice, all whole
        cited = {e["narrative"] for r in evidence for e in json.loads(r["e"])}
        assert cited <= set(ids)
    finally:
        cli("neo4j", "stop")
