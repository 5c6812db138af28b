"""Graph data (``graph.model``, ``graph.analysis.results``) as API response models.

One place decides how a node, a relationship with its evidence, a path or an analysis result looks on
the wire, so every analyst route shows provenance the same way: each relationship with the narratives and
sentences that state it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.schemas import (
    ActorOut, BrokerOut, CommunityOut, ContributionOut, CorridorOut, EdgeOut, EvidenceOut, ExposureOut,
    HopOut, HotspotOut, NodeOut, NodeRef, PathOut,
)
from graph import model as m
from graph.analysis.results import ActorScore, Broker, Community, Corridor, Exposure, Hotspot, PathResult


class Names:
    """Node id -> reference with label and name, from the projected graph (ids it lacks keep their id)."""

    def __init__(self, nodes: Mapping[str, Mapping[str, Any]]) -> None:
        self.nodes = nodes

    def ref(self, node_id: str) -> NodeRef:
        data = self.nodes.get(node_id, {})
        return NodeRef(id=node_id, label=data.get("label"), name=str(data.get("name", node_id)))

    def refs(self, ids: list[str]) -> list[NodeRef]:
        return [self.ref(i) for i in ids]


def node_out(node: m.Node) -> NodeOut:
    return NodeOut(id=node.id, label=node.label, name=node.name, props=node.props)


def node_ref(node: m.Node) -> NodeRef:
    return NodeRef(id=node.id, label=node.label, name=node.name)


def edge_out(edge: m.Edge) -> EdgeOut:
    return EdgeOut(id=edge.id, type=edge.type, source=edge.source, target=edge.target, props=edge.props,
                   narratives=edge.narratives, confidence=edge.confidence,
                   evidence=[EvidenceOut(**e.to_dict()) for e in edge.evidence])


def path_out(path: PathResult, names: Names) -> PathOut:
    return PathOut(nodes=names.refs(path.nodes), length=path.length,
                   hops=[HopOut(source=h.source, target=h.target, type=h.type, narratives=h.narratives,
                                confidence=h.confidence) for h in path.hops])


def community_out(c: Community, names: Names) -> CommunityOut:
    return CommunityOut(id=c.id, size=c.size, members=names.refs(c.members), businesses=names.refs(c.businesses),
                        phones=names.refs(c.phones), locations=names.refs(c.locations), indicators=c.indicators,
                        narratives=c.narratives)


def actor_out(a: ActorScore, names: Names) -> ActorOut:
    return ActorOut(node=names.ref(a.node), community=a.community, degree=a.degree, betweenness=a.betweenness,
                    pagerank=a.pagerank, score=a.score, roles=a.roles)


def broker_out(b: Broker, names: Names) -> BrokerOut:
    return BrokerOut(node=names.ref(b.node), communities=b.communities, betweenness=b.betweenness,
                     participation=b.participation)


def corridor_out(c: Corridor) -> CorridorOut:
    return CorridorOut(origin=NodeRef(id=c.origin, label=m.LOCATION, name=c.origin_name),
                       destination=NodeRef(id=c.destination, label=m.LOCATION, name=c.destination_name),
                       people=c.people, legs=c.legs, modes=c.modes, period=c.period, narratives=c.narratives)


def hotspot_out(h: Hotspot) -> HotspotOut:
    return HotspotOut(node=NodeRef(id=h.node, label=h.label, name=h.name), victims=h.victims,
                      indicators=h.indicators, narratives=h.narratives, score=h.score)


def exposure_out(e: Exposure, names: Names, keep: int | None = None) -> ExposureOut:
    contributions = e.contributions if keep is None else e.contributions[:keep]
    return ExposureOut(person=NodeRef(id=e.person, label=m.PERSON, name=e.name), score=e.score, raw=e.raw,
                       contributions=[ContributionOut(target=names.ref(c.target), target_kind=c.target_kind,
                                                      distance=c.distance, weight=c.weight, strength=c.strength,
                                                      contribution=c.contribution, path=names.refs(c.path),
                                                      narratives=c.narratives) for c in contributions])
