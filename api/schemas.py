"""Request and response models of the HTTP API (pydantic), shared by the routers.

Request models forbid unknown fields and bound every string and list, so a typo or a hostile payload gets a
422 naming the field instead of being ignored or stored. Response models are what the OpenAPI document
promises; routes return them, never store objects, so no internal field leaks by accident.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from state.keys import ROLES

Role = Literal["ngo", "analyst", "partner", "admin"]
assert set(Role.__args__) == set(ROLES)  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


# -- errors and service --------------------------------------------------------------------------------

class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid_request, forbidden.")
    message: str = Field(description="One sentence a person can act on.")
    details: Any = Field(None, description="Structured details (for validation errors: location and message per problem).")


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Me(BaseModel):
    key_id: str
    role: Role
    organisation: str


# -- keys --------------------------------------------------------------------------------------------

class KeyCreate(Strict):
    role: Role
    organisation: str = Field(min_length=1, max_length=200)


class KeyInfo(BaseModel):
    id: str
    role: Role
    organisation: str
    created_at: str
    revoked_at: str | None


class KeyCreated(KeyInfo):
    key: str = Field(description="The secret: shown once, stored only as a hash. Send it as 'Authorization: Bearer KEY'.")


# -- audit ---------------------------------------------------------------------------------------------

class AuditEntryOut(BaseModel):
    seq: int
    at: str
    request_id: str
    key_id: str | None
    organisation: str | None
    role: str | None
    method: str
    route: str
    params: dict[str, Any] = Field(description="Request parameters; anything that could identify someone is a keyed hash.")
    outcome: str
    result_count: int | None


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    limit: int
    offset: int


class NarrativeDeleted(BaseModel):
    id: str
    graph_id: str | None = Field(description="The narrative's id in the graph; null if the graph did not hold it.")
    nodes_deleted: int = Field(description="Nodes only it supported, its own included.")
    nodes_changed: int = Field(description="Nodes other narratives also support, folded again without it.")
    relationships_deleted: int
    relationships_changed: int = Field(description="Relationships that kept other narratives' evidence.")
    people_renamed: dict[str, str] = Field(description="People it had named first: old id -> the id a rebuild gives.")
    people_apart: dict[str, str] = Field(description="People whose merge rested on it, apart again: new id -> old.")
    people_joined: dict[str, str] = Field(description="People it had kept apart, now joined: joined id -> old.")
    api_records_deleted: int = Field(description="Rows of its text, metadata, extraction, owners and corrections.")
    watchlist_changed: int = Field(description="Flags that followed a renamed person or were taken off.")


# -- narratives (NGO) --------------------------------------------------------------------------------

Consent = Literal["yes", "no", "anonymised", "unknown"]
_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


class NarrativeFields(Strict):
    """Metadata an NGO may give with a narrative; the organisation always comes from the API key."""

    language: str | None = Field(None, pattern=r"^[a-z]{2}$", description="ISO 639-1 code; detected when absent.")
    date: str | None = Field(None, pattern=_DATE, description="When it happened or was recorded: YYYY, YYYY-MM or YYYY-MM-DD.")
    source_grading: str | None = Field(None, pattern=r"^[A-F][1-6]$", description="Admiralty grading, e.g. B2.")
    consent: Consent | None = Field(None, description="The survivor's consent to the use of the narrative.")
    region: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO country for phone numbers written without a country code.")


class NarrativeSubmit(NarrativeFields):
    text: str = Field(min_length=1, description="The narrative. At most SIGHTLINE_MAX_TEXT_CHARS characters.")
    reference: str | None = Field(None, max_length=200, description="Your own id for it (kept, shown back to you).")
    title: str | None = Field(None, max_length=300)


class NarrativeFileRecord(NarrativeSubmit):
    """One record of a .json/.jsonl/.csv batch file (``id`` is the submitter's reference)."""

    id: str | int | None = Field(None, description="Your own id for the narrative.")
    organisation: str | None = Field(None, max_length=200, description="If given, must be the API key's organisation.")


class QueuedNarrative(BaseModel):
    id: str = Field(description="The narrative's id (derived from its content: the same text has the same id).")
    reference: str | None
    status: str = Field(description="queued (new), or stored / existing when the text was already submitted.")
    job_id: str | None = Field(description="The job that extracts (or extracted) it.")


class RejectedOut(BaseModel):
    reference: str | None
    error: str


class SubmissionOut(BaseModel):
    job_id: str | None = Field(description="The new job, or null when every narrative was already known.")
    status: str | None
    narratives: list[QueuedNarrative]
    rejected: list[RejectedOut] = Field(description="Records of a batch file that could not be accepted, with why.")


class JobItemOut(BaseModel):
    seq: int
    narrative_id: str | None
    reference: str | None
    status: str = Field(description="queued, stored (new in the graph), existing (already in it) or failed.")
    error: str | None


class Progress(BaseModel):
    total: int
    done: int
    queued: int
    stored: int
    existing: int
    failed: int


class JobOut(BaseModel):
    id: str
    kind: Literal["ingest", "report"]
    status: Literal["pending", "running", "done", "failed"]
    created_at: str
    started_at: str | None
    finished_at: str | None
    progress: Progress | None = None
    items: list[JobItemOut] = Field(default_factory=list)
    error: str | None
    result: dict[str, Any] | None = Field(None, description="For a report: the formats it can be fetched in.")


class NarrativeOut(BaseModel):
    id: str
    reference: str | None
    status: str
    job_id: str | None
    submitted_at: str
    stored_at: str | None
    metadata: dict[str, Any]
    text: str | None = Field(description="The text your organisation submitted.")


class NarrativeSummary(BaseModel):
    id: str
    reference: str | None
    status: str
    submitted_at: str


EntityLabel = Literal["PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN", "CRYPTO_WALLET", "URL",
                      "MONEY", "DATE"]


class EntityOut(BaseModel):
    id: str
    start: int
    end: int
    label: str
    text: str
    value: str
    confidence: float
    source: str
    country: str | None = None
    detail: str | None = None
    status: Literal["extracted", "rejected", "relabelled"] = "extracted"
    original_label: str | None = Field(None, description="The extracted label, when a correction relabelled it.")


class CorrectionOut(BaseModel):
    seq: int
    entity_id: str
    action: Literal["reject", "relabel", "restore"]
    label: str | None
    reason: str | None
    by: str = Field(description="Organisation and key id of whoever made the correction.")
    at: str


class ExtractionOut(BaseModel):
    narrative_id: str
    language: str
    ner: bool
    narrator: bool
    entities: list[EntityOut]
    relations: list[dict[str, Any]]
    routes: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    warnings: list[str]
    corrections: list[CorrectionOut]


class EntityCorrection(Strict):
    action: Literal["reject", "relabel", "restore"] = Field(
        description="reject: not an entity (or not this one); relabel: give it `label`; restore: undo the corrections.")
    label: EntityLabel | None = Field(None, description="The new label (relabel only).")
    reason: str | None = Field(None, max_length=1000)


class CorrectionResult(BaseModel):
    entity: EntityOut
    correction: CorrectionOut


# -- graph (analysts) --------------------------------------------------------------------------------

class NodeRef(BaseModel):
    id: str
    label: str | None
    name: str


class NodeOut(NodeRef):
    props: dict[str, Any]


class EvidenceOut(BaseModel):
    narrative: str
    sentence: str
    start: int
    end: int
    confidence: float


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


class HopOut(BaseModel):
    source: str
    target: str
    type: str
    narratives: list[str]
    confidence: float


class PathOut(BaseModel):
    nodes: list[NodeRef]
    hops: list[HopOut]
    length: int


class PathsOut(BaseModel):
    source: str
    target: str
    mode: Literal["shortest", "all"]
    paths: list[PathOut]


class CommunityOut(BaseModel):
    id: int
    size: int
    members: list[NodeRef]
    businesses: list[NodeRef]
    phones: list[NodeRef]
    locations: list[NodeRef]
    indicators: dict[str, int]
    narratives: list[str]


class ActorOut(BaseModel):
    node: NodeRef
    community: int
    degree: float
    betweenness: float
    pagerank: float
    score: float
    roles: list[str]


class BrokerOut(BaseModel):
    node: NodeRef
    communities: list[int]
    betweenness: float
    participation: float


class CorridorOut(BaseModel):
    origin: NodeRef
    destination: NodeRef
    people: int
    legs: int
    modes: dict[str, int]
    period: list[str]
    narratives: list[str]


class HotspotOut(BaseModel):
    node: NodeRef
    victims: int
    indicators: int
    narratives: list[str]
    score: float


class ContributionOut(BaseModel):
    target: NodeRef
    target_kind: str
    distance: int
    weight: float
    strength: float
    contribution: float
    path: list[NodeRef]
    narratives: list[str]


class ExposureOut(BaseModel):
    person: NodeRef
    score: float = Field(description="1 - exp(-raw), in [0, 1); see docs/exposure.md.")
    raw: float
    contributions: list[ContributionOut] = Field(description="What makes up the score, largest first, each with its path.")


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


WatchCategory = Literal["recruitment", "sexual_exploitation", "labour_exploitation", "criminal_exploitation",
                        "money_laundering", "transport", "control", "other"]


class WatchCreate(Strict):
    entity_id: str = Field(min_length=1, max_length=500)
    category: WatchCategory
    reason: str = Field(min_length=3, max_length=2000, description="Why it is flagged (shown to analysts, not partners).")


class WatchOut(BaseModel):
    id: str
    entity: NodeRef
    category: str
    reason: str
    by: str
    created_at: str
    removed_at: str | None
    removed_by: str | None


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


# -- screening (partners) ------------------------------------------------------------------------------

ScreenMethod = Literal["exact", "normalised", "fuzzy"]
_COUNTRY = r"^[A-Za-z]{2}$"


class ScreenQueryIn(Strict):
    """An identifier (``{"phone": ...}``, with an optional ``region``) or a person or company by name."""

    kind: Literal["person", "company"] | None = Field(None, description="Set for a name query; leave out for identifiers.")
    name: str | None = Field(None, min_length=1, max_length=300, description="Person or company name (needs kind).")
    birth_date: str | None = Field(None, pattern=_DATE, description="YYYY, YYYY-MM or YYYY-MM-DD (people).")
    country: str | None = Field(None, pattern=_COUNTRY, description="ISO 3166-1 alpha-2 (nationality or jurisdiction).")
    phone: str | None = Field(None, min_length=1, max_length=64)
    email: str | None = Field(None, min_length=3, max_length=320)
    iban: str | None = Field(None, min_length=5, max_length=64)
    wallet: str | None = Field(None, min_length=20, max_length=128)
    region: str | None = Field(None, pattern=_COUNTRY, description="ISO country for a phone written without its code.")

    @model_validator(mode="after")
    def _one_shape(self) -> ScreenQueryIn:
        has_identifier = any(getattr(self, k) for k in ("phone", "email", "iban", "wallet"))
        if self.kind is None:
            if self.name or self.birth_date or self.country:
                raise ValueError("a name query needs kind (person or company)")
            if not has_identifier:
                raise ValueError("a query needs an identifier (phone, email, iban or wallet) or a kind and a name")
        elif not self.name:
            raise ValueError(f"a {self.kind} query needs a name")
        return self


class ScreenRequest(Strict):
    queries: list[ScreenQueryIn] = Field(min_length=1, max_length=1000,
                                         description="1 to 1,000 queries; split larger batches.")


class MatchedOnOut(BaseModel):
    feature: Literal["phone", "email", "iban", "wallet", "name"]
    method: ScreenMethod


class ScreenResultOut(BaseModel):
    """Everything a partner learns: nothing about who, what or why beyond a category and whom to call."""

    matched: bool
    score: float = Field(description="1.0 for an identifier; a name's explainable similarity, 0 to 1; 0 for no match.")
    matched_on: MatchedOnOut | None = Field(description="Which feature matched, and how; null for no match.")
    category: str | None = Field(description="The category of concern; null for no match.")
    reference: str | None = Field(description="Quote it when you call Sightline's analysts to follow up.")


class ScreenResponse(BaseModel):
    results: list[ScreenResultOut] = Field(description="One per query, in the order sent.")


class HashedScreenRequest(Strict):
    hashes: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = Field(
        min_length=1, max_length=1000,
        description="hex(HMAC-SHA256(your secret, 'kind:key')) per identifier; see docs/screening.md.")


class PsiScreenRequest(Strict):
    request: str = Field(min_length=1, max_length=200_000, pattern=r"^[A-Za-z0-9+/=]+$",
                         description="Base64 of the OpenMined PSI client request (at most 1,000 items).")


class PsiScreenResponse(BaseModel):
    setup: str = Field(description="Base64 of the server setup message (the flagged identifiers, encrypted).")
    response: str = Field(description="Base64 of the server's answer to your request.")
