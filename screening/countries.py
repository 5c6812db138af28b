"""Countries as partners' systems write them, read as ISO 3166-1 alpha-2.

A bank's customer file says "Russia", "South Korea", "Ivory Coast", "Türkiye", "UK" or "Romanian" where
pycountry knows "Russian Federation", "Korea, Republic of", "Côte d'Ivoire": refusing those rows would
leave the names unscreened for a spelling. ``country_code`` accepts, after folding (ASCII, lower case,
punctuation and a leading "the" dropped, "&" read as "and", and mojibake repaired first):

1. ISO alpha-2 and alpha-3 codes (``RO``, ``ROU``);
2. pycountry's name, official name and common name of every country;
3. the aliases in ``screening/data/country_aliases.json`` (usual forms, former and local names, the UK's
   nations, Kosovo as ``XK``, the code banks and the EU use for it) and the nationality adjectives
   extraction uses (``nlp/data/demonyms.json``: "Romanian", "British").

Anything else is ``None``: the caller decides whether that refuses the row or is a warning. No fuzzy
guessing: "Niger" and "Nigeria" are one letter apart and are two countries.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

import pycountry
from anyascii import anyascii

from nlp.gazetteer import demonyms
from screening.text import repair

MAX_LENGTH = 100  # no country name is longer; a longer cell is not a country

_PUNCTUATION = re.compile(r"[.'’`´()\[\]/,_\-]+")


def fold(text: str) -> str:
    """The form names are compared in: ASCII, lower case, punctuation as spaces, no leading "the"."""
    value = anyascii(repair(text)).lower().replace("&", " and ")
    value = " ".join(_PUNCTUATION.sub(" ", value).split())
    value = value.replace("d ivoire", "divoire")  # "Côte d'Ivoire" folds to one spelling whatever the apostrophe
    return value[4:] if value.startswith("the ") and len(value) > 4 else value


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Folded code, name or alias -> alpha-2."""
    table: dict[str, str] = {}
    for name, code in demonyms().items():
        table[fold(name)] = code
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table[fold(value)] = country.alpha_2
    raw = json.loads(resources.files("screening").joinpath("data/country_aliases.json").read_text(encoding="utf-8"))
    table.update({fold(alias): code for alias, code in raw.items() if not alias.startswith("_")})
    for country in pycountry.countries:  # codes last: "IN" is India whatever a word might say
        table[country.alpha_2.lower()] = country.alpha_2
        table[country.alpha_3.lower()] = country.alpha_2
    return table


def country_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 (upper case) for a code, name, alias or nationality; ``None`` if not a country."""
    if not text or len(text) > MAX_LENGTH:
        return None
    folded = fold(text)
    if not folded:
        return None
    found = _table().get(folded)
    if found is None and " and " in folded:  # "Bosnia & Herzegovina" folds the same; "Trinidad/Tobago" too
        found = _table().get(folded.replace(" and ", " "))
    return found
