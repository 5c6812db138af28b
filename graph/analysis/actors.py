"""Key actors within communities and brokers between them.

A key actor is central *within its own network*: a recruiter at the hub of a small ring matters more to
that ring than a well-connected person in a big, loose one, so the measures are computed on each
community's subgraph of the person projection and scaled within it. Three measures, because each misses
something: (weighted) degree sees direct reach, betweenness sees who sits between others, PageRank sees
ties to well-tied people. The score is their mean after min-max scaling each one to [0, 1] within the
community (a measure equal for everybody scales to 0: it singles nobody out). Ties break by node id.

Weights: degree is the sum of tie weights, normalised by ``n - 1``; PageRank follows weights;
betweenness runs on ``distance = 1 / weight`` (a strong tie is a short one).

A broker ties communities together: betweenness over the whole projection (people on paths between
networks) plus the participation coefficient ``1 - sum_c (w_ic / w_i)^2`` over the communities of its
neighbours (0 when all of its tie weight stays in one community). Only people with neighbours in at least
two communities are brokers.

Exact betweenness costs one shortest-path search per node. On large graphs it is estimated from ``k``
sampled sources (networkx's ``k``, seeded, so it is repeatable): within communities larger than
``EXACT_LIMIT`` and over projections larger than ``EXACT_LIMIT`` for brokers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

import networkx as nx

from graph.analysis import igraph_backend as igb
from graph.analysis.results import ActorScore, Broker

EXACT_LIMIT = 500  # nodes up to which betweenness is exact
SAMPLE_K = 200  # sampled sources above it


def _pagerank(S: nx.Graph) -> dict[str, float]:
    """Weighted PageRank (alpha 0.85, networkx's scipy implementation); uniform on a graph with no ties."""
    if S.number_of_edges() == 0:
        return {n: 1.0 / len(S) for n in S} if len(S) else {}
    return nx.pagerank(S, weight="weight")


def _sample_k(S: nx.Graph) -> int | None:
    return SAMPLE_K if len(S) > EXACT_LIMIT else None


def _betweenness(S: nx.Graph, seed: int) -> dict[str, float]:
    return nx.betweenness_centrality(S, k=_sample_k(S), weight="distance", normalized=True, seed=seed)


def _scaled(values: Mapping[str, float]) -> dict[str, float]:
    lo, hi = min(values.values()), max(values.values())
    span = hi - lo
    return {n: (v - lo) / span if span > 0 else 0.0 for n, v in values.items()}


def _members(partition: Mapping[str, int]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = defaultdict(list)
    for node, c in partition.items():
        groups[c].append(node)
    return {c: sorted(m) for c, m in sorted(groups.items())}


def _name(P: nx.Graph, G: nx.Graph | None, node: str) -> str:
    data = G.nodes[node] if G is not None and node in G else P.nodes[node]
    return str(data.get("name") or node)


def _roles(P: nx.Graph, node: str) -> list[str]:
    return list(P.nodes[node].get("roles") or [])


def key_actors(P: nx.Graph, partition: Mapping[str, int], G: nx.Graph | None = None, top: int = 5, *,
               min_size: int = 3, seed: int = 7, backend: igb.Backend = "networkx",
               converted: igb.IGraphProjection | None = None) -> list[ActorScore]:
    """The ``top`` actors of every community of at least ``min_size`` members (a pair has no key actor).

    Returned by community id, then best first. ``G`` only supplies display names (the projection's are
    used without it); ``seed`` drives betweenness sampling in very large communities. ``backend="igraph"``
    computes the three measures with igraph on ``converted`` (the projection in igraph, converted once).
    """
    ip = igb.projection_of(P, converted) if igb.check_backend(backend) == "igraph" else None
    out: list[ActorScore] = []
    for cid, members in _members(partition).items():
        if len(members) < min_size:
            continue
        n = len(members)
        if ip is not None:
            degree, betweenness, pagerank = igb.community_measures(ip, P, members, seed,
                                                                   SAMPLE_K if n > EXACT_LIMIT else None)
        else:
            S = P.subgraph(members)
            degree = {m: S.degree(m, weight="weight") / (n - 1) for m in members}
            betweenness = _betweenness(S, seed)
            pagerank = _pagerank(S)
        scaled = [_scaled(degree), _scaled(betweenness), _scaled(pagerank)]
        score = {m: sum(s[m] for s in scaled) / 3 for m in members}
        ranked = sorted(members, key=lambda m: (-score[m], m))[:top]
        out.extend(ActorScore(node=m, name=_name(P, G, m), community=cid, degree=degree[m],
                              betweenness=betweenness[m], pagerank=pagerank[m], score=score[m],
                              roles=_roles(P, m)) for m in ranked)
    return out


def participation(P: nx.Graph, partition: Mapping[str, int], node: str) -> tuple[float, list[int]]:
    """Participation coefficient of ``node`` over its neighbours' communities, and those communities."""
    per: Counter[int] = Counter()
    for nbr, e in P[node].items():
        per[partition[nbr]] += float(e.get("weight", 1.0))
    total = sum(per.values())
    if total <= 0:
        return 0.0, sorted(per)
    return 1.0 - sum((w / total) ** 2 for w in per.values()), sorted(per)


def brokers(P: nx.Graph, partition: Mapping[str, int], top: int = 10, *, G: nx.Graph | None = None,
            seed: int = 7, backend: igb.Backend = "networkx",
            converted: igb.IGraphProjection | None = None) -> list[Broker]:
    """People whose ties span communities, highest betweenness first (then participation, then id).

    ``backend="igraph"`` computes the betweenness with igraph (same sampled sources, same numbers).
    """
    igb.check_backend(backend)
    candidates = []
    for node in sorted(P):
        p, communities = participation(P, partition, node)
        if len(communities) >= 2:
            candidates.append((node, p, communities))
    if not candidates:
        return []
    if backend == "igraph":
        betweenness = igb.projection_betweenness(igb.projection_of(P, converted), _sample_k(P), seed)
    else:
        betweenness = _betweenness(P, seed)
    ranked = sorted(candidates, key=lambda c: (-betweenness[c[0]], -c[1], c[0]))[:top]
    return [Broker(node=node, name=_name(P, G, node), communities=communities, betweenness=betweenness[node],
                   participation=p) for node, p, communities in ranked]
