"""The Neo4j store's statement parameters: model objects and import records as the rows its writes take.

Kept apart from ``graph.stores.neo4j`` because the import path builds them for a whole graph (311k rows for
the 10,000-narrative benchmark) on a second thread while Neo4j writes the previous batch: on a two-core
machine that client work competes with the server for CPU, so the rows are built straight from the
import records' dicts (no model object per relationship and per evidence span) and JSON is encoded by
encoders made once instead of one per ``json.dumps`` call. The text is exactly what the model path
writes: ``edges_with_evidence`` searches it and the bulk import (``graph.stores.bulk_import``) writes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph import model as m
from graph.stores.search_index import search_keys

_JSON_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # what json.dumps(..., sort_keys=True) gives
_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _props_text(props: dict[str, Any]) -> str:
    return _JSON_SORTED(props) if props else "{}"


def node_row(node: m.Node) -> dict[str, Any]:
    props = node.props
    narrative = node.label == m.NARRATIVE
    return {"id": node.id, "label": node.label, "name": node.name, "props": _props_text(props),
            "kind": props.get("kind"), "value": props.get("value"),
            "source_id": props.get("source_id") if narrative else None,
            "content_hash": props.get("content_hash") if narrative else None}


def edge_row(edge: m.Edge) -> dict[str, Any]:
    # in the order the embedded store reads its evidence table in, whatever order it was gathered in
    evidence = [e.to_dict() for e in sorted(edge.evidence, key=lambda e: (e.narrative, e.start, e.end))]
    return {"id": edge.id, "type": edge.type, "source": edge.source, "target": edge.target,
            "props": _props_text(edge.props), "evidence": _JSON(evidence)}


def _span(evidence: dict[str, Any]) -> tuple[str, int, int]:
    return (evidence["narrative"], evidence["start"], evidence["end"])


def edge_record_row(record: dict[str, Any]) -> dict[str, Any]:
    """``edge_row`` of an import record's edge, from its dicts: each evidence span in
    ``EvidenceRef.to_dict``'s key order, so the text is the same whichever way the edge arrived."""
    evidence = [{"narrative": e["narrative"], "sentence": e["sentence"], "start": e["start"], "end": e["end"],
                 "confidence": e["confidence"]} for e in sorted(record["evidence"], key=_span)]
    return {"id": record["id"], "type": record["type"], "source": record["source"], "target": record["target"],
            "props": _props_text(record["props"]), "evidence": _JSON(evidence)}


def key_rows(nodes: Sequence[m.Node]) -> list[dict[str, str]]:
    """One row per node and search key (what ``graph.stores.bulk_import`` writes as ``KEY_OF``)."""
    return [{"node": n.id, "key": k} for n in nodes for k in sorted(search_keys(n))]


def node_key_rows(nodes: Sequence[m.Node]) -> list[dict[str, Any]]:
    """``node_row`` with the node's search keys as a list: ``nodes_put`` writes a node and its keys in one
    statement, one row per node rather than one per key (a fifth fewer seconds for the nodes of an import)."""
    return [{**node_row(n), "keys": sorted(search_keys(n))} for n in nodes]


def narrative_rows(rows: Sequence[tuple[str, str, str, str]]) -> list[dict[str, str]]:
    return [{"node_id": node, "ingested_at": at} for _, node, _, at in rows]


@dataclass(frozen=True, slots=True)
class LoadRows:
    """An import batch as statement parameters, built before its transaction opens (``load_rows``)."""

    nodes: list[dict[str, Any]]  # with their search keys (``node_key_rows``)
    narratives: list[dict[str, str]]
    edges: list[dict[str, Any]]
    merged: list[tuple[str, str]]


def load_rows(records: Sequence[dict[str, Any]]) -> LoadRows:
    """``graph.stores.transfer.record_batch`` and the rows of each kind in one pass, in the records' order."""
    nodes: list[m.Node] = []
    narratives: list[dict[str, str]] = []
    edges: list[dict[str, Any]] = []
    merged: list[tuple[str, str]] = []
    for record in records:
        kind = record["kind"]
        if kind == "edge":
            edges.append(edge_record_row(record))
        elif kind == "node":
            nodes.append(m.Node(record["id"], record["label"], record["name"], record["props"]))
        elif kind == "narrative":
            narratives.append({"node_id": record["node"], "ingested_at": record["ingested_at"]})
        else:
            merged.append((record["old"], record["new"]))
    return LoadRows(nodes=node_key_rows(nodes), narratives=narratives, edges=edges, merged=merged)
