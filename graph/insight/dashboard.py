"""Dashboard figures: narratives counted over time, by country, by type of exploitation, by method of control.

The figures are computed from ``NarrativeFacts``, one per narrative, so that the same counting serves two
scopes: an analyst's dashboard takes the facts of every Narrative node of the graph (``facts_from_graph``);
an NGO's takes only its own submissions, read from their stored extractions (``facts_from_extraction``, fed
by ``intake.insight``), so no other organisation's narrative can enter its figures.

Each narrative counts once per month or year (its own date, ``graph.insight.dates``; undated ones are counted
apart), once per country its places are in, and once per type of exploitation and per method of control it
evidences (the HTCDS codes of its indicators). A narrative naming two countries therefore counts in both:
the country table answers "how many narratives involve this country", and its rows do not add up to the total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pycountry

from graph.analysis._common import (
    METHOD_OF_CONTROL,
    TYPE_OF_EXPLOITATION,
    narrative_codes,
    narrative_ids,
)
from graph.insight.dates import read_date
from graph.model import LOCATION, MENTIONED_IN


@dataclass(frozen=True, slots=True)
class NarrativeFacts:
    id: str
    date: str | None  # as its metadata gives it
    countries: frozenset[str]  # ISO 3166-1 alpha-2 codes of the places it names
    exploitation: frozenset[str]  # HTCDS type-of-exploitation codes
    control: frozenset[str]  # HTCDS method-of-control codes


@dataclass(slots=True)
class Count:
    key: str  # a period (YYYY or YYYY-MM), a country code or an HTCDS code
    name: str  # how to show it: the country's name, the code spelt out
    count: int


@dataclass(slots=True)
class Dashboard:
    scope: str  # "graph" (every narrative in the shared graph) or "organisation" (the caller's own)
    organisation: str | None
    narratives: int
    undated: int
    by_month: list[Count]  # in time order, months without narratives included between the first and last
    by_year: list[Count]
    by_country: list[Count]  # most first
    by_exploitation: list[Count]
    by_control: list[Count]


def facts_from_graph(G: nx.MultiDiGraph) -> list[NarrativeFacts]:
    """One record per Narrative node: its date, the countries of the places it mentions, its indicator codes."""
    out = []
    for node, source in sorted(narrative_ids(G).items(), key=lambda kv: kv[1]):
        data = G.nodes[node]
        places = [u for u, _, d in G.in_edges(node, data=True)
                  if d.get("type") == MENTIONED_IN and G.nodes[u].get("label") == LOCATION]
        countries = {str(G.nodes[p].get("country")).upper() for p in places if G.nodes[p].get("country")}
        out.append(NarrativeFacts(source, data.get("date"), frozenset(countries - {"XX", "NONE"}),
                                  frozenset(narrative_codes(data, TYPE_OF_EXPLOITATION)),
                                  frozenset(narrative_codes(data, METHOD_OF_CONTROL))))
    return out


def facts_from_extraction(narrative_id: str, meta: Mapping[str, Any], extraction: Mapping[str, Any],
                          rejected: Iterable[str] = ()) -> NarrativeFacts:
    """One record from a stored extraction (``Extraction.to_dict()``); entities in ``rejected`` (a
    caseworker's corrections) do not count."""
    gone = set(rejected)
    countries = {str(e["country"]).upper() for e in extraction.get("entities") or ()
                 if e.get("label") == "LOCATION" and e.get("country") and e.get("id") not in gone}
    indicators = extraction.get("indicators") or ()
    codes = {category: frozenset(str(i["code"]) for i in indicators if i.get("category") == category and i.get("code"))
             for category in (TYPE_OF_EXPLOITATION, METHOD_OF_CONTROL)}
    return NarrativeFacts(narrative_id, meta.get("date"), frozenset(countries - {"XX"}),
                          codes[TYPE_OF_EXPLOITATION], codes[METHOD_OF_CONTROL])


def country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return str(getattr(found, "common_name", None) or found.name) if found else {"XK": "Kosovo"}.get(code, code)


def spell(code: str) -> str:
    """An HTCDS code as words: "DebtBondage" -> "Debt bondage"."""
    words = "".join(f" {c}" if c.isupper() and i and not code[i - 1].isupper() else c for i, c in enumerate(code))
    return words.strip().capitalize() if words else code


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _ranked(counter: Counter[str], name: Any) -> list[Count]:
    return [Count(k, name(k), n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def dashboard(facts: list[NarrativeFacts], scope: str, organisation: str | None = None) -> Dashboard:
    """The dashboard of these narratives (see the module docstring); zeros and empty lists for none."""
    months: Counter[str] = Counter()
    years: Counter[str] = Counter()
    undated = 0
    for f in facts:
        date = read_date(f.date)
        if date is None:
            undated += 1
            continue
        years[date.year] += 1
        if date.month:
            months[date.month] += 1
    by_month = [Count(m, m, months.get(m, 0)) for m in (_months(min(months), max(months)) if months else [])]
    by_year = [Count(y, y, years.get(y, 0)) for y in
               ([str(y) for y in range(int(min(years)), int(max(years)) + 1)] if years else [])]
    return Dashboard(scope, organisation, len(facts), undated, by_month, by_year,
                     _ranked(Counter(c for f in facts for c in f.countries), country_name),
                     _ranked(Counter(c for f in facts for c in f.exploitation), spell),
                     _ranked(Counter(c for f in facts for c in f.control), spell))
