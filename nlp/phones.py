"""Phone numbers in running text: candidates by shape, judged by validity in several regions and by context.

Why not ``phonenumbers.PhoneNumberMatcher`` alone: it finds only numbers that are valid in the one region
it is given, and real narratives write local numbers with no country code and no country named ("call
(212) 555-0187"), often with made-up or drama-range digits that no numbering plan accepts. So:

1. candidates come from one character-level pattern (digits with the separators people write, an
   optional ``+``/``00``/``(+30)`` prefix and an extension: ``x4587``, ``ext. 12``);
2. shapes that are never phones are dropped: dates, year ranges, US social security numbers,
   ZIP+4 codes, slash-separated references; context drops prices, quantities and anything right after a
   reference word (case, docket, passport, MTCN, ...);
3. a candidate valid in one of the regions (the narrative's, the countries it names, the organisation's,
   then the configured default list, in that order) becomes an E.164 value with its region;
4. a candidate no region validates is still kept, with lower confidence, when it is written
   internationally or when a phone cue ("call", "WhatsApp", "reached at", ...) is near: its value is then
   its digits (``+`` and the digits for an international number) and ``detail`` lists the regions in
   which it is at least a possible number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from nlp.identifiers import phone_digits

# Tried after the narrative's own hints; SIGHTLINE_PHONE_REGIONS replaces it.
DEFAULT_PHONE_REGIONS: tuple[str, ...] = (
    "US", "GB", "IE", "NG", "GH", "FR", "DE", "IT", "ES", "NL", "BE", "PL", "RO", "BG", "AU", "IN",
)
VALID_INTERNATIONAL = 0.95
VALID_HINTED = 0.85  # valid in the narrative's region or a country it names
VALID_DEFAULT = 0.8  # valid only in a region of the default list
UNVALIDATED_INTERNATIONAL = 0.6
UNVALIDATED_CUED = 0.5

CANDIDATE_RE = re.compile(
    r"(?<![\w+/.,:;-])"
    r"(?:\(\+\d{1,4}\)[ .-]?|\+|00)?\(?\d[\d \t().\-/]{5,24}\d"
    r"(?:[ ]?(?:x|ext\.?|extn\.?|extension|#)[ ]?\d{1,6})?"
    r"(?![\w/]|[.,-]\d)",
    re.IGNORECASE,
)
_EXTENSION_RE = re.compile(r"[ ]?(?:x|ext\.?|extn\.?|extension|#)[ ]?(\d{1,6})$", re.IGNORECASE)


def split_extension(raw: str) -> tuple[str, str | None]:
    """'212-555-0187 ext. 12' → ('212-555-0187', 'ext 12'): the number, and its extension as ``detail`` says it."""
    match = _EXTENSION_RE.search(raw)
    return (raw[: match.start()], f"ext {match.group(1)}") if match else (raw, None)
_NEVER_PHONE_RES = (
    re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}"),  # dates
    re.compile(r"(?:19|20)\d{2}\s?[-/–]\s?(?:19|20)?\d{2}"),  # year ranges
    re.compile(r"\d{3}-\d{2}-\d{4}"),  # US social security numbers
    re.compile(r"\d{5}-\d{4}"),  # US ZIP+4
    re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"),  # amounts with thousands separators
    re.compile(r"\d{3,6}/\d{2}"),  # file numbers with a two-digit year: "Js 75343/23"
)
_YEAR_SUFFIX_RE = re.compile(r"/(?:19|20)\d{2}$|^(?:19|20)\d{2}/")
_MONEY_BEFORE_RE = re.compile(
    r"(?:[£$€¥₦₵₹]|\b(?:eur|usd|gbp|ron|lei|bgn|pln|zl|rs|ngn|ghs|cfa|xof|n|ghc|chf|kes|naira)\.?)\s*$", re.I)
_AFTER_NOT_PHONE_RE = re.compile(
    r"^\s*(?:%|percent|euros?|pounds?|dollars?|lei|leva|zloty|dong|naira|cedis?|francs?|eur\b|usd\b|gbp\b|"
    r"years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|kg|km|miles?|people|persons?|plants|times|"
    r"units?|pieces?|tonnes?|tons?|litres?|liters?|metres?|meters?|m2|sq)\b",
    re.I,
)
PHONE_CUE_RE = re.compile(
    r"\b(?:phone[sd]?|phoning|mobile|mob|tel|telephone|cell(?:phone)?|call(?:s|ed|ing)?|ring(?:s|ing)?|rang|"
    r"text(?:s|ed|ing)?|sms|whats\s?app|viber|telegram|signal|imo|number|line|hotline|contact(?:s|ed)?|"
    r"dial(?:l?ed)?|reach(?:ed|able)?|fax|ph|msisdn|momo|handset|burner|voicemail)\b",
    re.I,
)
# "<word> no. 2022-00381945": a number of some kind; a phone only when the word says so ("mobile no.").
_NUMBER_OF_RE = re.compile(r"\b([a-z]+)\.?\s*(?:no\.?|num(?:ber)?\.?|nr\.?|#)\s*[:#.]*\s*$", re.I)
_NOT_A_KIND = frozenset({"the", "a", "an", "his", "her", "their", "my", "your", "our", "its", "this", "that", "same",
                         "new", "old", "another", "other", "with", "at", "on", "from", "to", "as", "under", "via",
                         "and", "or", "same", "second", "first", "uk", "us", "local", "foreign", "romanian",
                         "contact", "private", "work", "personal", "business", "office", "home"})
_CUE_WINDOW_BEFORE = 48
_CUE_WINDOW_AFTER = 24
DIGITS_MIN, DIGITS_MAX = 7, 15


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    start: int
    end: int
    value: str  # E.164, or the digits of a number no region validates
    confidence: float
    region: str | None  # region of a valid number
    detail: str | None  # "ext 12"; "unvalidated: US GB" for a kept number no region validates


_SENTENCE_BREAK_RE = re.compile(r"(?<=\d)[.,;] ")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A leading '(' belongs to the number only when it closes inside it; likewise a trailing ')'. A
    number never runs across a sentence break ('0517135560. 60 € half hour')."""
    raw = text[start:end]
    cut = _SENTENCE_BREAK_RE.search(raw)
    if cut:
        end = start + cut.start()
        raw = text[start:end]
    if raw.startswith("(") and ")" not in raw:
        start += 1
    raw = text[start:end]
    if raw.endswith(")") and raw.count("(") < raw.count(")"):
        end -= 1
    while end > start and text[end - 1] in " -./(":
        end -= 1
    return start, end


