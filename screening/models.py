"""The screening vocabulary: what is flagged, what a partner asks, and the only things a partner is told.

These three shapes are the contract between the matching engine (``screening`` index and scorer),
the places flagged entities come from (watchlist, analysis marks, imported lists) and the partner-facing
surfaces (``POST /v1/screen``, ``sightline screen``). A ``ScreenMatch`` deliberately has no field that could
carry narrative text, a node id or a victim: the brief's privacy rule is enforced by the type, not by care.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

IdentifierKind = Literal["phone", "email", "iban", "wallet"]
IDENTIFIER_KINDS: tuple[IdentifierKind, ...] = ("phone", "email", "iban", "wallet")
EntityKind = Literal["person", "company", "identifier"]
Method = Literal["exact", "normalised", "fuzzy"]


@dataclass(frozen=True, slots=True)
class FlaggedEntity:
    """One entity a partner may be told about.

    ``id`` is internal and stable (watchlist entry id, ``import:<list>:<reference>``, ``analysis:<node id>``);
    ``reference`` is what the partner quotes when calling back; ``reason`` is for analysts only.
    ``identifiers`` maps a kind to values as written; the index normalises them with ``nlp.identifiers``.
    """

    id: str
    kind: EntityKind
    category: str
    reference: str
    reason: str = ""
    name: str | None = None
    aliases: tuple[str, ...] = ()
    birth_date: str | None = None  # ISO 8601, a year ("1987") or a full date
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    identifiers: dict[IdentifierKind, tuple[str, ...]] = field(default_factory=dict)
    source: str = "watchlist"  # watchlist | analysis | import:<list name>


@dataclass(frozen=True, slots=True)
class ScreenQuery:
    """One partner query: a bare identifier, or a person or company with optional identifiers.

    ``identifiers`` holds values as the partner sent them; ``region`` helps with national phone numbers.
    """

    kind: Literal["person", "company", "identifier"]
    name: str | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: dict[IdentifierKind, tuple[str, ...]] = field(default_factory=dict)
    region: str | None = None


@dataclass(frozen=True, slots=True)
class MatchedOn:
    feature: str  # "phone" | "email" | "iban" | "wallet" | "name"
    method: Method


@dataclass(frozen=True, slots=True)
class ScreenMatch:
    """Everything a partner learns about one match: whether, how strongly, on what, why flagged, whom to call.

    ``explanation`` names the features that matched and each bonus and penalty with its amount ("name:
    fuzzy 0.95 (spelling variant)", "date of birth: conflicts (-0.06)"); it is written so that it never
    holds a token of a flagged name or a flagged value. ``warnings`` are about the partner's own query:
    a value that could not be read and was left out ("birth_date: not a real date; ignored").
    """

    matched: bool
    score: float
    matched_on: MatchedOn | None
    category: str | None
    reference: str | None
    explanation: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
