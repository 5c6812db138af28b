"""The igraph backend: the person projection's slow stages in C (igraph, leidenalg) behind the same functions.

At 100,000 nodes the networkx stages that dominate ``analyse()`` are the ones that loop in Python over the
person projection: key actors (three centralities on thousands of community subgraphs), brokers (sampled
betweenness over the whole projection) and Louvain (``bench/analysis.py`` measures each). Setting
``SIGHTLINE_ANALYSIS_BACKEND=igraph`` runs them on one igraph copy of the projection, converted once
(``to_igraph``), and keeps everything else, and every result type, as it is.

What stays the same, and what does not:

- degree, betweenness and modularity are the same numbers (within float rounding). Sampled betweenness uses
  networkx's own sampling (``random.Random(seed).sample`` over the graph's node order, ``k`` sources) and
  its rescaling, so an estimate equals networkx's estimate, not just another estimate;
- PageRank is igraph's PRPACK, an exact solve, where networkx iterates to a tolerance of 1e-6 per node: the
  values agree to about that tolerance;
- communities are Leiden (leidenalg, the RB configuration model, i.e. modularity with the same
  ``resolution``, and the same seed) instead of Louvain. Leiden guarantees that every community is
  connected (Louvain can return a community whose members are tied only through another one) and reaches at
  least Louvain's modularity on these graphs; the partitions themselves differ, so downstream ranks do.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import igraph as ig
import leidenalg
import networkx as nx

Backend = Literal["networkx", "igraph"]
BACKENDS: tuple[str, ...] = ("networkx", "igraph")


def check_backend(backend: str) -> Backend:
    """``backend`` as a ``Backend``, or a ValueError naming the choices (the value itself is not echoed)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown analysis backend: use one of {', '.join(BACKENDS)}")
    return backend  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class IGraphProjection:
    """The person projection as an igraph graph: vertex ``i`` is node ``names[i]`` (the projection's order).

    Edge attributes ``weight`` and ``distance`` as in the projection. Built once per projection and shared by
    communities, key actors and brokers.
    """

    graph: ig.Graph
    names: list[str]
    index: dict[str, int]


def to_igraph(P: nx.Graph) -> IGraphProjection:
    """Convert the weighted person projection (one pass over its edges; node attributes are not copied)."""
    names = list(P)
    index = {n: i for i, n in enumerate(names)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    distances: list[float] = []
    for u, v, d in P.edges(data=True):
        edges.append((index[u], index[v]))
        w = float(d.get("weight", 1.0))
        weights.append(w)
        distances.append(float(d.get("distance", 1.0 / w if w else 1.0)))
    g = ig.Graph(n=len(names), edges=edges, directed=False)
    g.es["weight"] = weights
    g.es["distance"] = distances
    return IGraphProjection(g, names, index)


def projection_of(P: nx.Graph, converted: IGraphProjection | None) -> IGraphProjection:
    """The given conversion (``analyse`` converts once), else a new one."""
    return converted if converted is not None else to_igraph(P)


def leiden(ip: IGraphProjection, resolution: float, seed: int) -> list[set[str]]:
    """Leiden communities maximising modularity at ``resolution`` (run until no further improvement)."""
    g = ip.graph
    if g.ecount() == 0:
        return [{n} for n in ip.names]
    partition = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition, weights="weight",
                                         resolution_parameter=resolution, seed=seed, n_iterations=-1)
    groups: dict[int, set[str]] = defaultdict(set)
    for i, c in enumerate(partition.membership):
        groups[c].add(ip.names[i])
    return list(groups.values())


def modularity(ip: IGraphProjection, groups: Sequence[set[str]]) -> float:
    """Weighted modularity at resolution 1 (the number networkx's ``modularity`` gives)."""
    if ip.graph.ecount() == 0:
        return 0.0
    membership = [0] * len(ip.names)
    for c, g in enumerate(groups):
        for n in g:
            membership[ip.index[n]] = c
    return float(ip.graph.modularity(membership, weights="weight"))


def nx_node_order(P: nx.Graph, members: Sequence[str]) -> list[str]:
    """The order ``P.subgraph(members)`` iterates its nodes in, which networkx's sampling draws from.

    A networkx subgraph view filters through ``set(members)`` and, when that set is less than half of ``P``,
    iterates the set itself; otherwise it iterates ``P`` in order. Rebuilding the set from the same sequence
    in the same process gives the same iteration order, so a sampled estimate can use the same sources.
    """
    wanted = set(iter(members))
    if 2 * len(wanted) < len(P):
        return [n for n in wanted if n in P]
    return [n for n in P if n in wanted]


def betweenness(g: ig.Graph, order: Sequence[int], k: int | None, seed: int) -> list[float]:
    """Normalised weighted (``distance``) betweenness of every vertex of ``g``, as networkx computes it.

    ``order`` lists ``g``'s vertices in networkx's node order (only the sampling reads it). Exact when ``k``
    is None or covers the graph; otherwise from the ``k`` sources networkx would sample with ``seed``, with
    networkx's rescaling (a sampled source cannot lie on its own paths, so it is scaled by ``k - 1``).
    igraph counts each unordered pair once on an undirected graph, networkx each ordered pair: hence ``2 *``.
    """
    n = g.vcount()
    if n < 3:
        return [0.0] * n
    if k is None or k >= n:
        raw = g.betweenness(directed=False, weights="distance")
        scale = 2.0 / ((n - 1) * (n - 2))
        return [b * scale for b in raw]
    sources = random.Random(seed).sample(list(order), k)
    raw = g.betweenness(directed=False, weights="distance", sources=sources)
    sampled = set(sources)
    source_scale = 1.0 / ((k - 1) * (n - 2)) if k > 1 else float("nan")
    other_scale = 1.0 / (k * (n - 2))
    return [2.0 * b * (source_scale if v in sampled else other_scale) for v, b in enumerate(raw)]


def community_measures(ip: IGraphProjection, P: nx.Graph, members: Sequence[str], seed: int, k: int | None,
                       ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Degree (weighted, over ``n - 1``), betweenness and PageRank within one community's subgraph."""
    ids = [ip.index[m] for m in members]
    sub = ip.graph.induced_subgraph(ids, implementation="create_from_scratch")
    # induced_subgraph numbers the kept vertices in increasing original id: map them back explicitly
    local = {v: i for i, v in enumerate(sorted(ids))}
    name = {local[ip.index[m]]: m for m in members}
    n = len(members)
    strength = sub.strength(weights="weight")
    degree = {name[i]: s / (n - 1) for i, s in enumerate(strength)}
    order = [local[ip.index[m]] for m in nx_node_order(P, members)] if k is not None and k < n else []
    between = betweenness(sub, order, k, seed)
    if sub.ecount() == 0:
        rank = [1.0 / n] * n
    else:
        rank = sub.pagerank(weights="weight", damping=0.85, directed=False)
    return degree, {name[i]: b for i, b in enumerate(between)}, {name[i]: r for i, r in enumerate(rank)}


def projection_betweenness(ip: IGraphProjection, k: int | None, seed: int) -> dict[str, float]:
    """Betweenness over the whole projection (for brokers), sampled like networkx's when ``k`` is given."""
    values = betweenness(ip.graph, range(len(ip.names)), k, seed)
    return dict(zip(ip.names, values, strict=True))

