"""Social-environment exposure: how much exploitation a person's network puts within their reach.

Research on exploited youths found that exploitation in a person's social environment predicted
victimisation better than individual risk factors. For a person ``p``, the targets are the nodes within
``max_hops`` of ``p`` on the social view (``social.py``), other than ``p``, of three kinds:

- ``victim``: a Person whose roles include victim;
- ``exploiter``: a Person with a role in ``EXPLOITER_ROLES`` (recruiter, exploiter, controller,
  transporter);
- ``site``: an Organization or Location with an ``EXPLOITED_AT`` tie, or a ``WORKED_AT`` tie to a victim.

A target of several kinds (a victim who now recruits) counts once, as its heaviest kind. Each target
contributes

    contribution = weight(kind) * decay ** (d - 1) * strength

where ``d`` is its hop distance and ``strength`` is the product of the hop confidences along the strongest
of the shortest paths to it (every hop is a piece of evidence, and a chain is as believable as all its
links together). Then ``raw = sum(contributions)`` and ``score = 1 - exp(-raw)``: in [0, 1), monotone in
raw, and saturating, so a person tied to fifty victims is not fifty times "more exposed" than one tied to
one. Every contribution keeps its path and the narratives behind it.

Places and hubs: paths do not continue through a Location (unless ``through_places``), nor through any
node with more than ``max_degree`` social ties (an agency hotline, a huge workplace); such nodes are
reached and can be targets. Otherwise everybody who travelled to London would be two hops from every
exploiter who did, and the score would measure the size of cities rather than a social environment. The
person scored is always expanded. See ``docs/exposure.md``.

Speed: one breadth-first search per person, cut at ``max_hops``, over integer adjacency lists built once
per graph; the strongest shortest path falls out of the same search (a node's strength is the best
``strength(parent) * confidence`` over its parents one layer up, ties to the smallest parent id).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from graph.analysis._common import is_exploiter, is_person, is_victim
from graph.analysis.results import Exposure, ExposureContribution
from graph.analysis.social import as_view
from graph.model import EXPLOITED_AT, LOCATION, ORGANIZATION, WORKED_AT


@dataclass(frozen=True, slots=True)
class ExposureParams:
    """The exposure formula's parameters (settings ``SIGHTLINE_EXPOSURE_*``)."""

    max_hops: int = 3
    decay: float = 0.5
    weight_victim: float = 1.0
    weight_exploiter: float = 2.0
    weight_site: float = 1.5
    max_degree: int = 100  # hubs with more social ties are reached but not passed through
    through_places: bool = False  # whether paths may pass through a Location

    def __post_init__(self) -> None:
        if self.max_hops < 1:
            raise ValueError("max_hops must be at least 1")
        if not 0 < self.decay <= 1:
            raise ValueError("decay must be in (0, 1]")
        if min(self.weight_victim, self.weight_exploiter, self.weight_site) < 0:
            raise ValueError("exposure weights must not be negative")
        if self.max_degree < 1:
            raise ValueError("max_degree must be at least 1")

    def weight(self, kind: str) -> float:
        return {"victim": self.weight_victim, "exploiter": self.weight_exploiter, "site": self.weight_site}[kind]


def target_kind(S: nx.Graph, node: str, params: ExposureParams) -> str | None:
    """The node's heaviest target kind on the social view ``S``, or None when it is no target."""
    data = S.nodes[node]
    kinds = []
    if is_victim(data):
        kinds.append("victim")
    if is_exploiter(data):
        kinds.append("exploiter")
    if data.get("label") in (ORGANIZATION, LOCATION):
        for other, e in S[node].items():
            types = e.get("types") or ()
            if EXPLOITED_AT in types or (WORKED_AT in types and is_victim(S.nodes[other])):
                kinds.append("site")
                break
    if not kinds:
        return None
    return max(kinds, key=lambda k: (params.weight(k), k))


class _Index:
    """The social view as integer adjacency lists, with each node's target kind and hub flag, built once.

    ``nodes`` restricts it to a part of the view (one person's neighbourhood); hub flags and target kinds
    are still read from the whole view, so the restriction changes nothing inside that part.
    """

    def __init__(self, S: nx.Graph, params: ExposureParams, nodes: set[str] | None = None) -> None:
        self.S = S
        self.ids = sorted(S if nodes is None else nodes)
        pos = {n: i for i, n in enumerate(self.ids)}
        self.pos = pos
        self.adj = [[(pos[m], float(e.get("confidence", 0.0))) for m, e in S[n].items() if m in pos]
                    for n in self.ids]
        self.expand = [_passable(S, n, params) for n in self.ids]
        self.kind = [target_kind(S, n, params) for n in self.ids]


