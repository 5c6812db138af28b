"""Analysts' models: the graph with its provenance, the whole-graph analysis, the review queue, the
watchlist and reports.

The analysis results mirror ``graph.analysis.results`` field for field (``api.schemas.mirror``); on the
wire each node id becomes a ``NodeRef`` carrying its label and name, so an analyst reads who or what is
meant without a second request.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import Strict
from api.schemas.mirror import mirror
from graph.analysis.results import (
    ActorScore, Broker, Community, Corridor, Exposure, ExposureContribution, Hop, Hotspot, PathResult,
)
from graph.model import EvidenceRef
from screening.victim_rule import ControlDecision, RuleWarning
from screening.watchlist import WatchEntry


class NodeRef(BaseModel):
    id: str
    label: str | None
    name: str


class NodeOut(NodeRef):
    props: dict[str, Any]


class EvidenceOut(mirror(EvidenceRef)):  # type: ignore[misc]
    pass


class EdgeOut(BaseModel):
    id: str
    type: str
    source: str
    target: str
    props: dict[str, Any]
    narratives: list[str]
    confidence: float
    evidence: list[EvidenceOut] = Field(description="Provenance: where each narrative states it.")


class EntityDetail(BaseModel):
    node: NodeOut
    relationships: list[EdgeOut]
    relationships_total: int
    truncated: bool
    narratives: list[str] = Field(description="Narratives that mention it.")
    watchlist: list[WatchOut] = Field(default_factory=list, description="Active watchlist entries for it.")


class SubgraphOut(BaseModel):
    center: str
    depth: int
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    truncated: bool


class HopOut(mirror(Hop)):  # type: ignore[misc]
    pass


class PathOut(mirror(PathResult, wire={"nodes": list[NodeRef], "hops": list[HopOut]})):  # type: ignore[misc]
    length: int


class PathsOut(BaseModel):
    source: str
    target: str
    mode: Literal["shortest", "all"]
    paths: list[PathOut]


# -- whole-graph analysis: graph.analysis.results with node ids shown as NodeRefs -------------------------

_NODE_LISTS = ("members", "businesses", "phones", "locations")


class CommunityOut(mirror(Community, wire=dict.fromkeys(_NODE_LISTS, list[NodeRef]),  # type: ignore[misc]
                          first=("id", "size"))):
    pass


class ActorOut(mirror(ActorScore, drop=("name",), wire={"node": NodeRef})):  # type: ignore[misc]
    pass


class BrokerOut(mirror(Broker, drop=("name",), wire={"node": NodeRef})):  # type: ignore[misc]
    pass


class CorridorOut(mirror(Corridor, drop=("origin_name", "destination_name"),  # type: ignore[misc]
                         wire={"origin": NodeRef, "destination": NodeRef})):
    pass


class HotspotOut(mirror(Hotspot, drop=("label", "name"), wire={"node": NodeRef})):  # type: ignore[misc]
    pass


class ContributionOut(mirror(ExposureContribution, wire={"target": NodeRef, "path": list[NodeRef]})):  # type: ignore[misc]
    pass


class ExposureOut(mirror(Exposure, drop=("name",), wire={  # type: ignore[misc]
        "person": NodeRef, "contributions": list[ContributionOut]}, describe={
        "score": "1 - exp(-raw), in [0, 1); see docs/exposure.md.",
        "contributions": "What makes up the score, largest first, each with its path."})):
    pass


# -- the review queue ------------------------------------------------------------------------------------

class PairOut(BaseModel):
    id: str
    a: NodeRef
    b: NodeRef
    score: float
    reason: str
    status: str


class PairDecision(Strict):
    decision: Literal["confirm", "reject"] = Field(description="confirm: one person (b merges into a); reject: two people.")


class PairDecided(BaseModel):
    id: str
    a: str
    b: str
    decision: Literal["confirmed", "rejected"]
    by: str


# -- watchlist and reports -------------------------------------------------------------------------------

WatchCategory = Literal["recruitment", "sexual_exploitation", "labour_exploitation", "criminal_exploitation",
                        "money_laundering", "transport", "control", "other"]


class WatchCreate(Strict):
    entity_id: str = Field(min_length=1, max_length=500)
    category: WatchCategory
    reason: str = Field(min_length=3, max_length=2000, description="Why it is flagged (shown to analysts, not partners).")


class RuleWarningOut(mirror(RuleWarning, describe={  # type: ignore[misc]
        "code": "victim_identifier_withheld: this identifier is not screened because a person recorded as a victim "
                "uses it (an analyst decision can lift that); victim_person_not_screened: the person is also "
                "recorded as a victim and is never screened.",
        "kind": "The identifier's kind (phone, email, iban, wallet), for victim_identifier_withheld.",
        "value": "The identifier as the graph holds it. Never the victim: no warning names who uses it."})):
    """Why something flagged will not be screened (the victim rule), for the analyst who flagged it."""


# A watchlist entry (``screening.watchlist.WatchEntry``) with its entity's id, label and name as one NodeRef.
class WatchOut(mirror(WatchEntry, drop=("entity_id", "label", "name"), wire={"entity": NodeRef},  # type: ignore[misc]
                      first=("id", "entity"))):
    warnings: list[RuleWarningOut] = Field(default_factory=list, description=(
        "What the victim rule keeps from screening for this entry, as of this answer (POST and GET "
        "/v1/watchlist; active entries only). Empty: everything it brings is screened."))


class VictimRuleDecisionCreate(Strict):
    kind: Literal["phone", "email", "iban", "wallet"]
    value: str = Field(min_length=1, max_length=300, description="The identifier in any written form.")
    region: str | None = Field(None, pattern="^[A-Z]{2}$", description=(
        "ISO country for a phone number written without its code (default SIGHTLINE_DEFAULT_REGION)."))
    reason: str = Field(min_length=3, max_length=2000, description=(
        "Why the exploiting side controls it although a victim uses it (kept with the decision; analysts only)."))


class VictimRuleDecisionOut(mirror(ControlDecision, describe={  # type: ignore[misc]
        "value": "The identifier's matching key (E.164 phone, mailbox, compact IBAN, wallet address).",
        "withdrawn_at": "Set once withdrawn; from then on the victim rule withholds the identifier again."})):
    """An analyst's decision that one identifier a victim uses is controlled by the exploiting side, so that
    screening matches it."""


ReportFormat = Literal["md", "html", "pdf"]


class ReportCreate(Strict):
    yardstick: Literal["PHIA", "ICD203"] | None = Field(None, description="Probability yardstick; default SIGHTLINE_REPORT_YARDSTICK.")
    formats: list[ReportFormat] = Field(default_factory=lambda: ["md", "html", "pdf"], min_length=1, max_length=3)
    reveal_names: bool = Field(False, description="Print victims' real names instead of pseudonyms. Explicit and audited.")
    title: str | None = Field(None, min_length=1, max_length=200)


class ReportQueued(BaseModel):
    job_id: str
    status: str
    reveal_names: bool


EntityDetail.model_rebuild()
