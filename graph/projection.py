"""Nodes and edges from any store, as the networkx graph that every analysis function takes.

Both adapters hand their rows to ``to_networkx`` so that the projection, and therefore every analysis
result, is the same whichever store holds the graph. The attribute layout is documented in
``docs/graph.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

import networkx as nx

from graph import model as m


def to_networkx(nodes: Iterable[m.Node], edges: Iterable[m.Edge]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node in sorted(nodes, key=lambda n: n.id):
        attrs = dict(node.props)
        if node.label == m.PERSON:
            attrs["roles"] = {role: len(narratives) for role, narratives in (node.props.get("roles") or {}).items()}
        graph.add_node(node.id, label=node.label, name=node.name, **attrs)
    for edge in sorted(edges, key=lambda e: e.id):
        if edge.source not in graph or edge.target not in graph:
            continue
        evidence = sorted(edge.evidence, key=lambda e: (e.narrative, e.start, e.end))
        graph.add_edge(edge.source, edge.target, key=edge.id, **edge.props, type=edge.type,
                       narratives=edge.narratives, confidence=edge.confidence,
                       evidence=[asdict(e) for e in evidence])
    return graph