def never_a_phone(raw: str) -> bool:
    """Shapes that no one writes a phone number in: dates, year ranges, SSNs, ZIP+4, amounts."""
    core = raw.strip("() ")
    if core.startswith("+") or raw.startswith("(+"):
        return False
    if any(pattern.fullmatch(core) for pattern in _NEVER_PHONE_RES) or _NEVER_PHONE_RES[0].match(core):
        return True
    if len(phone_digits(split_extension(core)[0])) > 14 and not core.startswith("00"):
        return True  # IMEIs, card and account numbers: no national number is this long
    return bool(_YEAR_SUFFIX_RE.search(core) or core.count("/") >= 2)


# Words that may stand between a label and its number: "passport, number 620730380", "NIN is 706...".
_FILLER_TAIL_RE = re.compile(
    r"(?:\b(?:is|was|are|were|be|been|number|numbers|no|nr|num|recorded|given|listed|shown|such|as|of|the|a|an|"
    r"on|at|under|reads?|read)\b|[\s,:;#.(\-–])*$", re.I)
_REFERENCE_WORD_RE = re.compile(
    r"\b(?:ref(?:erence)?s?|case|crime|incident|file|docket|passport|id|identity|account|acct|order|invoice|serial|"
    r"routing|dob|nhs|ni|nin|bvn|ssn|spn|dl|tax|vat|ein|itin|licen[cs]e|plate|registration|reg|vin|urn|log|mtcn|"
    r"control|tracking|receipt|transaction|txn|booking|badge|inmate|arrest|warrant|report|complaint|exhibit|item|"
    r"lot|batch|pin|code|zip|postcode|cr|crn|pnc|cad|policy|claim|permit|visa|card|iban|cheque|check|imei|iccid|"
    r"sim|meid|form|record|indictment|listing|alert|escalation|employee|staff|payroll|custody|occurrence|"
    r"matter|petition|count|charge|citation|notice|number\s+plate|seal|container|parcel|shipment|flight|a/c|born|"
    r"insurance|security|oasys|op|operation|residence|bic|swift)$", re.I)


