"""One partner query (an API item or a row of a batch file) checked and turned into a ``ScreenQuery``.

Shared by ``POST /v1/screen`` and ``sightline screen`` so that both accept and refuse exactly the same
things. An identifier that is not valid for its kind is refused with a message naming the field (never
echoing the value, which may be someone's number): answering "no match" for a number the service could
not even read would be a false reassurance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screening.keys import identifier_key
from screening.models import IDENTIFIER_KINDS, ScreenQuery


LABELS = {"phone": "phone number", "email": "email address", "iban": "IBAN (country format and checksum)",
          "wallet": "crypto wallet address (checksum)"}


class QueryProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def build_query(fields: Mapping[str, Any], default_region: str | None = None) -> tuple[ScreenQuery, list[str]]:
    """The query, and what the audit log records of it (identifier keys and the name, hashed there)."""
    kind = _text(fields, "kind")
    name = _text(fields, "name")
    country = _text(fields, "country")
    region = (_text(fields, "region") or country or default_region or "").upper() or None
    identifiers: dict[Any, tuple[str, ...]] = {}
    audited: list[str] = []
    for identifier_kind in IDENTIFIER_KINDS:
        value = _text(fields, identifier_kind)
        if value is None:
            continue
        key = identifier_key(identifier_kind, value, region)
        if key is None:
            hint = " (write it with its country code, or send a region)" if identifier_kind == "phone" else ""
            raise QueryProblem(identifier_kind, f"not a valid {LABELS[identifier_kind]}{hint}")
        identifiers[identifier_kind] = (value,)
        audited.append(key)
    if name is not None:
        kind = kind or "person"
        if kind not in ("person", "company"):
            raise QueryProblem("kind", "must be person or company")
        audited.append(name)
    elif not identifiers:
        raise QueryProblem("name", "nothing to screen: give a name or an identifier (phone, email, iban, wallet)")
    query = ScreenQuery(kind=kind if name is not None else "identifier", name=name,  # type: ignore[arg-type]
                        birth_date=_text(fields, "birth_date") if name is not None else None,
                        country=country.upper() if country and name is not None else None,
                        identifiers=identifiers, region=region)
    return query, audited
