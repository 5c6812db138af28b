"""Corridors and hotspots placed on the globe, for the workspace's offline map.

The analysis (``graph.analysis``) gives corridors (place-to-place flows) and hotspots (places and businesses
by victims linked); this module adds where each is. A corridor's ends are Location nodes, placed with
``graph.insight.places``; a hotspot that is a place is placed the same way, and a business at the place it is
``LOCATED_IN`` (the first such place that can be placed, by id). Whatever cannot be placed keeps its row with
``lat``/``lon`` empty: the page's table lists it, the map cannot draw it, and ``unplaced`` says how many.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.hotspots import hotspots as rank_hotspots
from graph.analysis.results import Corridor, Hotspot
from graph.insight.places import locate
from graph.model import LOCATED_IN, LOCATION


@dataclass(slots=True)
class Place:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class PlacedCorridor:
    origin: Place
    destination: Place
    people: int  # distinct travellers
    legs: int
    modes: dict[str, int]
    narratives: int  # how many narratives describe it


@dataclass(slots=True)
class PlacedHotspot:
    id: str
    label: str
    name: str
    place: Place | None  # where it is drawn: itself (a Location) or the place a business is located in
    victims: int
    indicators: int
    score: float
    narratives: int


@dataclass(slots=True)
class MapView:
    corridors: list[PlacedCorridor]
    hotspots: list[PlacedHotspot]
    unplaced: int  # corridors and hotspots that lack coordinates at one end or both
    truncated: bool  # more corridors or hotspots than the limit asked for


def place(G: nx.MultiDiGraph, node: str) -> Place:
    """A node as a place, with coordinates when it is a Location that can be placed."""
    data = G.nodes[node] if node in G else {}
    name = str(data.get("name") or node)
    country = data.get("country")
    country = str(country).upper() if country and str(country).lower() != "xx" else None
    point = locate(name, country) if data.get("label", LOCATION) == LOCATION else None
    return Place(node, name, country, point.lat if point else None, point.lon if point else None)


def _site(G: nx.MultiDiGraph, node: str) -> Place | None:
    if node not in G:
        return None
    if G.nodes[node].get("label") == LOCATION:
        return place(G, node)
    located = sorted(v for _, v, d in G.out_edges(node, data=True)
                     if d.get("type") == LOCATED_IN and G.nodes[v].get("label") == LOCATION)
    candidates = [place(G, v) for v in located]
    return next((p for p in candidates if p.lat is not None), candidates[0] if candidates else None)


def _placed(p: Place | None) -> bool:
    return p is not None and p.lat is not None and p.lon is not None


def map_view(G: nx.MultiDiGraph, corridors: list[Corridor], hotspots: list[Hotspot], limit: int) -> MapView:
    """The busiest ``limit`` corridors and top ``limit`` hotspots, each with its coordinates if known."""
    lines = [PlacedCorridor(place(G, c.origin), place(G, c.destination), c.people, c.legs, dict(c.modes),
                            len(c.narratives)) for c in corridors[:limit]]
    spots = [PlacedHotspot(h.node, h.label, h.name, _site(G, h.node), h.victims, h.indicators, h.score,
                           len(h.narratives)) for h in hotspots[:limit]]
    unplaced = sum(1 for c in lines if not (_placed(c.origin) and _placed(c.destination)))
    unplaced += sum(1 for h in spots if not _placed(h.place))
    return MapView(lines, spots, unplaced, len(corridors) > limit or len(hotspots) > limit)


def map_of_graph(G: nx.MultiDiGraph, corridors: list[Corridor], limit: int) -> MapView:
    """``map_view`` with the hotspots ranked afresh to ``limit`` (the cached analysis keeps only its top 20)."""
    return map_view(G, corridors, rank_hotspots(G, limit + 1), limit)