_LETTER_AFTER_RE = re.compile(r" [A-Z]\b")


def _context_rejects(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - _CUE_WINDOW_BEFORE) : start]
    after = text[end : end + 20]
    number_of = _NUMBER_OF_RE.search(before)
    kind = number_of.group(1).lower() if number_of else ""
    if number_of and kind not in _NOT_A_KIND and not PHONE_CUE_RE.fullmatch(kind):
        return True
    if _LETTER_AFTER_RE.match(after) and re.search(r"\b[A-Z]{1,3} $", before):
        return True  # "QQ 88 41 27 B": a National Insurance number, letters on both sides
    label = _FILLER_TAIL_RE.sub("", before)  # a reference word right before the digits, fillers aside
    return bool(_REFERENCE_WORD_RE.search(label[-24:]) or _MONEY_BEFORE_RE.search(before)
                or _AFTER_NOT_PHONE_RE.match(after))


def phone_cue_near(text: str, start: int, end: int) -> bool:
    """A word that says 'this is a phone number' in the same clause, before it or just after it."""
    before = text[max(0, start - _CUE_WINDOW_BEFORE) : start]
    before = re.split(r"[.;!?\n]\s", before)[-1]
    after = re.split(r"[.;!?\n]\s", text[end : end + _CUE_WINDOW_AFTER])[0]
    return bool(PHONE_CUE_RE.search(before) or PHONE_CUE_RE.search(after))


def _parse(raw: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=8192)
def judge(raw: str, regions: tuple[str, ...], hinted: int) -> tuple[str, float, str | None, str | None] | None:
    """``(value, confidence, region, detail)`` for a candidate written as ``raw``, without context.

    ``regions`` are tried in order; the first ``hinted`` of them come from the narrative itself.
    Returns a valid number, or an unvalidated international one; ``None`` when only a cue could save it.
    """
    number_part, detail = split_extension(raw)
    digits = phone_digits(number_part)
    if not DIGITS_MIN <= len(digits) <= DIGITS_MAX + 2:
        return None
    plain = raw.lstrip("(")
    international = plain.startswith("+") or (plain.startswith("00") and not plain.startswith("000"))
    if international:
        number = _parse("+" + (digits[2:] if plain.startswith("00") else digits), None)
        if number is None:
            return None
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number):
            return e164, VALID_INTERNATIONAL, phonenumbers.region_code_for_number(number), detail
        if phonenumbers.is_possible_number(number) or 8 <= len(digits) <= DIGITS_MAX:
            return e164, UNVALIDATED_INTERNATIONAL, None, _join("unvalidated", detail)
        return None
    for index, region in enumerate(regions):
        number = _parse(raw, region)
        if number is not None and phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return e164, VALID_HINTED if index < hinted else VALID_DEFAULT, region, detail
    return None


def possible_regions(raw: str, regions: Sequence[str]) -> list[str]:
    found = []
    for region in regions:
        number = _parse(raw, region)
        if number is not None and phonenumbers.is_possible_number(number):
            found.append(region)
    return found


def _join(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return "; ".join(kept) if kept else None


def find_phones(text: str, hints: Sequence[str | None] = (),
                defaults: Sequence[str] = DEFAULT_PHONE_REGIONS) -> list[PhoneMatch]:
    """Every phone number in ``text``; ``hints`` are the narrative's regions, most trusted first."""
    hinted = tuple(dict.fromkeys(r.upper() for r in hints if r))
    regions = hinted + tuple(r for r in dict.fromkeys(d.upper() for d in defaults) if r not in hinted)
    found: list[PhoneMatch] = []
    for match in CANDIDATE_RE.finditer(text):
        start, end = _trim(text, *match.span())
        raw = text[start:end]
        if never_a_phone(raw) or _context_rejects(text, start, end):
            continue
        judged = judge(raw, regions, len(hinted))
        if judged is not None:
            value, confidence, region, detail = judged
            found.append(PhoneMatch(start, end, value, confidence, region, detail))
            continue
        if not phone_cue_near(text, start, end):
            continue
        number_part, extension = split_extension(raw)
        candidates = possible_regions(number_part, regions)
        if not candidates:
            continue
        detail = _join("unvalidated: " + " ".join(candidates), extension)
        found.append(PhoneMatch(start, end, phone_digits(number_part), UNVALIDATED_CUED, None, detail))
    return found
