"""Partners' models: screening queries in, and answers that tell no more than ``screening.models.ScreenMatch``.

The answer models mirror ``ScreenMatch`` and ``MatchedOn`` (``api.schemas.mirror``), so a field added to
what a partner learns has to be added to the screening contract first, where its privacy rule is kept.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from api.schemas.common import Strict
from api.schemas.mirror import mirror
from screening.models import MatchedOn, ScreenMatch


class ScreenQueryIn(Strict):
    """An identifier (``{"phone": ...}``, with an optional ``region``) or a person or company by name."""

    kind: Literal["person", "company"] | None = Field(None, description="Set for a name query; leave out for identifiers.")
    name: str | None = Field(None, min_length=1, max_length=300, description="Person or company name (needs kind).")
    birth_date: str | None = Field(None, min_length=1, max_length=40, description=(
        "Date of birth (people): YYYY-MM-DD, YYYY-M-D, D/M/YYYY or M/D/YYYY when unambiguous, D.M.YYYY, "
        "'12 Jan 1980', YYYY-MM or a year. Unreadable: left out with a warning (or 422 with strict)."))
    country: str | None = Field(None, min_length=1, max_length=100, description=(
        "Nationality or jurisdiction: ISO 3166-1 alpha-2 or alpha-3, or a name ('Russia', 'Ivory Coast', 'UK'). "
        "Unknown: left out with a warning (or 422 with strict)."))
    phone: str | None = Field(None, min_length=1, max_length=64)
    email: str | None = Field(None, min_length=3, max_length=320)
    iban: str | None = Field(None, min_length=5, max_length=64)
    wallet: str | None = Field(None, min_length=20, max_length=128)
    region: str | None = Field(None, min_length=1, max_length=100,
                               description="Country (code or name) for a phone written without its code.")

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
    strict: bool = Field(False, description="All or nothing: a value that cannot be read (a date, a country, an "
                                            "identifier) makes the request 422. Default: it is left out of its "
                                            "query and the result carries a warning naming the field.")
    require_dob_match: bool = Field(False, description="A date of birth that conflicts with the flagged one vetoes "
                                                       "a name match. Default: it lowers the score.")


# Which feature matched and how (``screening.models.MatchedOn``); the feature is one of five on the wire.
class MatchedOnOut(mirror(MatchedOn, wire={  # type: ignore[misc]
        "feature": Literal["phone", "email", "iban", "wallet", "name"]})):
    pass


class ScreenResultOut(mirror(ScreenMatch, wire={"matched_on": MatchedOnOut | None}, describe={  # type: ignore[misc]
        "score": "1.0 for an identifier; a name's explainable similarity, 0 to 1; 0 for no match.",
        "matched_on": "Which feature matched, and how; null for no match.",
        "category": "The category of concern; null for no match.",
        "reference": "Quote it when you call Sightline's analysts to follow up.",
        "explanation": "The features that matched and each bonus or penalty with its amount "
                       "(e.g. 'name: fuzzy 0.95 (spelling variant)', 'date of birth: conflicts (-0.03)').",
        "warnings": "Values of this query that could not be read and were left out, by field; "
                    "'nothing to screen' when none was left."})):
    """Everything a partner learns: nothing about who, what or why beyond a category and whom to call."""


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


class ScreenedRowOut(BaseModel):
    """One row of an uploaded file and its answer. A row that could not be read is not echoed: only its number
    and the warnings saying why (which name the field, never the value)."""

    row: int = Field(description="The row's number as a spreadsheet counts it (the header is row 1).")
    screened: bool = Field(description="False when nothing in the row could be read: not a 'no match'.")
    reference: str | None = Field(None, description="The row's own id column (your customer reference), when the "
                                                    "row was screened; null otherwise.")
    query: dict[str, str] = Field(description="What was screened, as read (name, kind, birth_date, country, "
                                              "phone, email, iban, wallet, region); empty when not screened.")
    result: ScreenResultOut = Field(description="The answer; its warnings list what the file's row and the query "
                                                "left out, by field.")


class ScreenFileResponse(BaseModel):
    filename: str = Field(description="The uploaded file's name, without folders.")
    notes: list[str] = Field(description="About the whole file: the encoding it was read in when not UTF-8, the "
                                         "separator, columns that were not read.")
    columns: list[str] = Field(description="The screening columns found in the file (e.g. name, phone, iban).")
    rows: list[ScreenedRowOut] = Field(description="One per data row, in the file's order.")
    screened: int = Field(description="Rows screened.")
    matched: int = Field(description="Rows that matched a flagged entity.")
    not_screened: int = Field(description="Rows with nothing that could be read.")
