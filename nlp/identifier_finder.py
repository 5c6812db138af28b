"""Find identifiers (phones, emails, IBANs, wallets, URLs, handles) in raw text.

Works on characters, not tokens, so it runs the same on English and on text in languages the NER
model does not know. Validation and normalisation come from :mod:`nlp.identifiers`; this module adds
what only context can tell: a run of digits after "£" is a price, after "case ref" a reference number,
and "14/03/2021" is a date, not a phone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.identifiers import (
    EMAIL_RE,
    HANDLE_RE,
    IBAN_RE,
    URL_RE,
    WALLET_RE,
    normalise_email,
    normalise_handle,
    normalise_iban,
    normalise_phone,
    normalise_url,
    normalise_wallet,
)


@dataclass(frozen=True, slots=True)
class IdentifierMatch:
    start: int
    end: int
    label: str
    value: str
    confidence: float
    detail: str | None = None  # phone region, wallet chain, "handle"


PHONE_CANDIDATE_RE = re.compile(r"(?<![\w+/.,-])(?:\+|00)?\(?\d[\d \t().\-/]{5,24}\d(?![\w/]|[.,-]\d)")
_DATE_RE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}")
_YEAR_SUFFIX_RE = re.compile(r"/(?:19|20)\d{2}$|^(?:19|20)\d{2}/")
_MONEY_BEFORE_RE = re.compile(r"(?:[£$€¥₦]|\b(?:eur|usd|gbp|ron|lei|bgn|pln|zl|rs)\.?)\s*$", re.I)
_AFTER_NOT_PHONE_RE = re.compile(
    r"^\s*(?:%|euros?|pounds?|dollars?|lei|leva|zloty|dong|naira|eur\b|usd\b|gbp\b|years?|yrs?|"
    r"months?|days?|hours?|kg|km|miles?|people|plants|times)",
    re.I,
)
_PHONE_CUE_RE = re.compile(
    r"\b(?:phone|mobile|mob|tel|telephone|call(?:ed|ing)?|ring|rang|text(?:ed)?|sms|whats\s?app|viber|"
    r"telegram|signal|cell|number|contact(?:ed)?|dial(?:led)?|reach)\b",
    re.I,
)
_REFERENCE_CUE_RE = re.compile(
    r"\b(?:ref(?:erence)?|case|crime|incident|file|passport|id|account|acct|order|invoice|serial|"
    r"sort\s+code|dob|born|nhs|ni|national\s+insurance|plate|registration|urn|log)\b\.?\s*(?:no\.?|number|#)?"
    r"[\s:#.]*$",
    re.I,
)
_CONTEXT = 40


def _phone_context_ok(text: str, start: int, end: int) -> bool:
    """Reject digit runs that context marks as dates, prices, quantities or reference numbers."""
    candidate = text[start:end]
    if _DATE_RE.fullmatch(candidate.strip("() ")) or _YEAR_SUFFIX_RE.search(candidate):
        return False
    before = text[max(0, start - _CONTEXT) : start]
    after = text[end : end + 20]
    if _MONEY_BEFORE_RE.search(before) or _AFTER_NOT_PHONE_RE.match(after):
        return False
    reference = _REFERENCE_CUE_RE.search(before)
    if reference:
        cue = None
        for cue in _PHONE_CUE_RE.finditer(before):
            pass
        if cue is None or cue.end() <= reference.start():
            return False
    return True


def _phones(text: str, regions: Sequence[str | None], taken: list[tuple[int, int]]) -> list[IdentifierMatch]:
    found: list[IdentifierMatch] = []
    for match in PHONE_CANDIDATE_RE.finditer(text):
        start, end = match.span()
        raw = match.group()
        # A leading "(" only belongs to the number when it opens a group that closes inside it.
        if raw.startswith("(") and ")" not in raw:
            start, raw = start + 1, raw[1:]
        if raw.endswith(")") and raw.count("(") < raw.count(")"):
            end, raw = end - 1, raw[:-1]
        if _overlaps(start, end, taken) or not _phone_context_ok(text, start, end):
            continue
        parsed = normalise_phone(raw, regions)
        if parsed is None:
            continue
        e164, region = parsed
        international = raw.lstrip("(").startswith(("+", "00"))
        found.append(IdentifierMatch(start, end, "PHONE", e164, 0.95 if international else 0.85, region))
    return found


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


def find_identifiers(text: str, regions: Sequence[str | None] = ()) -> list[IdentifierMatch]:
    """Every valid identifier in ``text``, in text order, with no two overlapping.

    ``regions`` are ISO country codes tried, in order, for phone numbers written without a country code.
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
    for item in _phones(text, regions, taken):
        keep(item)
    return sorted(found, key=lambda m: m.start)
