"""Graph data (``graph.model``, ``graph.analysis.results``) as API response models.

One place decides how a node, a relationship with its evidence, a path or an analysis result looks on
the wire, so every analyst route shows provenance the same way: each relationship with the narratives and
sentences that state it. The response models mirror the dataclasses (``api.schemas.mirror``), so each
function here copies what the two share with ``project`` and spells out only what the wire shows
differently: node ids become ``NodeRef``s with a label and a name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from api.schemas.analyst import (
    ActorOut, BrokerOut, CommunityOut, ContributionOut, CorridorOut, EdgeOut, EvidenceOut, ExposureOut, HopOut,
    HotspotOut, NodeMarks, NodeOut, NodeRef, PathOut, SourceOut,
)
from api.schemas.mirror import project
from graph import model as m
from graph.analysis.results import (
    ActorScore, AnalysisResult, Broker, Community, Corridor, Exposure, Hotspot, PathResult,
)


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


def _evidence(item: m.EvidenceRef) -> EvidenceOut:
    """``project(EvidenceOut, item)`` done by pydantic's core from the attributes: the same model, several
    times faster, which counts in a neighbourhood answer of thousands of evidence items."""
    return EvidenceOut.model_validate(item, from_attributes=True)


def edge_out(edge: m.Edge, evidence_total: int | None = None) -> EdgeOut:
    """``evidence_total``: how many evidence items the edge has when fewer are listed (a bounded answer)."""
    return EdgeOut(id=edge.id, type=edge.type, source=edge.source, target=edge.target, props=edge.props,
                   narratives=edge.narratives, confidence=edge.confidence,
                   evidence=[_evidence(e) for e in edge.evidence],
                   evidence_total=len(edge.evidence) if evidence_total is None else evidence_total)


def path_out(path: PathResult, names: Names) -> PathOut:
    return project(PathOut, path, nodes=names.refs(path.nodes), hops=[project(HopOut, h) for h in path.hops])


def community_out(c: Community, names: Names) -> CommunityOut:
    return project(CommunityOut, c, members=names.refs(c.members), businesses=names.refs(c.businesses),
                   phones=names.refs(c.phones), locations=names.refs(c.locations))


def actor_out(a: ActorScore, names: Names) -> ActorOut:
    return project(ActorOut, a, node=names.ref(a.node))


def broker_out(b: Broker, names: Names) -> BrokerOut:
    return project(BrokerOut, b, node=names.ref(b.node))


def corridor_out(c: Corridor) -> CorridorOut:
    return project(CorridorOut, c, origin=NodeRef(id=c.origin, label=m.LOCATION, name=c.origin_name),
                   destination=NodeRef(id=c.destination, label=m.LOCATION, name=c.destination_name))


def hotspot_out(h: Hotspot) -> HotspotOut:
    return project(HotspotOut, h, node=NodeRef(id=h.node, label=h.label, name=h.name))


def exposure_out(e: Exposure, names: Names, keep: int | None = None) -> ExposureOut:
    contributions = e.contributions if keep is None else e.contributions[:keep]
    return project(ExposureOut, e, person=NodeRef(id=e.person, label=m.PERSON, name=e.name),
                   contributions=[project(ContributionOut, c, target=names.ref(c.target), path=names.refs(c.path))
                                  for c in contributions])


class MarkIndex:
    """The analysis's marks looked up by node id, and narrative dates by source id.

    The analysis lists communities, key actors and brokers; a drawing needs the reverse (node -> marks) for
    every node it shows. Built once per analysis (``index_of``), not once per request."""

    def __init__(self, result: AnalysisResult) -> None:
        self.community = {member: c.id for c in result.communities for member in c.members}
        self.key_actors = {a.node for a in result.actors}
        self.brokers = {b.node for b in result.brokers}
        self.dates = {n.id: n.date for n in result.narratives if n.date}

    def marks(self, node_id: str) -> NodeMarks:
        return NodeMarks(community=self.community.get(node_id), key_actor=node_id in self.key_actors,
                         broker=node_id in self.brokers)

    def marks_of(self, ids: Iterable[str]) -> dict[str, NodeMarks]:
        """Marks of the nodes that have any (others are unmarked: no network, no role in it)."""
        return {i: self.marks(i) for i in ids if i in self.community or i in self.key_actors or i in self.brokers}

    def dates_of(self, narratives: Iterable[str]) -> dict[str, str]:
        return {n: self.dates[n] for n in narratives if n in self.dates}


_INDEX: dict[str, MarkIndex] = {}
_INDEX_LOCK = threading.Lock()


def index_of(state: str, result: AnalysisResult) -> MarkIndex:
    """The ``MarkIndex`` of the analysis of this graph state (only the latest state is kept)."""
    with _INDEX_LOCK:
        found = _INDEX.get(state)
        if found is None:
            _INDEX.clear()
            found = _INDEX[state] = MarkIndex(result)
        return found


def source_out(node: Mapping[str, Any], fallback: str) -> SourceOut:
    """A Narrative node of the projection as a source: its source id with grading, date, organisation."""
    return SourceOut(id=str(node.get("source_id") or fallback), grading=node.get("grading"), date=node.get("date"),
                     organisation=node.get("organisation"))
