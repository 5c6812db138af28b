"""Both stores, fed the same extractions, hold the same graph and give the same analysis and report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import pipeline
from graph.analysis import analyse
from graph.stores.protocol import GraphStore, NarrativeInput
from intake.sources import open_source
from nlp import Extractor
from nlp.extract import content_hash
from reports.render import render_report
from tests.stores import KINDS, fresh_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor, neo4j_uri: str) -> Iterator[dict[str, GraphStore]]:
    submissions = list(open_source(SAMPLES).submissions(200_000))
    extractions = list(extractor.extract_many([narrative for narrative, _ in submissions]))
    inputs = [NarrativeInput(x, meta, narrative.text, content_hash(narrative.text))
              for x, (narrative, meta) in zip(extractions, submissions, strict=True)]
    opened = {}
    for kind in KINDS:
        store = fresh_store(kind, tmp_path_factory.mktemp(kind), neo4j_uri)
        for i in range(0, len(inputs), 16):
            pipeline.write(store, inputs[i:i + 16])
        opened[kind] = store
    yield opened
    for store in opened.values():
        store.close()


def _canonical(graph: object) -> tuple[list[str], list[str]]:
    nodes = sorted(json.dumps([n, d], sort_keys=True) for n, d in graph.nodes(data=True))  # type: ignore[attr-defined]
    edges = sorted(json.dumps([u, v, k, d], sort_keys=True) for u, v, k, d in graph.edges(keys=True, data=True))  # type: ignore[attr-defined]
    return nodes, edges


def test_same_stats(stores: dict[str, GraphStore]) -> None:
    assert stores["sqlite"].stats() == stores["neo4j"].stats()
    assert stores["sqlite"].stats()["narratives"] == 64


def test_same_projection_node_for_node(stores: dict[str, GraphStore]) -> None:
    assert _canonical(stores["sqlite"].project()) == _canonical(stores["neo4j"].project())


def test_same_communities_and_report(stores: dict[str, GraphStore], tmp_path: Path) -> None:
    results = {kind: analyse(store.project(), seed=7) for kind, store in stores.items()}
    assert results["sqlite"].to_json() == results["neo4j"].to_json()
    reports = {}
    for kind, store in stores.items():
        paths = render_report(results[kind], store.project(), tmp_path / kind, pseudonym_key="parity", formats=("md",))
        reports[kind] = paths["md"].read_text(encoding="utf-8")
    assert reports["sqlite"] == reports["neo4j"]


def test_same_stats_from_the_command_line(stores: dict[str, GraphStore], neo4j_uri: str, tmp_path: Path) -> None:
    sqlite_home = tmp_path / "sqlite-home"
    from graph.stores.transfer import export_lines

    (sqlite_home).mkdir()
    dump = tmp_path / "graph.jsonl"
    dump.write_text("\n".join(export_lines(stores["sqlite"])) + "\n", encoding="utf-8")
    base = {**os.environ, "SIGHTLINE_HOME": str(sqlite_home)}

    def cli(*args: str, **env: str) -> str:
        result = subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                                env={**base, **env}, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    cli("import", str(dump))  # the SQLite graph, moved into a new SQLite store by the CLI
    on_sqlite = json.loads(cli("stats", "--json"))
    on_neo4j = json.loads(cli("stats", "--json", SIGHTLINE_STORE="neo4j", SIGHTLINE_NEO4J_URI=neo4j_uri))
    assert on_sqlite == on_neo4j == stores["sqlite"].stats()


def test_sqlite_graph_imports_into_neo4j_without_loss(stores: dict[str, GraphStore], neo4j_uri: str) -> None:
    """Last in this module: it replaces the Neo4j graph with an import of the SQLite one."""
    from graph.stores.transfer import export_lines, load_batches, parse_lines
    from tests.stores import wipe_neo4j

    lines = list(export_lines(stores["sqlite"]))
    wipe_neo4j(neo4j_uri)
    records = list(parse_lines(lines, "export"))
    written: list[int] = []
    load_batches(stores["neo4j"], records, 700, written.append)  # the next batch prepared while one is written
    assert written == [len(records[i:i + 700]) for i in range(0, len(records), 700)]
    assert stores["neo4j"].stats() == stores["sqlite"].stats()
    assert list(export_lines(stores["neo4j"])) == lines  # ids, properties, evidence: record for record
    load_batches(stores["neo4j"], records, 300)  # again, cut differently: nothing changes
    assert list(export_lines(stores["neo4j"])) == lines
    narrative = next(r for r in records if r["kind"] == "narrative")
    assert stores["neo4j"].has_narrative(narrative["content_hash"])
