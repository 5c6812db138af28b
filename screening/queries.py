"""One partner query (an API item or a row of a batch file) read and turned into a ``ScreenQuery``.

Shared by ``POST /v1/screen`` and ``sightline screen`` so that both read values the same way:

- countries through ``screening.countries`` (codes, names, usual forms: "Russia", "Ivory Coast", "UK"),
  dates of birth through ``screening.dates`` ("1982-9-26", "26/09/1982", "12 Jan 1980", "1980");
- identifiers through ``screening.keys.identifier_key``, the key they are matched on.

A value that cannot be read is **left out of that query only**, with a warning naming the field and what
was wrong (never the value, which may be someone's number, or anything a file happened to hold); the rest
of the query is screened. Answering "no match" silently for a number the service could not read would be a
false reassurance; answering with the warning beside it is not, and refusing the whole batch for one cell
left thousands of good rows unscreened. ``strict=True`` keeps all or nothing: the first such value raises
``QueryProblem``. A query with nothing left to screen has ``query=None`` and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from screening.countries import country_code
from screening.dates import DateProblem, iso_date
from screening.keys import identifier_key
from screening.models import IDENTIFIER_KINDS, ScreenQuery
from screening.text import repair

LABELS = {"phone": "phone number", "email": "email address", "iban": "IBAN (country format and checksum)",
          "wallet": "crypto wallet address (checksum)"}
#: The longest value read per field; a longer cell is not one (a pasted note, a broken export).
MAX_LENGTH = {"name": 300, "phone": 64, "email": 320, "iban": 64, "wallet": 128, "country": 100, "region": 100,
              "birth_date": 40, "kind": 20}
NOTHING = "nothing to screen: give a name or an identifier (phone, email, iban, wallet)"


class QueryProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(slots=True)
class ReadQuery:
    """What was made of one query: the query (``None`` when nothing is left to screen), what the audit log
    records of it (identifier keys and the name, hashed there), the values kept in their normal form (what
    the partner's client sends on), and one warning per value left out."""

    query: ScreenQuery | None
    audited: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


class _Reader:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.warnings: list[str] = []

    def problem(self, field_name: str, message: str) -> None:
        if self.strict:
            raise QueryProblem(field_name, message)
        self.warnings.append(f"{field_name}: {message}; ignored")

    def value(self, fields: Mapping[str, Any], name: str) -> str | None:
        value = _text(fields, name)
        if value is not None and len(value) > MAX_LENGTH[name]:
            self.problem(name, f"longer than {MAX_LENGTH[name]} characters")
            return None
        return value


def read_query(fields: Mapping[str, Any], default_region: str | None = None, *, strict: bool = False) -> ReadQuery:
    """Read one query's fields (module docstring); raises ``QueryProblem`` only when ``strict``."""
    reader = _Reader(strict)
    kept: dict[str, str] = {}
    name = reader.value(fields, "name")
    if name is not None:
        name = repair(name)
    kind = (reader.value(fields, "kind") or "").lower() or None
    if kind is not None and kind not in ("person", "company"):
        reader.problem("kind", "must be person or company" + ("" if strict else "; read as person"))
        kind = "person"
    country = reader.value(fields, "country")
    if country is not None:
        country = country_code(country)
        if country is None:
            reader.problem("country", "not a country code or name this service knows")
    region = reader.value(fields, "region")
    if region is not None:
        region = country_code(region)
        if region is None:
            reader.problem("region", "not a country code or name this service knows")
    birth = reader.value(fields, "birth_date")
    if birth is not None:
        try:
            birth = iso_date(birth)
        except DateProblem as problem:
            reader.problem("birth_date", str(problem))
            birth = None
    region = region or country or (default_region.upper() if default_region else None)
    identifiers: dict[Any, tuple[str, ...]] = {}
    audited: list[str] = []
    for identifier_kind in IDENTIFIER_KINDS:
        value = reader.value(fields, identifier_kind)
        if value is None:
            continue
        key = identifier_key(identifier_kind, value, region)
        if key is None:
            hint = " (write it with its country code, or send a region)" if identifier_kind == "phone" else ""
            reader.problem(identifier_kind, f"not a valid {LABELS[identifier_kind]}{hint}")
            continue
        identifiers[identifier_kind] = (value,)
        kept[identifier_kind] = value
        audited.append(key)
    if name is None and not identifiers:
        if strict:
            raise QueryProblem("name", NOTHING)
        return ReadQuery(None, [], {}, reader.warnings + [NOTHING])
    if name is not None:
        kind = kind or "person"
        audited.append(name)
        kept.update(kind=kind, name=name)
        if birth:
            kept["birth_date"] = birth
        if country:
            kept["country"] = country
    if region and (fields.get("region") or fields.get("country")):
        kept["region"] = region
    query = ScreenQuery(kind=kind if name is not None else "identifier", name=name,  # type: ignore[arg-type]
                        birth_date=birth if name is not None else None,
                        country=country if name is not None else None, identifiers=identifiers, region=region)
    return ReadQuery(query, audited, kept, reader.warnings)


def build_query(fields: Mapping[str, Any], default_region: str | None = None) -> tuple[ScreenQuery, list[str]]:
    """All or nothing: the query and what the audit log records of it; raises ``QueryProblem``."""
    read = read_query(fields, default_region, strict=True)
    assert read.query is not None  # strict reading raises instead
    return read.query, read.audited
