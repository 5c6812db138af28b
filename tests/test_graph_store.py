"""The store contract: the same test functions against the embedded SQLite store and a real Neo4j,
with the real spaCy model on the real samples. Every test talks to the store only through the
``GraphStore`` interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import connections
from graph import model as m
from graph.pipeline.ingest import ingest
from graph.stores.factory import open_store
from graph.stores.protocol import GraphStore
from intake.sources import open_source
from nlp import Extractor
from tests.stores import KINDS, fresh_store

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture(scope="module", params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          extractor: Extractor) -> Iterator[GraphStore]:
    home = tmp_path_factory.mktemp("home")
    uri = request.getfixturevalue("neo4j_uri") if request.param == "neo4j" else None
    opened = fresh_store(request.param, home, uri)
    report = ingest(open_source(SAMPLES).submissions(200_000), opened, extractor, batch_size=16)
    assert len(report.written) == 64 and not report.skipped
    yield opened
    opened.close()


def test_stats_count_every_label_and_type(store: GraphStore) -> None:
    stats = store.stats()
    assert stats["narratives"] == 64
    assert stats["nodes"][m.NARRATIVE] == 64
    for label in (m.PERSON, m.LOCATION, m.ORGANIZATION, m.PHONE, m.EMAIL, m.BANK_ACCOUNT, m.CRYPTO_WALLET):
        assert stats["nodes"].get(label, 0) > 0, label
    for type_ in (m.MENTIONED_IN, m.TRAVELLED, m.USES_PHONE, m.LOCATED_IN, m.POSSIBLY_SAME_AS):
        assert stats["relationships"].get(type_, 0) > 0, type_
    assert stats["total_nodes"] == sum(stats["nodes"].values())


def test_identical_identifiers_are_one_node_with_provenance(store: GraphStore) -> None:
    detail = store.node("phone:+40722415386")
    assert detail is not None
    assert detail.node.label == m.PHONE
    # the samples plant this recruiter's phone in ten narratives
    assert {"s001", "s002", "s003", "s015", "s017"} <= set(detail.narratives)
    mention = next(e for e in detail.edges if e.type == m.MENTIONED_IN)
    narrative_text = (SAMPLES / f"{mention.evidence[0].narrative}.txt").read_text(encoding="utf-8")
    span = mention.evidence[0]
    assert narrative_text[span.start:span.end] == span.sentence  # the mention's exact characters
    assert len(store.search("+40 722 415 386")) == 1


def test_ingesting_again_changes_nothing(store: GraphStore, extractor: Extractor) -> None:
    before = store.stats()
    report = ingest(open_source(SAMPLES).submissions(200_000), store, extractor)
    assert not report.written and len(report.skipped) == 64
    assert store.stats() == before


def test_search_by_name_and_identifier(store: GraphStore) -> None:
    people = store.search("munteanu", labels=[m.PERSON])
    assert people and all(p.label == m.PERSON for p in people)
    assert "Munteanu" in people[0].name
    assert store.search("GB82 WEST 1234 5698 7654 32")[0].id == "bankaccount:GB82WEST12345698765432"
    assert store.search("JOBS@EUROSTAFF-SOLUTIONS.EXAMPLE")[0].label == m.EMAIL
    assert store.search("") == []
    assert store.search("zzzz-no-such-thing") == []


def test_people_merge_on_name_plus_shared_identifier(store: GraphStore) -> None:
    munteanu = [p for p in store.list_nodes(m.PERSON, limit=10_000) if p.name == "Andrei Munteanu"]
    phone = store.node("phone:+40722415386")
    assert phone is not None
    # planted in six narratives that also name his phone: resolution joins them into one person
    assert len(munteanu) == 1
    detail = store.node(munteanu[0].id)
    assert detail is not None and len(detail.narratives) >= 5


def test_neighbourhood_and_depth(store: GraphStore) -> None:
    one = store.neighbourhood("phone:+2348031234567", depth=1)
    two = store.neighbourhood("phone:+2348031234567", depth=2)
    ids_one = {n.id for n in one.nodes}
    assert "phone:+2348031234567" in ids_one
    assert any(n.label == m.PERSON for n in one.nodes)
    assert ids_one < {n.id for n in two.nodes}
    assert all(e.type != m.MENTIONED_IN for e in two.edges)
    small = store.neighbourhood("phone:+2348031234567", depth=3, limit=5)
    assert small.truncated and len(small.nodes) <= 5


def test_projection_keeps_model_and_filters(store: GraphStore) -> None:
    graph = store.project()
    assert graph.number_of_nodes() == store.stats()["total_nodes"]
    assert graph.number_of_edges() == store.stats()["total_relationships"]
    _, _, key, data = next((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if d["type"] == m.TRAVELLED)
    assert key.startswith(m.TRAVELLED) and data["route"] and "seq" in data and data["narratives"]
    assert all(set(ev) == {"narrative", "sentence", "start", "end", "confidence"} for ev in data["evidence"])
    people = store.project(labels=[m.PERSON, m.PHONE], types=[m.USES_PHONE])
    assert {d["label"] for _, d in people.nodes(data=True)} == {m.PERSON, m.PHONE}
    assert {d["type"] for _, _, d in people.edges(data=True)} == {m.USES_PHONE}


def test_list_nodes_pages(store: GraphStore) -> None:
    first = store.list_nodes(m.PHONE, limit=3)
    second = store.list_nodes(m.PHONE, limit=3, offset=3)
    assert len(first) == 3 and not {n.id for n in first} & {n.id for n in second}


def test_unknown_node_is_none(store: GraphStore) -> None:
    assert store.node("person:does-not-exist") is None


def test_paths_between_entities_carry_their_evidence(store: GraphStore) -> None:
    [okafor] = [p for p in store.search("Emmanuel Okafor", labels=[m.PERSON]) if p.name == "Emmanuel Okafor"][:1]
    path = connections.shortest_path(store, okafor.id, "phone:+2348031234567")
    assert path is not None and path.nodes[0] == okafor.id and path.nodes[-1] == "phone:+2348031234567"
    assert all(hop.narratives and 0 < hop.confidence <= 1 and hop.type for hop in path.hops)
    paths = connections.all_paths(store, okafor.id, "phone:+2348031234567", cutoff=3, limit=10)
    assert paths and paths[0].length == path.length
    assert all(p.length <= 3 and len(set(p.nodes)) == len(p.nodes) for p in paths)
    lengths = [p.length for p in paths]
    assert lengths == sorted(lengths)
    assert connections.shortest_path(store, okafor.id, "person:does-not-exist") is None


def test_export_import_round_trip_loses_nothing(store: GraphStore, tmp_path: Path) -> None:
    from graph.stores.transfer import export_lines, parse_lines

    lines = list(export_lines(store))
    target = open_store(tmp_path / "copy")
    records = list(parse_lines(lines, "export"))
    for i in range(0, len(records), 500):
        target.load(records[i:i + 500])
    assert target.stats() == store.stats()
    assert list(export_lines(target)) == lines  # same ids, properties and evidence, record for record
    target.load(records)  # importing again changes nothing
    assert list(export_lines(target)) == lines
    narrative = next(r for r in records if r["kind"] == "narrative")
    assert target.has_narrative(narrative["content_hash"])  # re-ingesting into the copy would skip it
