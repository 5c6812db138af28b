"""Find identifiers (phones, emails, IBANs, wallets, URLs, handles) in raw text.

Works on characters, not tokens, so it runs the same on English and on text in languages the NER
model does not know. Validation and normalisation come from :mod:`nlp.identifiers`; phone numbers,
which need context most ("14/03/2021" is a date, digits after "case ref" a reference), from
:mod:`nlp.phones`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.identifiers import (
    EMAIL_RE, HANDLE_RE, IBAN_RE, URL_RE, WALLET_RE, normalise_email, normalise_handle, normalise_iban, normalise_url,
    normalise_wallet,
)
from nlp.phones import DEFAULT_PHONE_REGIONS, find_phones


@dataclass(frozen=True, slots=True)
class IdentifierMatch:
    start: int
    end: int
    label: str
    value: str
    confidence: float
    detail: str | None = None  # wallet chain, "handle"; a phone's extension or "unvalidated: ..."
    region: str | None = None  # a valid phone number's region


def _phones(text: str, regions: Sequence[str | None], defaults: Sequence[str],
            taken: list[tuple[int, int]]) -> list[IdentifierMatch]:
    return [IdentifierMatch(p.start, p.end, "PHONE", p.value, p.confidence, p.detail, p.region)
            for p in find_phones(text, regions, defaults) if not _overlaps(p.start, p.end, taken)]


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def _iban_at(text: str, match: re.Match[str]) -> tuple[int, str] | None:
    """Longest valid IBAN in a match: the regex may run into following capitalised words."""
    groups = match.group().split(" ")
    for size in range(len(groups), 0, -1):
        candidate = " ".join(groups[:size])
        value = normalise_iban(candidate)
        if value:
            return match.start() + len(candidate), value
    return None


def find_identifiers(text: str, regions: Sequence[str | None] = (),
                     phone_regions: Sequence[str] = DEFAULT_PHONE_REGIONS) -> list[IdentifierMatch]:
    """Every valid identifier in ``text``, in text order, with no two overlapping.

    ``regions`` are ISO country codes tried, in order, for phone numbers written without a country code;
    ``phone_regions`` after them (see :mod:`nlp.phones`).
    """
    found: list[IdentifierMatch] = []
    taken: list[tuple[int, int]] = []

    def keep(item: IdentifierMatch) -> None:
        if not _overlaps(item.start, item.end, taken):
            found.append(item)
            taken.append((item.start, item.end))

    for match in EMAIL_RE.finditer(text):
        email = normalise_email(match.group())
        if email:
            keep(IdentifierMatch(match.start(), match.end(), "EMAIL", email, 0.99))
    for match in URL_RE.finditer(text):
        raw = match.group().rstrip(".,;:!?")
        url = normalise_url(raw)
        if url:
            keep(IdentifierMatch(match.start(), match.start() + len(raw), "URL", url, 0.95))
    for match in IBAN_RE.finditer(text):
        parsed = _iban_at(text, match)
        if parsed:
            keep(IdentifierMatch(match.start(), parsed[0], "IBAN", parsed[1], 0.99))
    for match in WALLET_RE.finditer(text):
        wallet = normalise_wallet(match.group())
        if wallet:
            keep(IdentifierMatch(match.start(), match.end(), "CRYPTO_WALLET", wallet.value, 0.99, wallet.chain))
    for match in HANDLE_RE.finditer(text):
        handle = normalise_handle(match.group())
        if handle:
            keep(IdentifierMatch(match.start(), match.end(), "URL", handle, 0.8, "handle"))
    for item in _phones(text, regions, phone_regions, taken):
        keep(item)
    return sorted(found, key=lambda m: m.start)
