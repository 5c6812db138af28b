"""The graph's own JSON lines, pseudonymised: the shape of the network without the people in it.

``sightline export --format graph`` used to write the store's records as they are (``graph.stores.transfer``),
names, phone numbers and evidence sentences included. That stays the revealed form (an administrator's
backup or a move between stores). By default each record is rewritten through an allowlist, so that a
field added to the model later is left out rather than leaked:

- every id is a keyed pseudonym (an identifier's id carries its value);
- names and values of what ``sharing.disclosure`` hides become pseudonyms; shown ones stay;
- per label, only the properties listed in ``NODE_PROPS`` are kept (a country, a kind, a chain);
  aliases, context lists, mailbox keys and the versions kept for replay go;
- narratives keep their month, language, grading, consent and indicator codes (not the cue or sentence);
- evidence keeps its narrative (as a pseudonym) and confidence, never the sentence or its offsets;
- relationship properties are kept only where they are structure (a route's order, mode, places).

The result still imports (``sightline import``) into an empty store, as a graph of pseudonyms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graph import model as m
from sharing.disclosure import Disclosure
from sharing.pseudonyms import Pseudonymiser

NODE_PROPS = {
    m.LOCATION: ("country",), m.ORGANIZATION: ("kind",), m.PHONE: ("region",), m.CRYPTO_WALLET: ("chain",),
    m.ONLINE_ACCOUNT: ("kind",), m.PERSON: ("narrator",), m.EMAIL: (), m.BANK_ACCOUNT: (),
    m.NARRATIVE: ("language", "grading", "consent"),
}
EDGE_PROPS = {m.TRAVELLED: ("seq", "mode"), m.POSSIBLY_SAME_AS: ("score", "status"), m.MENTIONED_IN: ("sex", "citizenship", "origin")}
CUE_TYPES = frozenset({m.RECRUITED, m.EXPLOITED_AT, m.WORKED_AT, m.CONTROLLED, m.PAID})


class GraphPseudonyms:
    """Pseudonymous ids, names and narrative references for one export."""

    def __init__(self, pseudonyms: Pseudonymiser, shown: Disclosure) -> None:
        self.p = pseudonyms
        self.shown = shown

    def node_id(self, node_id: str) -> str:
        prefix = node_id.split(":", 1)[0]
        return f"{prefix}:{self.p.token('node', node_id).split('-', 1)[1]}"

    def narrative(self, source_id: str) -> str:
        return self.p.token("narrative", source_id)

    def name(self, node_id: str, label: str, name: str) -> str:
        if label == m.NARRATIVE:
            return self.narrative(name)
        return name if self.shown.reveal(node_id) else self.p.token(label.lower(), node_id)


def _node(record: dict[str, Any], gp: GraphPseudonyms) -> dict[str, Any]:
    label, node_id, props = record["label"], record["id"], record.get("props") or {}
    kept: dict[str, Any] = {k: props[k] for k in NODE_PROPS.get(label, ()) if k in props}
    if label in m.IDENTIFIER_NODE_LABELS:
        kept["value"] = gp.name(node_id, label, str(props.get("value") or record["name"]))
    if label == m.PERSON:
        kept["roles"] = {role: sorted(gp.narrative(n) for n in narratives)
                         for role, narratives in (props.get("roles") or {}).items()}
    if label == m.NARRATIVE:
        date = str(props.get("date") or "")
        kept["date"] = date[:7] if len(date) >= 7 else (date[:4] or None)
        kept["source_id"] = gp.narrative(str(props.get("source_id") or record["name"]))
        kept["content_hash"] = gp.p.token("content", str(props.get("content_hash") or "")).split("-", 1)[1]
        kept["indicators"] = [{"category": i.get("category"), "code": i.get("code"), "htcds_value": i.get("htcds_value")}
                              for i in props.get("indicators") or ()]
    return {"kind": "node", "id": gp.node_id(node_id), "label": label,
            "name": gp.name(node_id, label, str(record["name"])), "props": kept}


def _edge(record: dict[str, Any], gp: GraphPseudonyms) -> dict[str, Any]:
    type_, props = record["type"], record.get("props") or {}
    kept: dict[str, Any] = {k: props[k] for k in EDGE_PROPS.get(type_, ()) if k in props and props[k] is not None}
    if type_ in CUE_TYPES and props.get("cue") == "inferred":
        kept["cue"] = "inferred"
    if type_ == m.TRAVELLED:
        kept["route"] = gp.p.token("route", str(props.get("route") or ""))
        kept["origin"] = gp.node_id(props["origin"]) if props.get("origin") else None
        kept["via"] = [gp.node_id(v) for v in props.get("via") or ()]
    evidence = [{"narrative": gp.narrative(str(e["narrative"])), "sentence": "", "start": 0, "end": 0,
                 "confidence": e.get("confidence", 0.0)} for e in record.get("evidence") or ()]
    return {"kind": "edge", "id": f"{type_}:{gp.p.token('edge', record['id']).split('-', 1)[1]}", "type": type_,
            "source": gp.node_id(record["source"]), "target": gp.node_id(record["target"]), "props": kept,
            "evidence": _distinct(evidence)}


def _distinct(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One reference per narrative (spans are gone, so several would be duplicates), the highest confidence."""
    best: dict[str, dict[str, Any]] = {}
    for e in evidence:
        if e["narrative"] not in best or e["confidence"] > best[e["narrative"]]["confidence"]:
            best[e["narrative"]] = e
    return [best[k] for k in sorted(best)]


def pseudonymised_records(records: Iterable[dict[str, Any]], gp: GraphPseudonyms) -> Iterator[dict[str, Any]]:
    """The store's transfer records (``graph.stores.transfer``), each rewritten through the allowlist."""
    for record in records:
        kind = record["kind"]
        if kind == "node":
            yield _node(record, gp)
        elif kind == "edge":
            yield _edge(record, gp)
        elif kind == "narrative":
            yield {"kind": "narrative", "source_id": gp.narrative(str(record["source_id"])),
                   "node": gp.node_id(record["node"]),
                   "content_hash": gp.p.token("content", str(record.get("content_hash") or "")).split("-", 1)[1],
                   "ingested_at": str(record.get("ingested_at") or "")[:7]}
        elif kind == "merged":
            yield {"kind": "merged", "old": gp.node_id(record["old"]), "new": gp.node_id(record["new"])}
