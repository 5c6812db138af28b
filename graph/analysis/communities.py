"""Person projection and Louvain communities.

Trafficking networks show up in narratives as people who share things: a phone, a business, an account,
a story. Louvain works on one graph of people, so the social view is projected onto persons: two persons
are tied when they are directly related or share a neighbour, and the tie's weight adds up

- ``relation`` x (narratives evidencing their direct relationships, at least 1) for a direct tie;
- ``w(kind) / log2(1 + k)`` for every shared organisation or identifier (phone, e-mail, account, wallet,
  online account), where ``k`` is the number of persons linked to it: a phone two people share says much
  more than a business two hundred people passed through;
- ``narrative / log2(1 + k)`` for every narrative that mentions both (``k`` persons mentioned in it);
- ``place / log2(1 + k)`` for every shared place, **only on a pair already tied by one of the above**.

Shared places reinforce ties but never create one. Travelling to the same city is weak evidence of
belonging to the same network, and there are many such pairs: measured on the synthetic 10k-node graph,
letting places create ties multiplies the projection's edges by eight and cuts the purity of the
communities against the planted networks by more than half (``bench/analysis.py`` measures both ways).
Organisations, identifiers and narratives linked to more than ``max_shared`` persons are skipped: their
per-pair contribution is small (below ``w / 7.6`` at 200) while the pairs they create grow with the
square of ``k``. Persons with no tie stay in the projection as isolated nodes (each its own community).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Literal

import community as community_louvain
import networkx as nx

from graph.analysis import igraph_backend as igb
from graph.analysis._common import METHOD_OF_CONTROL, count_codes, mentions, narrative_ids, roles_of
from graph.analysis.results import Community
from graph.analysis.social import as_view
from graph.model import (
    BANK_ACCOUNT, CRYPTO_WALLET, EMAIL, LOCATION, MENTIONED_IN, NARRATIVE, ONLINE_ACCOUNT, ORGANIZATION, PERSON, PHONE,
)

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "identifier": 3.0,  # phone, e-mail, bank account, wallet, online account
    "relation": 2.0,  # per narrative evidencing a direct relationship
    "organization": 1.5,  # business or other (gang); platforms and authorities are not in the social view
    "narrative": 1.0,  # mentioned in the same narrative
    "place": 0.25,  # travelled to / associated with the same place
}
DEFAULT_MAX_SHARED = 200
_KIND_OF_LABEL = {
    PHONE: "identifier", EMAIL: "identifier", BANK_ACCOUNT: "identifier", CRYPTO_WALLET: "identifier",
    ONLINE_ACCOUNT: "identifier", ORGANIZATION: "organization",
}
Method = Literal["python-louvain", "networkx"]


def _add(ties: dict[tuple[str, str], float], a: str, b: str, w: float) -> None:
    key = (a, b) if a < b else (b, a)
    ties[key] = ties.get(key, 0.0) + w


def _shared(ties: dict[tuple[str, str], float], persons: list[str], w: float, max_shared: int) -> None:
    k = len(persons)
    if k < 2 or k > max_shared or w <= 0:
        return
    share = w / math.log2(1 + k)
    persons = sorted(persons)
    for i, a in enumerate(persons):
        for b in persons[i + 1:]:
            _add(ties, a, b, share)


def person_projection(G: nx.MultiDiGraph, weights: Mapping[str, float] | None = None, *,
                      view: nx.Graph | None = None, max_shared: int = DEFAULT_MAX_SHARED,
                      places_create_ties: bool = False) -> nx.Graph:
    """Weighted person-to-person graph (see the module docstring for the weighting).

    ``places_create_ties`` lets shared places tie people on their own (like organisations), for comparison
    only: the benchmark uses it to show why the default does not.

    Edge attributes: ``weight`` (the sum of contributions) and ``distance`` (``1 / weight``, for shortest
    path based measures where a strong tie is a short one). Node attributes: ``name`` and ``roles``.
    """
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = set(w) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown projection weight(s): {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(DEFAULT_WEIGHTS)}")
    S = as_view(G, view)
    P = nx.Graph()
    for n, d in sorted(G.nodes(data=True)):
        if d.get("label") == PERSON:
            P.add_node(n, name=str(d.get("name") or n), roles=roles_of(d))
    ties: dict[tuple[str, str], float] = {}
    places: dict[str, list[tuple[str, float]]] = defaultdict(list)  # person -> (place, its per-pair share)
    for x in S:
        label = S.nodes[x].get("label")
        persons = [y for y in S[x] if y in P]
        if label == PERSON:
            for y in persons:
                if x < y:
                    _add(ties, x, y, w["relation"] * max(1, len(S[x][y].get("narratives") or ())))
        elif label == LOCATION and places_create_ties:
            _shared(ties, persons, w["place"], max_shared)
        elif label == LOCATION:
            if len(persons) >= 2:
                share = w["place"] / math.log2(1 + len(persons))
                for y in persons:
                    places[y].append((x, share))
        elif label in _KIND_OF_LABEL:
            _shared(ties, persons, w[_KIND_OF_LABEL[label]], max_shared)
    for n, d in G.nodes(data=True):
        if d.get("label") == NARRATIVE:
            persons = [u for u, _, e in G.in_edges(n, data=True) if e.get("type") == MENTIONED_IN and u in P]
            _shared(ties, list(set(persons)), w["narrative"], max_shared)
    for (a, b) in ties:  # places reinforce existing ties only
        if a in places and b in places:
            theirs = {x for x, _ in places[b]}
            ties[(a, b)] += sum(share for x, share in places[a] if x in theirs)
    for (a, b) in sorted(ties):
        weight = ties[(a, b)]
        P.add_edge(a, b, weight=weight, distance=1.0 / weight)
    return P


def _partition(P: nx.Graph, resolution: float, seed: int, method: str) -> list[set[str]]:
    if method == "python-louvain":
        raw = community_louvain.best_partition(P, weight="weight", resolution=resolution, random_state=seed)
        groups: dict[int, set[str]] = defaultdict(set)
        for node, c in raw.items():
            groups[c].add(node)
        return list(groups.values())
    if method == "networkx":
        return [set(c) for c in nx.community.louvain_communities(P, weight="weight", resolution=resolution,
                                                                 seed=seed)]
    raise ValueError(f"unknown community method {method!r}: use 'python-louvain' or 'networkx'")


def modularity(P: nx.Graph, groups: list[set[str]]) -> float:
    """Standard (resolution 1) weighted modularity, so results of different resolutions and methods compare."""
    if P.number_of_edges() == 0:
        return 0.0
    return float(nx.community.modularity(P, groups, weight="weight"))


def detect_communities(P: nx.Graph, resolution: float = 1.0, seed: int = 7, method: Method = "python-louvain",
                       *, G: nx.MultiDiGraph | None = None, view: nx.Graph | None = None,
                       backend: igb.Backend = "networkx", converted: igb.IGraphProjection | None = None,
                       ) -> tuple[list[Community], dict[str, int], float]:
    """Louvain communities of the person projection: (communities, person -> community id, modularity).

    With ``backend="igraph"`` the communities are Leiden's (``igraph_backend.leiden``, same resolution and
    seed; ``method`` only picks among the networkx-side Louvain implementations) and the modularity is
    igraph's; ``converted`` is the projection already converted to igraph (``analyse`` converts it once).

    Community 0 is the largest; equal sizes are ordered by their smallest member id, so ids do not depend
    on the algorithm's internal labels. The same seed on the same projection gives the same result. When
    the full graph ``G`` is given, each community lists its members' businesses, phones, places,
    narratives and methods-of-control indicators.
    """
    if resolution <= 0:
        raise ValueError("resolution must be positive")
    if P.number_of_nodes() == 0:
        return [], {}, 0.0
    ip = igb.projection_of(P, converted) if igb.check_backend(backend) == "igraph" else None
    found = igb.leiden(ip, resolution, seed) if ip is not None else _partition(P, resolution, seed, method)
    groups = sorted((g for g in found if g), key=lambda g: (-len(g), min(g)))
    partition = {n: i for i, g in enumerate(groups) for n in g}
    q = igb.modularity(ip, groups) if ip is not None else modularity(P, groups)
    if G is None:
        communities = [Community(id=i, members=sorted(g), size=len(g), businesses=[], phones=[], locations=[],
                                 indicators={}, narratives=[]) for i, g in enumerate(groups)]
    else:
        S = as_view(G, view)
        source_ids = narrative_ids(G)
        node_of_source = {s: n for n, s in source_ids.items()}
        communities = [_describe(i, sorted(g), G, S, source_ids, node_of_source) for i, g in enumerate(groups)]
    return communities, partition, q


def _ranked(counter: Counter[str]) -> list[str]:
    return [n for n, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def _describe(cid: int, members: list[str], G: nx.MultiDiGraph, S: nx.Graph,
              source_ids: dict[str, str], node_of_source: dict[str, str]) -> Community:
    """A community's members plus what they are linked to in the social view and the narratives behind them.

    Narratives are those mentioning a member and those evidencing a member's ties; an edge's narratives are
    source ids, mapped back to Narrative nodes to read their indicators.
    """
    linked: dict[str, Counter[str]] = {ORGANIZATION: Counter(), PHONE: Counter(), LOCATION: Counter()}
    narrative_nodes: set[str] = set()
    for m in members:
        narrative_nodes |= mentions(G, m)
        if m not in S:
            continue
        for x, e in S[m].items():
            counter = linked.get(S.nodes[x].get("label"))
            if counter is not None:
                counter[x] += 1
            narrative_nodes.update(node_of_source[s] for s in e.get("narratives") or () if s in node_of_source)
    return Community(
        id=cid, members=members, size=len(members),
        businesses=_ranked(linked[ORGANIZATION]), phones=_ranked(linked[PHONE]),
        locations=_ranked(linked[LOCATION]),
        indicators=count_codes(G, sorted(narrative_nodes), METHOD_OF_CONTROL),
        narratives=sorted({source_ids[n] for n in narrative_nodes}),
    )
