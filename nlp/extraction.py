"""The ``Extraction``: what one narrative says, as plain typed data that serialises to JSON.

It depends on nothing outside ``nlp/`` so that graph resolution, the API and the command line can all
consume it without pulling in spaCy. Every fact carries its provenance: the character span of the
sentence that evidences it (offsets into the narrative text), that sentence, and a confidence in [0, 1].
Facts point at entities by their ``id`` within the extraction, or at ``NARRATOR`` for the unnamed
first-person narrator of a survivor story.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

LABELS = ("PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN", "CRYPTO_WALLET", "URL", "MONEY", "DATE")
IDENTIFIER_LABELS = frozenset({"PHONE", "EMAIL", "IBAN", "CRYPTO_WALLET", "URL"})
RELATION_TYPES = (
    "RECRUITED", "EXPLOITED_AT", "WORKED_AT", "CONTROLLED", "PAID",
    "USES_PHONE", "USES_EMAIL", "OWNS_ACCOUNT", "ASSOCIATED_WITH",
)
ROLES = ("victim", "recruiter", "exploiter", "transporter", "controller", "buyer", "witness", "unknown")
NARRATOR = "narrator"


@dataclass(slots=True)
class Entity:
    """One mention. ``value`` is the normalised form (E.164 phone, IBAN without spaces, clean name)."""

    id: str
    start: int
    end: int
    label: str
    text: str
    value: str
    confidence: float
    source: str  # "model" (spaCy NER) or "rule:<name>"
    country: str | None = None  # LOCATION: ISO country when unambiguous; PHONE: region of the number
    detail: str | None = None  # CRYPTO_WALLET: chain; URL: "handle" for social-media handles


@dataclass(slots=True)
class Evidence:
    sentence: str
    start: int  # sentence span in the narrative text
    end: int
    confidence: float


@dataclass(slots=True)
class Relation:
    type: str
    head: str  # entity id or NARRATOR
    tail: str
    evidence: Evidence
    cue: str | None = None  # the verb or pattern that triggered it


@dataclass(slots=True)
class Leg:
    origin: str | None  # LOCATION entity ids
    destination: str
    via: list[str]
    mode: str | None  # bus, car, van, lorry, train, flight, boat, foot
    date: str | None  # DATE entity id
    evidence: Evidence


@dataclass(slots=True)
class Route:
    id: str
    traveller: str | None  # entity id, NARRATOR, or None when the text does not say who travelled
    legs: list[Leg]


@dataclass(slots=True)
class RoleAssignment:
    person: str  # PERSON entity id (its first mention) or NARRATOR
    role: str
    evidence: Evidence


@dataclass(slots=True)
class Indicator:
    code: str  # HTCDS value, e.g. DebtBondage, SexualExploitation
    category: str  # "method_of_control" or "type_of_exploitation"
    htcds_field: str  # vic_MethodsOfControl or vic_TypeOfExploitation
    htcds_value: str  # the HTCDS picklist value it maps to (Other for codes HTCDS folds into Other)
    cue: str  # the words that matched
    cue_start: int
    cue_end: int
    evidence: Evidence


@dataclass(slots=True)
class ProfileFact:
    """One attribute of a person as the text states it (``nlp.victim_profile``), with the words that state it."""

    attribute: str  # "sex", "age", "citizenship" or "origin"
    value: str | int  # "female"/"male"; age in years; ISO 3166-1 alpha-2 for citizenship and origin
    cue: str  # the words that state it ("a 17-year-old girl", "she", "from Constanta")
    cue_start: int
    cue_end: int
    evidence: Evidence


@dataclass(slots=True)
class PersonProfile:
    """What the text states about one person: never guessed (no sex from a given name); absent = not stated."""

    person: str  # PERSON entity id (the first mention with that value) or NARRATOR
    sex: str | None = None  # "female" or "male"
    age: int | None = None  # age at the time of the events when the text says so, else the age it states
    citizenship: list[str] = field(default_factory=list)  # ISO2 codes, in order of statement
    origin: str | None = None  # ISO2 country the person comes from
    facts: list[ProfileFact] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    id: str | None
    language: str
    ner: bool  # False when the language is not supported: only identifiers were extracted
    narrator: bool  # a first-person narrative: NARRATOR is a participant
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    roles: list[RoleAssignment] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    profiles: list[PersonProfile] = field(default_factory=list)  # stated sex, age, citizenship, origin

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return _build(cls, data)


T = TypeVar("T")
_NESTED: dict[tuple[type, str], type] = {
    (Extraction, "entities"): Entity,
    (Extraction, "relations"): Relation,
    (Extraction, "routes"): Route,
    (Extraction, "roles"): RoleAssignment,
    (Extraction, "indicators"): Indicator,
    (Extraction, "profiles"): PersonProfile,
    (PersonProfile, "facts"): ProfileFact,
    (Route, "legs"): Leg,
}
_SINGLE: dict[str, type] = {"evidence": Evidence}


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """Inverse of ``asdict`` for these classes; unknown keys are an error, not silently dropped."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown field(s) for {cls.__name__}: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, value in data.items():
        nested = _NESTED.get((cls, name))
        if nested is not None:
            values[name] = [_build(nested, item) for item in value]
        elif name in _SINGLE and isinstance(value, dict):
            values[name] = _build(_SINGLE[name], value)
        else:
            values[name] = value
    return cls(**values)
