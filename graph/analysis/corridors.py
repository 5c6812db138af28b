"""Route corridors: travel legs aggregated into a place-to-place flow.

A leg (one ``TRAVELLED`` edge) runs ``origin -> via_1 -> ... -> via_n -> destination``; every consecutive
pair of that chain is one corridor segment, so "from Constanta via Bucharest to London" feeds both
Constanta -> Bucharest and Bucharest -> London. That keeps transit hubs visible (a corridor is a stretch of
road, not a whole journey) at the price of not telling through-traffic from local traffic. A leg without
an origin starts at its first via place, or contributes nothing when it has none: a destination alone is
not a corridor. A segment from a place to itself is dropped.

Per corridor: ``people`` counts distinct travellers, where a leg whose traveller is unknown (the edge
starts at the Narrative) counts as one traveller per narrative; ``legs`` counts legs using the segment;
``modes`` counts them per mode (``unknown`` when unstated); ``period`` lists the dates as written, in
order of first mention (narrative id, then route and leg order); ``narratives`` the narratives behind it.
Busiest first: most people, then most legs, then by origin and destination id.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.analysis.results import Corridor
from graph.model import TRAVELLED


@dataclass(slots=True)
class _Flow:
    travellers: set[str] = field(default_factory=set)
    legs: int = 0
    modes: dict[str, int] = field(default_factory=dict)
    period: list[str] = field(default_factory=list)
    narratives: set[str] = field(default_factory=set)


def _legs(G: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    legs = [(u, v, d) for u, v, d in G.edges(data=True) if d.get("type") == TRAVELLED]

    def order(leg: tuple[str, str, dict[str, Any]]) -> tuple[str, str, int, str, str]:
        u, v, d = leg
        first = min(d.get("narratives") or [""])
        return (first, str(d.get("route") or ""), int(d.get("seq") or 0), u, v)

    return sorted(legs, key=order)


def _name(G: nx.Graph, node: str) -> str:
    return str(G.nodes[node].get("name") or node) if node in G else node


def corridors(G: nx.MultiDiGraph) -> list[Corridor]:
    """Every corridor segment with its traffic (see the module docstring), busiest first."""
    flows: dict[tuple[str, str], _Flow] = {}
    for traveller, destination, d in _legs(G):
        chain = [p for p in [d.get("origin"), *(d.get("via") or ()), destination] if p]
        for a, b in itertools.pairwise(chain):
            if a == b:
                continue
            flow = flows.setdefault((a, b), _Flow())
            flow.travellers.add(traveller)
            flow.legs += 1
            mode = str(d.get("mode") or "unknown")
            flow.modes[mode] = flow.modes.get(mode, 0) + 1
            date = d.get("date")
            if date and date not in flow.period:
                flow.period.append(str(date))
            flow.narratives.update(d.get("narratives") or ())
    out = [Corridor(origin=a, destination=b, origin_name=_name(G, a), destination_name=_name(G, b),
                    people=len(f.travellers), legs=f.legs, modes=dict(sorted(f.modes.items())), period=f.period,
                    narratives=sorted(f.narratives)) for (a, b), f in flows.items()]
    out.sort(key=lambda c: (-c.people, -c.legs, c.origin, c.destination))
    return out


def corridor_graph(items: list[Corridor]) -> nx.DiGraph:
    """The flow graph for figures: places as nodes (``name``), corridors as edges weighted by ``people``."""
    D = nx.DiGraph()
    for c in items:
        D.add_node(c.origin, name=c.origin_name)
        D.add_node(c.destination, name=c.destination_name)
        D.add_edge(c.origin, c.destination, weight=c.people, people=c.people, legs=c.legs, modes=dict(c.modes),
                   narratives=list(c.narratives))
    return D
