"""NGO caseworkers' models: following submitted narratives, and reading and correcting what was extracted
from their own.

What an NGO sends (``NarrativeSubmit``, ``NarrativeFileRecord``) is intake's, in ``intake.records``: intake
checks uploaded batch files against it and must not depend on the HTTP layer.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import Strict
from api.schemas.mirror import mirror
from intake.consent import ConsentValue
from intake.narratives import Correction
from nlp.extraction import Entity


class QueuedNarrative(BaseModel):
    id: str = Field(description="The narrative's id (derived from its content: the same text has the same id).")
    reference: str | None
    status: str = Field(description="queued (new), or stored / existing when the text was already submitted.")
    job_id: str | None = Field(description="The job that extracts (or extracted) it.")


class RejectedOut(BaseModel):
    reference: str | None
    error: str


class DuplicateOut(BaseModel):
    reference: str | None = Field(description="The repeating record: its id, or its place in the file.")
    narrative_id: str = Field(description="The narrative its text is (queued once).")
    same_as: str | None = Field(description="The first record of the file with the same text.")


class SubmissionCounts(BaseModel):
    records: int = Field(description="Records in the submission (1 for a JSON body or a document).")
    narratives: int = Field(description="Distinct narratives accepted (queued or already known).")
    duplicates: int = Field(description="Records repeating the text of an earlier record of the same file.")
    rejected: int


class SubmissionOut(BaseModel):
    job_id: str | None = Field(description="The new job, or null when every narrative was already known.")
    status: str | None
    narratives: list[QueuedNarrative]
    rejected: list[RejectedOut] = Field(description="Records of a batch file that could not be accepted, with why.")
    duplicates: list[DuplicateOut] = Field(default_factory=list,
                                           description="Records of a batch file whose text an earlier record gave.")
    counts: SubmissionCounts | None = None
    encoding: str | None = Field(None, description="The encoding a text file was read in (e.g. utf-8, cp1252); "
                                                   "null for a JSON body, .docx and .pdf.")
    warnings: list[str] = Field(default_factory=list, description="What was read differently from how it was sent: "
                                "a guessed encoding, ignored fields, duplicates.")


class NarrativeOut(BaseModel):
    id: str
    reference: str | None
    status: str
    job_id: str | None
    submitted_at: str
    stored_at: str | None
    metadata: dict[str, Any]
    text: str | None = Field(description="The text your organisation submitted.")
    owner: bool = Field(False, description="Your organisation's submission brought the narrative: its consent and "
                                           "corrections decide what the shared graph holds. False when another "
                                           "organisation had sent the same text first.")
    shared: bool | None = Field(None, description="(owner, once stored) Whether its facts are in the shared graph: "
                                                  "only with consent given (or none stated).")


class NarrativeSummary(BaseModel):
    """One line of the organisation's list: enough to find a narrative (the workspace's "My submissions")
    without fetching each one. The metadata fields are the owner's: null when another organisation sent
    the text first (``owner`` false), as ``GET /v1/narratives/{id}`` would not show them either."""

    id: str
    reference: str | None
    status: str
    submitted_at: str
    excerpt: str | None = Field(None, description="The first 160 characters of the text, to recognise it by.")
    title: str | None = Field(None, description="The title given with the narrative.")
    date: str | None = Field(None, description="When it happened or was recorded, as given (YYYY[-MM[-DD]]).")
    language: str | None = Field(None, description="The language given with the narrative.")
    consent: str | None = Field(None, description="The consent given with it (null: none recorded).")
    owner: bool = Field(False, description="Your organisation's submission brought the narrative.")
    shared: bool | None = Field(None, description="(owner, once stored) Whether its facts are in the shared graph.")


EntityLabel = Literal["PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN", "CRYPTO_WALLET", "URL",
                      "MONEY", "DATE"]
CorrectionAction = Literal["reject", "relabel", "restore"]


# An extracted entity (``nlp.extraction.Entity``) and what the organisation's corrections made of it.
class EntityOut(mirror(Entity)):  # type: ignore[misc]
    status: Literal["extracted", "rejected", "relabelled"] = "extracted"
    original_label: str | None = Field(None, description="The extracted label, when a correction relabelled it.")


# One correction as ``intake.narratives`` records it; the action is one of three on the wire.
class CorrectionOut(mirror(Correction, wire={"action": CorrectionAction}, describe={  # type: ignore[misc]
        "by": "Organisation and key id of whoever made the correction."})):
    pass


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
    action: CorrectionAction = Field(
        description="reject: not an entity (or not this one); relabel: give it `label`; restore: undo the corrections.")
    label: EntityLabel | None = Field(None, description="The new label (relabel only).")
    reason: str | None = Field(None, max_length=1000)


class CorrectionResult(BaseModel):
    entity: EntityOut
    correction: CorrectionOut


class ConsentUpdate(Strict):
    consent: ConsentValue = Field(description="given: its facts enter the shared graph; restricted, refused, "
                                              "withdrawn: kept for your organisation only (taken out of the graph).")


class ConsentResult(BaseModel):
    narrative: NarrativeOut
    changed: bool = Field(description="Whether the shared graph changed (facts written or taken out).")
    nodes_deleted: int = Field(0, description="Graph nodes that only this narrative supported and that went.")
    watchlist_changed: int = Field(0, description="Watchlist entries moved or taken off with them.")
