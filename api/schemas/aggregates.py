"""The aggregate table models (``GET /v1/aggregates``): counts of victims and cases per combination of the
requested fields, margins included, suppressed cells with empty counts.

``detail`` (true counts and why a cell is suppressed) exists only in an analyst's or administrator's
``show_suppressed=true`` preview; partners and NGOs never get it, and a preview is not a release.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class CellDetail(BaseModel):
    """What a cell really holds (analysts' and administrators' preview only)."""

    victims: int = Field(description="True number of victims (victim-in-case records) in the cell.")
    cases: int = Field(description="True number of narratives in the cell.")
    reason: str | None = Field(description="Why it is suppressed: `primary` (under k victims beyond its largest "
                                           "narrative), `secondary` (it would give a small cell away), `held` "
                                           "(suppressed before; too few narratives since); empty when published.")


class AggregateCellOut(BaseModel):
    values: dict[str, str] = Field(description="The cell's value per field; `Total` is the margin over that field, "
                                               "`unknown` the records that do not state it.")
    victims: int | None = Field(description="Victims in the cell as published; empty when suppressed.")
    cases: int | None = Field(description="Narratives in the cell as published; empty when suppressed.")
    suppressed: bool
    detail: CellDetail | None = Field(None, description="Only in an analyst's `show_suppressed=true` preview.")


class AggregateOut(BaseModel):
    by: list[str]
    k: int = Field(description="The threshold applied: a published cell has at least k victims beyond its "
                               "largest single narrative.")
    cells: list[AggregateCellOut]
    suppressed: int = Field(description="How many cells (margins included) are suppressed.")
    preview: bool = Field(description="True for an analyst's `show_suppressed=true` preview: true counts, not a "
                                      "release (the release ledger is not updated).")
