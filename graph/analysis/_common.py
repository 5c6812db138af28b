"""Small readers over the networkx projection, shared by the analysis modules.

The projection (``docs/graph.md``) stores roles as ``{role: narratives asserting it}`` and indicators as
a list of dicts on Narrative nodes. Every module needs the same questions answered about them ("is this a
victim?", "which narratives does this node appear in?"), so they are answered once, here, and tolerantly:
a hand-built graph may give roles as a list, and a node may lack an optional property.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.model import EXPLOITER_ROLES, MENTIONED_IN, NARRATIVE, ORGANIZATION, PERSON

# Organisation kinds that are not social ties: everybody "knows" Facebook, the police or an NGO.
NON_SOCIAL_ORG_KINDS = frozenset({"platform", "authority", "support"})
METHOD_OF_CONTROL = "method_of_control"
TYPE_OF_EXPLOITATION = "type_of_exploitation"
VICTIM = "victim"


def roles_of(data: Mapping[str, Any]) -> list[str]:
    """A node's roles as a sorted list; a role counted zero times (or "unknown") is no role."""
    raw = data.get("roles") or {}
    if isinstance(raw, Mapping):
        names = [role for role, count in raw.items() if count]
    else:
        names = list(raw)
    return sorted({str(r) for r in names if r and r != "unknown"})


def is_person(data: Mapping[str, Any]) -> bool:
    return data.get("label") == PERSON


def is_victim(data: Mapping[str, Any]) -> bool:
    return is_person(data) and VICTIM in roles_of(data)


def is_exploiter(data: Mapping[str, Any]) -> bool:
    return is_person(data) and bool(EXPLOITER_ROLES.intersection(roles_of(data)))


def is_social_org(data: Mapping[str, Any]) -> bool:
    """Businesses and "other" organisations (gangs, unnamed outfits) are social ties; a missing kind counts as other."""
    return data.get("label") == ORGANIZATION and data.get("kind") not in NON_SOCIAL_ORG_KINDS


def narrative_ids(G: nx.MultiDiGraph) -> dict[str, str]:
    """Narrative node id -> the id the reports cite (its ``source_id``, or the node id when it has none)."""
    return {n: str(d.get("source_id") or n) for n, d in G.nodes(data=True) if d.get("label") == NARRATIVE}


def narrative_codes(data: Mapping[str, Any], category: str) -> set[str]:
    """The distinct indicator codes of one category evidenced in a narrative (a narrative counts once per code)."""
    return {str(i["code"]) for i in data.get("indicators") or () if i.get("category") == category and i.get("code")}


def count_codes(G: nx.MultiDiGraph, narrative_nodes: Iterable[str], category: str) -> dict[str, int]:
    """Code -> number of the given narratives evidencing it, most frequent first, then by code."""
    counts: dict[str, int] = {}
    for n in narrative_nodes:
        for code in narrative_codes(G.nodes[n], category):
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def mentions(G: nx.MultiDiGraph, node: str) -> set[str]:
    """Narrative nodes that mention ``node`` (its MENTIONED_IN edges)."""
    return {v for _, v, d in G.out_edges(node, data=True)
            if d.get("type") == MENTIONED_IN and G.nodes[v].get("label") == NARRATIVE}


def node_info(G: nx.Graph, node: str) -> dict[str, Any]:
    """What a report needs to display a cited node, without reading the graph again."""
    data = G.nodes[node] if node in G else {}
    return {"label": data.get("label"), "name": str(data.get("name") or node), "roles": roles_of(data)}


def edge_confidence(data: Mapping[str, Any]) -> float:
    """An edge's confidence: the projection's derived maximum, else the evidence's, else 0 (no evidence)."""
    value = data.get("confidence")
    if value is None:
        value = max((float(e.get("confidence") or 0.0) for e in data.get("evidence") or ()), default=0.0)
    return float(value)
