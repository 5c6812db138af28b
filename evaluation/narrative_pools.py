"""Word pools and sentence templates for the synthetic narrative generator, read from ``evaluation/data/``.

The vocabulary is data, not code: it is what people tune when a benchmark needs harder or more varied
text, and it is several hundred lines of names, places and sentences. It lives in JSON files next to this
module, one file per subject, and is read once at import:

- ``people.json``: first names and surnames per nationality, Vietnamese middle names;
- ``places.json``: countries, cities, transit corridors, travel modes, streets, interpreter languages;
- ``money_and_identifiers.json``: currencies, IBAN structures and bank codes, mobile phone plans,
  crypto wallets, email domains, top-level domains;
- ``organisations.json``: NGOs, legal suffixes, words and patterns for business and agency names;
- ``exploitation.json``: each type of exploitation with its weight, who it targets and its phrases;
- ``report_mix.json``: how often each narrative voice and each source grade occurs;
- ``templates.json``: the sentence templates, and the phrasings of each method of control.

This module gives the pools the names and shapes the generators use: JSON arrays become tuples, and
records (a nationality's names, a currency, a phone plan) become the positional tuples documented below.
Everything is an immutable constant by convention: the generators must stay pure and deterministic, so
no pool is ever mutated at run time.

All people, businesses, NGOs and identifiers built from these pools are fictional. Cities and countries
are real because routes and corridors are only meaningful on real geography.

Closing templates are listed in story order (escape first), and are used in that order.

Template syntax: ``{slot}`` is replaced by a value from the narrative's context. A slot whose first letter
is upper-case (``{She}``) is the capitalised form of the lower-case slot (``she``). A template is only
used when every slot it names is present, which is how optional identifiers (wallet, email, agency,
driver) and guards such as ``{lover}`` (an empty slot present only when a template's premise fits the
network) switch templates on and off.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def _frozen(value: Any) -> Any:
    """``value`` with every JSON array turned into a tuple, at any depth (objects stay dicts)."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


def _load(name: str) -> dict[str, Any]:
    """One pools file from ``evaluation/data/``, arrays as tuples."""
    return _frozen(json.loads((files("evaluation") / "data" / name).read_text(encoding="utf-8")))


# --- people -------------------------------------------------------------------------------

_people = _load("people.json")

#: nationality code -> (adjective, male first names, female first names, surnames).
#: Surnames are in masculine form; ``evaluation.narrative_networks`` derives the feminine form where
#: the language inflects (Polish -ski/-ska, Slovak -ová, Bulgarian -ov/-ova).
NAMES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    nat: (n["adjective"], n["male"], n["female"], n["surnames"]) for nat, n in _people["names"].items()}

#: Vietnamese names are written family, middle, given; the middle name marks gender: (male, female).
VN_MIDDLE: tuple[tuple[str, ...], tuple[str, ...]] = (
    _people["vietnamese_middle_names"]["male"], _people["vietnamese_middle_names"]["female"])

# --- places -------------------------------------------------------------------------------

_places = _load("places.json")

COUNTRY_NAMES: dict[str, str] = _places["country_names"]
CITIES: dict[str, tuple[str, ...]] = _places["cities"]

#: origin -> transit points (city, country) on the usual corridors out of that country.
TRANSIT: dict[str, tuple[tuple[str, str], ...]] = _places["transit"]

#: extra transit points for journeys that end in the UK or Ireland (the Channel crossing).
CHANNEL_TRANSIT: tuple[tuple[str, str], ...] = _places["channel_transit"]

#: origin -> (first-leg modes, second-leg modes).
MODES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    origin: (m["first_leg"], m["second_leg"]) for origin, m in _places["modes"].items()}

STREETS: dict[str, tuple[str, ...]] = _places["streets"]

#: nationality -> the language an interpreter would need (British victims need none).
LANGUAGE: dict[str, str] = _places["interpreter_languages"]

# --- money and identifiers ----------------------------------------------------------------

_money = _load("money_and_identifiers.json")

#: country -> (symbol written before the amount or "", word written after it, units per GBP).
CURRENCY: dict[str, tuple[str, str, float]] = {
    cc: (c["symbol"], c["word"], c["per_gbp"]) for cc, c in _money["currencies"].items()}

#: IBAN country -> BBAN structure from the SWIFT IBAN registry (n digits, a upper-case letters,
#: c alphanumerics). Belgium and Spain are absent: their national check digits would need extra
#: code, so those networks bank in the victims' origin country instead.
IBAN_BBAN: dict[str, str] = _money["iban_bban"]

#: plausible bank identifiers for registries whose BBAN starts with letters.
BANK_CODES: dict[str, tuple[str, ...]] = _money["bank_codes"]

#: country -> (mobile prefixes of the national significant number, its lengths).
PHONE_PLANS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    cc: (p["prefixes"], p["lengths"]) for cc, p in _money["phone_plans"].items()}

#: the only wallets the generator writes: real, checksum-valid example addresses.
WALLETS: tuple[str, ...] = _money["wallets"]

EMAIL_DOMAINS: tuple[str, ...] = _money["email_domains"]

#: country -> top-level domain for business and agency websites.
TLD: dict[str, str] = _money["tld"]

# --- organisations ------------------------------------------------------------------------

_organisations = _load("organisations.json")

NGOS: tuple[str, ...] = _organisations["ngos"]
LEGAL_SUFFIX: dict[str, tuple[str, ...]] = _organisations["legal_suffixes"]
BUSINESS_WORDS: tuple[str, ...] = _organisations["business_words"]
AGENCY_PATTERNS: tuple[str, ...] = _organisations["agency_patterns"]

# --- exploitation types and the mix of reports ----------------------------------------------

#: exploitation -> configuration. Weights are relative; phrases are tuples to draw from; ``ages``
#: and ``price`` are (low, high) ranges.
EXPLOITATION: dict[str, dict[str, object]] = _load("exploitation.json")

_mix = _load("report_mix.json")
STYLES: dict[str, int] = _mix["styles"]
RELIABILITY: dict[str, int] = _mix["reliability"]
CREDIBILITY: dict[str, int] = _mix["credibility"]

# --- templates ----------------------------------------------------------------------------

_templates = _load("templates.json")

#: template group -> templates. fp = first person (the survivor speaks); tp = third person
#: (caseworker and police); cw and po are the caseworker's and the police's own openings,
#: closings and framings ("{She} said that ").
T: dict[str, tuple[str, ...]] = _templates["sentences"]

#: method of control -> (first person, third person, first person negated, third negated).
CONTROL: dict[str, tuple[tuple[str, ...], ...]] = {
    method: (c["first_person"], c["third_person"], c["first_person_negated"], c["third_person_negated"])
    for method, c in _templates["control"].items()}
