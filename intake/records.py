"""What an NGO may send as one narrative: the request models of ``POST /v1/narratives``, owned by intake.

Intake checks every record of an uploaded batch file against these models, so they live here and not in
``api.schemas``: intake must not depend on the HTTP layer. api/ imports them from here (the router validates
a JSON body with ``NarrativeSubmit`` and publishes its schema in the OpenAPI document), never the other way
round. The class names and docstrings are part of that document, so they stay as the API has always shown
them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from intake.consent import ConsentValue

Consent = ConsentValue  # given, restricted, refused, withdrawn (intake.consent; the older yes/no/... are read too)
DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
# The metadata a submitted narrative keeps with its job item (and, once stored, with the narrative).
META_FIELDS = ("language", "date", "consent", "source_grading", "region", "title")


class NarrativeFields(BaseModel):
    """Metadata an NGO may give with a narrative; the organisation always comes from the API key."""

    # As api.schemas.Strict: an unknown field is refused with a message naming it, not silently dropped.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    language: str | None = Field(None, pattern=r"^[a-z]{2}$", description="ISO 639-1 code; detected when absent.")
    date: str | None = Field(None, pattern=DATE_PATTERN, description="When it happened or was recorded: YYYY, YYYY-MM or YYYY-MM-DD.")
    source_grading: str | None = Field(None, pattern=r"^[A-F][1-6]$", description="Admiralty grading, e.g. B2.")
    consent: Consent | None = Field(None, description="The source's consent: given (shared), restricted, refused or "
                                    "withdrawn (kept for your organisation only); see docs/api.md.")
    region: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO country for phone numbers written without a country code.")


class NarrativeSubmit(NarrativeFields):
    # No docstring: pydantic would publish it as the request body's description in the OpenAPI document.
    text: str = Field(min_length=1, description="The narrative. At most SIGHTLINE_MAX_TEXT_CHARS characters.")
    reference: str | None = Field(None, max_length=200, description="Your own id for it (kept, shown back to you).")
    title: str | None = Field(None, max_length=300)


# Fields a batch file may carry but an NGO may not set: they are dropped with one warning for the file, not
# refused, since files made elsewhere (``sightline generate``, another Sightline's export) carry them. The
# organisation always comes from the API key.
IGNORED_FIELDS = ("organisation",)


class NarrativeFileRecord(NarrativeSubmit):
    """One record of a .json/.jsonl/.csv batch file (``id`` is the submitter's reference).

    ``IGNORED_FIELDS`` are taken out before a record is checked against this model."""

    id: str | int | None = Field(None, description="Your own id for the narrative.")
