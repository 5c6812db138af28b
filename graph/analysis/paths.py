"""Paths between two entities over the social view, each hop with the evidence behind it.

An analyst asking "how is this phone connected to that massage parlour?" needs the chain and, for each
link, what kind of tie it is and which narratives say so. Paths run over the social view (see
``social.py``), so they never go through a narrative, a platform or an authority. Hops follow the path's
order, not the relationships' direction: a hop ``A -> B`` of type ``RECRUITED`` may mean B recruited A.
A hop folding several relationship types names them all, joined by ``|`` in sorted order.

Among several shortest paths, the strongest one is returned: the highest product of hop confidences
(then the smallest node sequence), the same rule exposure uses.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx

from graph.analysis.results import Hop, PathResult
from graph.analysis.social import as_view

MAX_SHORTEST_CANDIDATES = 1000  # equal-length shortest paths compared before picking the strongest


def hops_of(S: nx.Graph, nodes: list[str]) -> list[Hop]:
    hops = []
    for a, b in itertools.pairwise(nodes):
        e = S[a][b]
        hops.append(Hop(source=a, target=b, type="|".join(e.get("types") or ()),
                        narratives=list(e.get("narratives") or ()), confidence=float(e.get("confidence", 0.0))))
    return hops


def strength(hops: list[Hop]) -> float:
    return math.prod(h.confidence for h in hops)


def _check(S: nx.Graph, *nodes: str) -> None:
    for n in nodes:
        if n not in S:
            raise nx.NodeNotFound(f"{n!r} is not in the social view (unknown id, a narrative, or a platform/"
                                  f"authority/support organisation)")


def shortest_path(G: nx.Graph, a: str, b: str, *, view: nx.Graph | None = None) -> PathResult | None:
    """The strongest of the shortest paths from ``a`` to ``b``, or None when they are not connected."""
    S = as_view(G, view)
    _check(S, a, b)
    try:
        candidates = list(itertools.islice(nx.all_shortest_paths(S, a, b), MAX_SHORTEST_CANDIDATES))
    except nx.NetworkXNoPath:
        return None
    best = min(candidates, key=lambda p: (-strength(hops_of(S, p)), p))
    return PathResult(nodes=best, hops=hops_of(S, best))


def all_simple_paths(G: nx.Graph, a: str, b: str, cutoff: int = 4, limit: int = 50, *,
                     view: nx.Graph | None = None) -> list[PathResult]:
    """Up to ``limit`` simple paths of at most ``cutoff`` hops, shortest first, strongest first within a length.

    Paths are enumerated shortest first (Yen's algorithm), so the ``limit`` keeps the shortest ones; on a
    dense neighbourhood there may be more paths of the last length than were kept.
    """
    if cutoff < 1 or limit < 1:
        raise ValueError("cutoff and limit must be at least 1")
    S = as_view(G, view)
    _check(S, a, b)
    if a == b:
        return []
    paths: list[list[str]] = []
    try:
        for p in nx.shortest_simple_paths(S, a, b):
            if len(p) - 1 > cutoff or len(paths) >= limit:
                break
            paths.append(p)
    except nx.NetworkXNoPath:
        return []
    results = [PathResult(nodes=p, hops=hops_of(S, p)) for p in paths]
    results.sort(key=lambda r: (r.length, -strength(r.hops), r.nodes))
    return results
