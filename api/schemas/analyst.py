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
    evidence: list[EvidenceOut] = Field(description="Provenance: where each narrative states it (in a neighbourhood, "
                                                    "the strongest SIGHTLINE_API_EVIDENCE_LIMIT items).")
    evidence_total: int = Field(description="How many evidence items it has; more than listed: the entity page "
                                            "(GET /v1/entities/{id}) lists them all.")


class NodeMarks(BaseModel):
    """What the whole-graph analysis says of a node, so a drawing can mark it: its network (Louvain community,
    people only) and whether it is one of that network's key actors or a broker between networks."""
    community: int | None = None
    key_actor: bool = False
    broker: bool = False


class SourceOut(BaseModel):
    """A narrative an entity rests on, with its Admiralty grading, so the analyst can weigh the evidence."""
    id: str = Field(description="The narrative's source id, e.g. s001.")
    grading: str | None = Field(description="Admiralty code (reliability A-F, credibility 1-6), e.g. B2.")
    date: str | None
    organisation: str | None = Field(description="The organisation that submitted it.")


class EntityDetail(BaseModel):
    node: NodeOut
    relationships: list[EdgeOut]
    relationships_total: int
    truncated: bool
    narratives: list[str] = Field(description="Narratives that mention it.")
    watchlist: list[WatchOut] = Field(default_factory=list, description="Active watchlist entries for it.")
    related: list[NodeRef] = Field(default_factory=list, description=(
        "The other end of each relationship listed, with its label and name (as of the last analysis)."))
    sources: list[SourceOut] = Field(default_factory=list, description="The narratives that mention it, with grading.")
    marks: NodeMarks = Field(default_factory=NodeMarks, description="Its network, key actor and broker marks.")


class SearchPageOut(BaseModel):
    """One page of search results; ``next`` is the ``offset`` of the following page (null: this is the last)."""
    results: list[NodeOut]
    limit: int
    offset: int
    next: int | None = Field(description="The offset to ask for the next page; null on the last page.")
    truncated: bool = Field(description="Matching entities exist that this page does not hold (a next page, or capped).")
    capped: bool = Field(description="The query matched more entities than one search ranks (SIGHTLINE_API_SEARCH_SCAN): "
                                     "the pages hold only those; narrow the query (more words, a label).")


class SubgraphOut(BaseModel):
    center: str
    depth: int
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    truncated: bool = Field(description="Something within reach was left out: nodes, relationships or evidence "
                                        "(the three flags below say which).")
    nodes_truncated: bool = Field(description="More nodes were within reach than `limit`.")
    edges_truncated: bool = Field(description="More relationships joined these nodes than `edge_limit`.")
    evidence_truncated: bool = Field(description="Some relationship has more evidence than `evidence_limit` (its "
                                                 "`evidence_total` says how much).")
    limit: int = Field(description="Most nodes, as applied.")
    edge_limit: int = Field(description="Most relationships, as applied.")
    evidence_limit: int = Field(description="Most evidence items per relationship, as applied.")
    marks: dict[str, NodeMarks] | None = Field(None, description=(
        "With marks=true: node id -> network, key actor and broker marks (people the analysis knows)."))
    narrative_dates: dict[str, str] | None = Field(None, description=(
        "With marks=true: source id -> date of each narrative the edges cite that states one."))


class HopOut(mirror(Hop)):  # type: ignore[misc]
    pass


class PathOut(mirror(PathResult, wire={"nodes": list[NodeRef], "hops": list[HopOut]})):  # type: ignore[misc]
    length: int


class PathsOut(BaseModel):
    source: str
    target: str
    mode: Literal["shortest", "all"]
    paths: list[PathOut]
    limit: int = Field(description="Most paths, as applied (1 for mode=shortest).")
    cutoff: int = Field(description="Longest path in hops, as applied (mode=shortest: the store's bound, 8).")
    truncated: bool = Field(description="More paths existed than `limit` (mode=all).")


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
    reason: str | None = Field(None, min_length=3, max_length=2000, description=(
        "Why (kept with the decision in the decision log; analysts only)."))


class PairDecided(BaseModel):
    id: str
    a: str
    b: str
    decision: Literal["confirmed", "rejected"]
    by: str
    reason: str | None = None


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


class WatchRemove(Strict):
    reason: str | None = Field(None, min_length=3, max_length=2000, description=(
        "Why it comes off the watchlist (kept with the entry, shown to analysts)."))


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


class ReportOut(BaseModel):
    """A report job as the reports list shows it: what was asked for and what is ready to read."""
    job_id: str
    status: Literal["pending", "running", "done", "failed"]
    title: str | None = Field(description="The title asked for; null: the default title.")
    yardstick: str | None
    formats: list[str] = Field(description="The formats asked for.")
    available: list[str] = Field(description="The formats rendered and ready (when done).")
    reveal_names: bool
    narratives: int | None = Field(description="How many narratives the report rests on (when done).")
    created_at: str
    finished_at: str | None
    error: str | None


EntityDetail.model_rebuild()
