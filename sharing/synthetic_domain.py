"""The public domain of the synthetic release, and victim-case frames encoded into it and back.

Why a public domain: a differentially private release must not take its set of possible values from the
data. If the list of countries came from the cases, the mere presence of "a country seen once" in the
output's domain would reveal that one victim came from there, whatever noise the counts get. So every
attribute's values come from public sources only:

- countries: every ISO 3166-1 alpha-2 code pycountry knows (249), rare ones included;
- years: a range the caller gives (default 2000 to the current year), never the data's own span;
- age bands: CTDC's bands (``sharing.cases.AGE_BANDS``); sex: female / male (what the texts state);
- organisation type: the HTCDS ``org_Type`` picklist;
- type of exploitation and method of control: the HTCDS picklists plus Sightline's own indicator codes
  (``nlp/data/indicators.json``: ForcedCriminality, RestrictsMovement), one 0/1 attribute per code in the
  CTDC style (``isForcedLabour``, ``meansDebtBondage``).

Every categorical attribute also has a "missing" value (the text did not say), its own category. A value
outside the public domain (a year outside the range, a code no list knows) is encoded as missing, and an
unknown exploitation or control code as ``Other``: HTCDS itself folds unknown codes into Other.

The domain is too big to model as one table (249 x 249 x 249 countries...), but MST models only 1- and
2-way marginals (at most 250 x 250 cells each), and it merges values whose noisy count is under three
standard deviations of the noise into one bucket (post-processing of the DP counts, see
``sharing.synthetic_mst``), so no public coarsening (regions) is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from sharing.cases import AGE_BANDS, SEXES

CATEGORICAL = ("year", "sex", "age_band", "citizenship", "country_of_origin", "country_of_exploitation",
               "organisation_type")
MULTI = {"type_of_exploitation": "is", "method_of_control": "means"}  # column -> CTDC-style flag prefix
QUASI_IDENTIFIERS = ("year", "sex", "age_band", "citizenship", "country_of_origin", "country_of_exploitation")
HTCDS_FIELDS = {"type_of_exploitation": "vic_TypeOfExploitation", "method_of_control": "vic_MethodsOfControl"}
FIRST_YEAR = 2000


class SyntheticInputError(ValueError):
    """The case frame or a parameter cannot be used; the message names the problem, never the data."""


@lru_cache(maxsize=1)
def countries() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code (public, from pycountry), sorted."""
    import pycountry

    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


@lru_cache(maxsize=1)
def _codes() -> dict[str, tuple[str, ...]]:
    """column -> its public code list: the HTCDS picklist, then Sightline's own indicator codes."""
    from nlp.indicators import cues
    from sharing.htcds import picklists

    lists = picklists()
    out: dict[str, tuple[str, ...]] = {}
    for column, field in HTCDS_FIELDS.items():
        own = [cue.code for cue in cues() if cue.category == column]
        out[column] = tuple(dict.fromkeys([*lists[field], *own]))
    out["organisation_type"] = tuple(lists["org_Type"])
    return out


@dataclass(frozen=True)
class PublicDomain:
    """Attributes in model order with their values; categorical attributes end with ``None`` (missing)."""

    values: Mapping[str, tuple[Any, ...]]  # attribute -> its values (the code is the position)
    flags: Mapping[str, tuple[str, str]]  # flag attribute -> (multi-valued column, code)

    @property
    def attributes(self) -> list[str]:
        return list(self.values)

    @property
    def sizes(self) -> list[int]:
        return [len(v) for v in self.values.values()]

    def describe(self) -> dict[str, Any]:
        """What the release's domain is, with its sources: publishable (nothing in it comes from data)."""
        years = [v for v in self.values["year"] if v is not None]
        return {"attributes": len(self.values), "cells_of_largest_attribute": max(self.sizes),
                "years": [min(years), max(years)], "countries": len(countries()),
                "sources": "ISO 3166-1 (pycountry), CTDC age bands, HTCDS 2.0 picklists (IOM, CC BY 4.0), "
                           "Sightline indicator codes; a missing value is its own category"}


