"""Hotspots: places and businesses ranked by how many victims they are linked to.

Candidates are Locations and Organizations of kind business or other (a platform, authority or support
organisation is where victims are found or helped, not where they are exploited). A victim (a Person with
the victim role) is linked to a candidate

- **directly** by an ``EXPLOITED_AT``, ``WORKED_AT`` or ``ASSOCIATED_WITH`` relationship (either
  direction) or a ``TRAVELLED`` leg to it or from it (its destination or ``origin``); a place also takes
  the direct links of the organisations ``LOCATED_IN`` it (exploited at a parlour in Ilford is exploited
  in Ilford);
- **by co-mention** when the victim and the candidate are mentioned in the same narrative: weaker, since
  a story names places for many reasons, but it is how a first-person story places its narrator.

Score: ``direct + 0.5 * co_mentioned_only + 0.1 * indicators``, where ``direct`` and
``co_mentioned_only`` count distinct victims (a victim linked both ways counts once, as direct) and
``indicators`` counts indicator mentions (every methods-of-control or type-of-exploitation entry) in the
narratives that link the candidate to a victim: an edge's narratives for a direct link, the shared
narratives for a co-mention. Victims dominate, indicators separate equals. Candidates with no victim are
not hotspots. Highest score first, then most victims, then node id.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph.analysis._common import is_social_org, is_victim, narrative_ids
from graph.analysis.results import Hotspot
from graph.model import ASSOCIATED_WITH, EXPLOITED_AT, LOCATED_IN, LOCATION, MENTIONED_IN, TRAVELLED, WORKED_AT

LINK_TYPES = frozenset({EXPLOITED_AT, WORKED_AT, ASSOCIATED_WITH, TRAVELLED})
CO_MENTION_WEIGHT = 0.5
INDICATOR_WEIGHT = 0.1


@dataclass(slots=True)
class _Links:
    direct: set[str] = field(default_factory=set)
    co_mentioned: set[str] = field(default_factory=set)
    narratives: set[str] = field(default_factory=set)  # source ids


def _candidate(G: nx.MultiDiGraph, node: str) -> bool:
    data = G.nodes[node]
    return data.get("label") == LOCATION or is_social_org(data)


def hotspots(G: nx.MultiDiGraph, top: int = 20) -> list[Hotspot]:
    """The ``top`` places and businesses by linked victims and indicators (see the module docstring)."""
    links: dict[str, _Links] = defaultdict(_Links)
    victims = sorted(n for n, d in G.nodes(data=True) if is_victim(d))

    def direct(victim: str, place: str, narratives: list[str]) -> None:
        if place in G and _candidate(G, place):
            links[place].direct.add(victim)
            links[place].narratives.update(narratives)

    for v in victims:
        for a, b, d in list(G.out_edges(v, data=True)) + list(G.in_edges(v, data=True)):
            if d.get("type") not in LINK_TYPES:
                continue
            other = b if a == v else a
            narratives = list(d.get("narratives") or ())
            direct(v, other, narratives)
            if d.get("type") == TRAVELLED and a == v and d.get("origin"):
                direct(v, str(d["origin"]), narratives)

    for org in [n for n in links if G.nodes[n].get("label") != LOCATION]:
        for _, place, d in G.out_edges(org, data=True):
            if d.get("type") == LOCATED_IN and G.nodes[place].get("label") == LOCATION:
                links[place].direct |= links[org].direct
                links[place].narratives |= links[org].narratives

    source_ids = narrative_ids(G)
    node_of_source = {s: n for n, s in source_ids.items()}
    for narrative, source in source_ids.items():
        mentioned = {u for u, _, d in G.in_edges(narrative, data=True) if d.get("type") == MENTIONED_IN}
        told = [m for m in mentioned if is_victim(G.nodes[m])]
        if not told:
            continue
        for c in mentioned:
            if _candidate(G, c):
                links[c].co_mentioned.update(told)
                links[c].narratives.add(source)

    out = []
    for node, link in links.items():
        co_only = link.co_mentioned - link.direct
        count = len(link.direct) + len(co_only)
        if count == 0:
            continue
        indicators = sum(len(G.nodes[node_of_source[s]].get("indicators") or ())
                         for s in link.narratives if s in node_of_source)
        score = len(link.direct) + CO_MENTION_WEIGHT * len(co_only) + INDICATOR_WEIGHT * indicators
        data = G.nodes[node]
        out.append(Hotspot(node=node, label=str(data.get("label")), name=str(data.get("name") or node),
                           victims=count, indicators=indicators, narratives=sorted(link.narratives),
                           score=round(score, 6)))
    out.sort(key=lambda h: (-h.score, -h.victims, h.node))
    return out[:top]
