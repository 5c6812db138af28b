"""The import path builds Neo4j rows straight from records; the model path from model objects. Both must
give the same text: ``edges_with_evidence`` searches it, and a graph imported must equal one ingested."""

from __future__ import annotations

from typing import Any

from graph import model as m
from graph.stores.neo4j_rows import edge_record_row, edge_row, load_rows, node_key_rows
from graph.stores.search_index import search_keys
from graph.stores.transfer import record_batch

_EVIDENCE: list[dict[str, Any]] = [
    {"narrative": "gen-2", "sentence": "Zoë paid “Café Ünal” €300.", "start": 40, "end": 52, "confidence": 0.9},
    {"narrative": "gen-1", "sentence": "He was recruited in Chișinău.", "start": 7, "end": 19, "confidence": 0.5},
    {"narrative": "gen-1", "sentence": "Again, in Chișinău.", "start": 3, "end": 9, "confidence": 0.75},
]
_RECORDS: list[dict[str, Any]] = [
    {"kind": "node", "id": "person:1", "label": m.PERSON, "name": "Zoë Ünal",
     "props": {"aliases": ["Zoe Unal"], "role": "victim"}},
    {"kind": "node", "id": "narrative:1", "label": m.NARRATIVE, "name": "gen-1",
     "props": {"source_id": "gen-1", "content_hash": "h1", "date": None}},
    {"kind": "narrative", "source_id": "gen-1", "node": "narrative:1", "content_hash": "h1", "ingested_at": "t"},
    {"kind": "edge", "id": "PAID:1", "type": "PAID", "source": "person:1", "target": "narrative:1",
     "props": {"amount": "€300", "currency": "EUR"}, "evidence": _EVIDENCE},
    {"kind": "edge", "id": "KNOWS:1", "type": "KNOWS", "source": "person:1", "target": "person:1", "props": {},
     "evidence": []},
    {"kind": "merged", "old": "person:0", "new": "person:1"},
]


def test_rows_from_records_equal_rows_from_model_objects() -> None:
    batch = record_batch(_RECORDS)
    rows = load_rows(_RECORDS)
    assert rows.edges == [edge_row(e) for e in batch.edges]
    assert [edge_record_row(r) for r in _RECORDS if r["kind"] == "edge"] == rows.edges
    assert rows.nodes == node_key_rows(batch.nodes)
    assert rows.nodes[0]["keys"] == sorted(search_keys(batch.nodes[0])) and rows.nodes[0]["keys"]
    assert rows.narratives == [{"node_id": "narrative:1", "ingested_at": "t"}]
    assert rows.merged == [("person:0", "person:1")]
    # evidence in the embedded store's order (narrative, span), non-ASCII kept as is
    assert rows.edges[0]["evidence"].index("Again") < rows.edges[0]["evidence"].index("recruited") \
        < rows.edges[0]["evidence"].index("Zoë")
    assert rows.edges[1]["props"] == "{}" and rows.edges[1]["evidence"] == "[]"