def public_domain(years: tuple[int, int] | None = None) -> PublicDomain:
    """The release's domain; ``years`` (first, last) inclusive, default 2000 to the current year."""
    first, last = years or (FIRST_YEAR, dt.date.today().year)
    if not (1900 <= first <= last <= 2100):
        raise SyntheticInputError("the year range must be two years between 1900 and 2100, first <= last")
    codes = _codes()
    values: dict[str, tuple[Any, ...]] = {
        "year": (*range(first, last + 1), None), "sex": (*SEXES, None),
        "age_band": (*(band for _, _, band in AGE_BANDS), None),
        "citizenship": (*countries(), None), "country_of_origin": (*countries(), None),
        "country_of_exploitation": (*countries(), None),
        "organisation_type": (*codes["organisation_type"], None)}
    flags: dict[str, tuple[str, str]] = {}
    for column, prefix in MULTI.items():
        for code in codes[column]:
            values[prefix + code] = (0, 1)
            flags[prefix + code] = (column, code)
    return PublicDomain(values, flags)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (tuple, list, str)) and bool(pd.isna(value)))


def _index(values: tuple[Any, ...], column: str) -> dict[Any, int]:
    index = {v: i for i, v in enumerate(values) if v is not None}
    if column == "year":
        return {int(v): i for v, i in index.items()}
    return index


def _as_key(value: Any, column: str) -> Any:
    if _missing(value):
        return None
    if column == "year":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    text = str(value)
    return text.upper() if column in ("citizenship", "country_of_origin", "country_of_exploitation") else text


def _codes_of(value: Any) -> Iterable[str]:
    if _missing(value):
        return ()
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v) for v in value]


def check_frame(frame: Any) -> pd.DataFrame:
    """The frame if it can be synthesised from; a clear error (naming columns, never values) if not."""
    if not isinstance(frame, pd.DataFrame):
        raise SyntheticInputError("the victim cases must be a pandas DataFrame (sharing.cases.case_frame)")
    missing = [c for c in (*CATEGORICAL, *MULTI) if c not in frame.columns]
    if missing:
        raise SyntheticInputError(f"the case frame lacks the column(s) {', '.join(missing)}")
    if len(frame) == 0:
        raise SyntheticInputError("there are no victim cases to synthesise from")
    return frame


def encode(frame: pd.DataFrame, domain: PublicDomain) -> np.ndarray:
    """The frame as an (n, attributes) integer table of value positions in the public domain."""
    frame = check_frame(frame)
    table = np.zeros((len(frame), len(domain.values)), dtype=np.int64)
    multi = {column: [set(_codes_of(v)) for v in frame[column].tolist()] for column in MULTI}
    for j, (attribute, values) in enumerate(domain.values.items()):
        if attribute in domain.flags:
            column, code = domain.flags[attribute]
            known = {c for a, (col, c) in domain.flags.items() if col == column}
            other = code == "Other"
            table[:, j] = [1 if code in row or (other and bool(row - known)) else 0 for row in multi[column]]
            continue
        index, missing = _index(values, attribute), len(values) - 1
        table[:, j] = [index.get(_as_key(v, attribute), missing) for v in frame[attribute].tolist()]
    return table


def decode(table: np.ndarray, domain: PublicDomain) -> pd.DataFrame:
    """An encoded table back as a case frame (the ``sharing.cases.case_frame`` columns this release has)."""
    columns: dict[str, Any] = {}
    position = {a: j for j, a in enumerate(domain.values)}
    for attribute in CATEGORICAL:
        values = np.array(domain.values[attribute], dtype=object)
        columns[attribute] = values[table[:, position[attribute]]]
    for column in MULTI:
        flags = [(position[a], code) for a, (col, code) in domain.flags.items() if col == column]
        columns[column] = [tuple(sorted(code for j, code in flags if row[j])) for row in table]
    frame = pd.DataFrame(columns)
    frame["year"] = pd.array([None if v is None else int(v) for v in frame["year"]], dtype="Int64")
    for attribute in CATEGORICAL[1:]:
        frame[attribute] = frame[attribute].astype(object).where(frame[attribute].notna(), None)
    return frame


def quasi_identifier_keys(table: np.ndarray, domain: PublicDomain) -> np.ndarray:
    """One integer per row for its quasi-identifier combination (missing counts as a value)."""
    position = [domain.attributes.index(a) for a in QUASI_IDENTIFIERS]
    sizes = [domain.sizes[j] for j in position]
    return np.ravel_multi_index(tuple(table[:, j] for j in position), sizes)
