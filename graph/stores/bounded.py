"""What a bounded neighbourhood keeps, decided once for both stores.

A neighbourhood around a hub (a city, a shared phone) can hold thousands of relationships among a few
hundred nodes, each with one evidence item per narrative stating it: megabytes of JSON that no drawing
needs. The stores find the nodes with a bound in the query; this module decides, from the relationships'
ids and ends alone (``Link``), which of them to keep, so that the cut is the same on SQLite and Neo4j and
the evidence of the dropped ones is never read. The relationship that first reached each node comes first
(a drawing of the kept ones stays connected), nearest the centre first; then the others, by id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph import model as m

SCAN_FACTOR = 20  # the stores read at most this many links per relationship kept before choosing


@dataclass(frozen=True, slots=True)
class Link:
    """A relationship without its properties or evidence: enough to choose it."""

    id: str
    source: str
    target: str


def scan_bound(edge_limit: int | None) -> int | None:
    """How many links a store reads at most to choose ``edge_limit`` of them (None: no bound)."""
    return None if edge_limit is None else edge_limit * SCAN_FACTOR + 1


def choose_links(center: str, links: Iterable[Link], limit: int | None, depth: int | None = None) -> tuple[list[str], bool]:
    """The ids of at most ``limit`` links, spanning links first (breadth first from ``center``, each node's
    first link, neighbours in link id order), then the rest by id; and whether any was left out. With
    ``depth``, a link between two nodes both ``depth`` hops out is no part of the neighbourhood (the walk
    that found them never followed it), as a depth-1 answer holds the centre's own links only."""
    ordered = sorted(set(links), key=lambda link: link.id)
    touching: dict[str, list[Link]] = defaultdict(list)
    for link in ordered:
        touching[link.source].append(link)
        touching[link.target].append(link)
    level = {center: 0}
    frontier = [center]
    spanning: list[str] = []
    while frontier:
        following = []
        for node in frontier:
            for link in touching.get(node, ()):
                other = link.target if link.source == node else link.source
                if other not in level:
                    level[other] = level[node] + 1
                    following.append(other)
                    spanning.append(link.id)
        frontier = following
    outer = len(level) if depth is None else depth
    taken = set(spanning)
    chosen = spanning + [link.id for link in ordered if link.id not in taken
                         and min(level.get(link.source, outer), level.get(link.target, outer)) < outer]
    if limit is None or len(chosen) <= limit:
        return chosen, False
    return chosen[:limit], True


def strongest(evidence: Sequence[m.EvidenceRef], limit: int | None) -> list[m.EvidenceRef]:
    """At most ``limit`` evidence items, strongest first (so the relationship's confidence, the strongest
    item's, is the same with or without the cut), then by narrative and span."""
    ranked = sorted(evidence, key=lambda e: (-e.confidence, e.narrative, e.start, e.end))
    return ranked if limit is None else ranked[:limit]


def cap_evidence(edges: Sequence[m.Edge], limit: int | None) -> dict[str, int]:
    """Cut each edge's evidence to its ``limit`` strongest items in place; edge id -> how many it had, for
    the edges cut. (For a store that keeps an edge's evidence in one property: it is read whole anyway.)"""
    totals: dict[str, int] = {}
    for edge in edges:
        if limit is not None and len(edge.evidence) > limit:
            totals[edge.id] = len(edge.evidence)
        edge.evidence = strongest(edge.evidence, limit)
    return totals
