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


class SubmissionOut(BaseModel):
    job_id: str | None = Field(description="The new job, or null when every narrative was already known.")
    status: str | None
    narratives: list[QueuedNarrative]
    rejected: list[RejectedOut] = Field(description="Records of a batch file that could not be accepted, with why.")


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