def _passable(S: nx.Graph, node: str, params: ExposureParams) -> bool:
    """Whether a path may continue through ``node``: not a hub, and not a place unless allowed."""
    if S.degree(node) > params.max_degree:
        return False
    return params.through_places or S.nodes[node].get("label") != LOCATION


def _ball(S: nx.Graph, person: str, params: ExposureParams) -> set[str]:
    """Everything the search from ``person`` can reach: within ``max_hops``, not through hubs."""
    seen = {person}
    frontier = [person]
    for _ in range(params.max_hops):
        nxt = []
        for u in frontier:
            if u != person and not _passable(S, u, params):
                continue
            for v in S[u]:
                if v not in seen:
                    seen.add(v)
                    nxt.append(v)
        frontier = nxt
    return seen


def _search(index: _Index, source: int, max_hops: int) -> tuple[dict[int, int], dict[int, float], dict[int, int]]:
    """Layered BFS from ``source``: distance, strongest-path strength and best parent of every reached node."""
    dist = {source: 0}
    best = {source: 1.0}
    parent: dict[int, int] = {}
    frontier = [source]
    for d in range(1, max_hops + 1):
        layer: dict[int, tuple[float, int]] = {}
        for u in frontier:
            if u != source and not index.expand[u]:
                continue
            su = best[u]
            for v, c in index.adj[u]:
                if v in dist:
                    continue
                sv = su * c
                cur = layer.get(v)
                if cur is None or sv > cur[0] or (sv == cur[0] and u < cur[1]):
                    layer[v] = (sv, u)
        if not layer:
            break
        for v, (sv, u) in layer.items():
            dist[v] = d
            best[v] = sv
            parent[v] = u
        frontier = list(layer)
    return dist, best, parent


def _exposure(index: _Index, person: str, params: ExposureParams, keep: int | None) -> Exposure:
    S = index.S
    source = index.pos[person]
    dist, best, parent = _search(index, source, params.max_hops)
    contributions = []
    for v, d in dist.items():
        kind = index.kind[v]
        if v == source or kind is None or best[v] <= 0:
            continue
        weight = params.weight(kind)
        value = weight * params.decay ** (d - 1) * best[v]
        if value <= 0:
            continue
        path = [v]
        while path[-1] != source:
            path.append(parent[path[-1]])
        nodes = [index.ids[i] for i in reversed(path)]
        narratives = sorted({s for a, b in zip(nodes, nodes[1:]) for s in S[a][b].get("narratives") or ()})
        contributions.append(ExposureContribution(target=index.ids[v], target_kind=kind, distance=d, weight=weight,
                                                  strength=best[v], contribution=value, path=nodes,
                                                  narratives=narratives))
    contributions.sort(key=lambda c: (-c.contribution, c.target))
    raw = math.fsum(c.contribution for c in contributions)
    if keep is not None:
        contributions = contributions[:keep]
    return Exposure(person=person, name=str(S.nodes[person].get("name") or person), score=1.0 - math.exp(-raw),
                    raw=raw, contributions=contributions)


def exposure(G: nx.Graph, person: str, params: ExposureParams | None = None, *,
             view: nx.Graph | None = None) -> Exposure:
    """One person's exposure, with every contribution and its path (see the module docstring).

    Only the person's neighbourhood is indexed, so one look-up on a large graph costs what that
    neighbourhood costs (plus the social view, unless ``view`` is given).
    """
    params = params or ExposureParams()
    S = as_view(G, view)
    if person not in S or not is_person(S.nodes[person]):
        raise ValueError(f"{person!r} is not a Person of this graph")
    return _exposure(_Index(S, params, _ball(S, person, params)), person, params, None)


def exposure_all(G: nx.Graph, params: ExposureParams | None = None, *, view: nx.Graph | None = None,
                 keep: int | None = None) -> list[Exposure]:
    """Exposure of every person not on the exploiting side, most exposed first (then by id).

    ``keep`` bounds the contributions listed per person (the largest ones); the score always sums them all.
    """
    params = params or ExposureParams()
    S = as_view(G, view)
    index = _Index(S, params)
    people = [n for n in index.ids if is_person(S.nodes[n]) and not is_exploiter(S.nodes[n])]
    out = [_exposure(index, p, params, keep) for p in people]
    out.sort(key=lambda e: (-e.score, e.person))
    return out
