"""The social view: who and what is tied to whom, as an undirected simple graph.

Paths, exposure, hotspots and the person projection all ask "how is this connected to that?". The raw
projection answers with bookkeeping too (every node is MENTIONED_IN its narratives, so any two things in
one story would be two hops apart) and with ties that are not social (two people who both use Facebook,
or both spoke to the police, do not know each other). The social view keeps only what says something
about a social connection, and folds the parallel, directed relationships between two nodes into one
undirected edge that keeps its evidence summary:

- nodes: every node except Narratives and Organizations of kind platform, authority or support;
- edges: relationships whose type is in ``SOCIAL_TYPES``, plus ``POSSIBLY_SAME_AS`` once an analyst has
  confirmed it (confidence 1: a person decided). Pending or rejected candidates are not ties;
- ``TRAVELLED`` (one edge per leg, traveller -> destination) ties the traveller to the destination and to
  the leg's ``origin`` place when there is one. Via places are left out: passing through is not presence.
  Legs whose traveller is a Narrative (the text did not say who) tie nobody;
- edge attributes: ``types`` (sorted list), ``narratives`` (sorted union of source ids) and
  ``confidence`` (the highest of the folded relationships: the best evidence we have of the tie).

Direction is dropped on purpose: exposure and paths follow ties both ways ("A recruited B" ties B to A).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.analysis._common import NON_SOCIAL_ORG_KINDS, edge_confidence
from graph.model import NARRATIVE, ORGANIZATION, POSSIBLY_SAME_AS, SOCIAL_TYPES, TRAVELLED


def _kept(data: dict[str, Any]) -> bool:
    label = data.get("label")
    if label == NARRATIVE:
        return False
    return not (label == ORGANIZATION and data.get("kind") in NON_SOCIAL_ORG_KINDS)


def social_view(G: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph of social ties between non-narrative nodes (see the module docstring).

    Deterministic: nodes and edges are added in sorted order, so two views of equal graphs iterate alike.
    """
    H = nx.Graph()
    kept = sorted(n for n, d in G.nodes(data=True) if _kept(d))
    for n in kept:
        H.add_node(n, **G.nodes[n])
    folded: dict[tuple[str, str], tuple[set[str], set[str], float]] = {}

    def tie(a: str, b: str, type_: str, narratives: list[str], confidence: float) -> None:
        if a == b or a not in H or b not in H:
            return
        key = (a, b) if a < b else (b, a)
        entry = folded.get(key)
        if entry is None:
            folded[key] = ({type_}, set(narratives), confidence)
        else:
            entry[0].add(type_)
            entry[1].update(narratives)
            if confidence > entry[2]:
                folded[key] = (entry[0], entry[1], confidence)

    for u, v, d in G.edges(data=True):
        type_ = d.get("type")
        narratives = list(d.get("narratives") or ())
        if type_ == POSSIBLY_SAME_AS:
            if d.get("status") == "confirmed":
                tie(u, v, type_, narratives, 1.0)
            continue
        if type_ not in SOCIAL_TYPES:
            continue
        confidence = edge_confidence(d)
        tie(u, v, type_, narratives, confidence)
        if type_ == TRAVELLED and d.get("origin"):
            tie(u, str(d["origin"]), type_, narratives, confidence)

    for (a, b) in sorted(folded):
        types, narratives, confidence = folded[(a, b)]
        H.add_edge(a, b, types=sorted(types), narratives=sorted(narratives), confidence=confidence)
    return H


def as_view(G: nx.Graph, view: nx.Graph | None = None) -> nx.Graph:
    """The social view to work on: the one given (computed once by the caller), else built from ``G``."""
    return view if view is not None else social_view(G)
