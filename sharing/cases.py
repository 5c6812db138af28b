"""Victim-case records: one per victim per narrative, the unit every HTCDS export, aggregate table and
synthetic release counts.

HTCDS (and CTDC's public data) describe a *victim case*: one person's trafficking experience as one
organisation recorded it. A narrative that names three victims is three cases; the same woman in two
organisations' narratives is two, as in CTDC, because resolution may be wrong and a shared count must not
depend on it. Only narratives whose consent shares are read (the graph holds no other, but a narrative
whose recorded consent says otherwise is skipped all the same).

Every field is what the narrative states, never a guess; absent stays ``None``:
- sex, age, citizenship and origin come from the victim's own mention (the extraction's person profile,
  kept on the ``MENTIONED_IN`` edge from the person to the narrative);
- country of origin is that stated origin, else the start of the victim's own travel in this narrative
  (or of the narrative's unattributed travel when it has exactly one victim);
- country of exploitation is the country of the place where this victim was exploited in this narrative
  (a place, or a business's located place), else, when the narrative has one victim, where the narrative
  says exploitation happened;
- types of exploitation and methods of control are the narrative's indicators (HTCDS codes): a narrative
  is one account, so what it evidences is recorded for each victim it names;
- methods of recruitment come from the sentences of the ``RECRUITED`` relations towards the victim
  (``nlp.recruitment``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from graph import model as m
from graph.analysis._common import METHOD_OF_CONTROL, TYPE_OF_EXPLOITATION, narrative_codes, roles_of
from graph.build import stated_profile
from graph.insight.dates import read_date
from intake.consent import shares
from nlp.recruitment import recruitment_apps, recruitment_methods

AGGREGATE_FIELDS = ("year", "country_of_origin", "country_of_exploitation", "type_of_exploitation",
                    "method_of_control", "age_band", "sex")
MULTI_VALUED = ("type_of_exploitation", "method_of_control", "method_of_recruitment", "recruitment_apps",
                "route_countries")
# CTDC's age bands (the Counter-Trafficking Data Collaborative's public data use exactly these)
AGE_BANDS = ((0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"), (24, 26, "24--26"),
             (27, 29, "27--29"), (30, 38, "30--38"), (39, 47, "39--47"), (48, 130, "48+"))
SEXES = ("female", "male")


@dataclass(slots=True)
class VictimCase:
    case: str  # the narrative's node id (internal: exports write a pseudonym)
    victim: str  # the person's node id (internal)
    source_id: str  # the narrative's own id as its organisation gave it (internal)
    organisation: str | None  # the submitting organisation (internal: for scoping, never published)
    year: int | None = None
    date: str | None = None  # as the metadata gives it (internal: exports write the year or month)
    sex: str | None = None
    age: int | None = None
    age_band: str | None = None
    citizenship: str | None = None
    country_of_origin: str | None = None
    country_of_exploitation: str | None = None
    type_of_exploitation: tuple[str, ...] = ()
    method_of_control: tuple[str, ...] = ()
    method_of_recruitment: tuple[str, ...] = ()
    recruitment_apps: tuple[str, ...] = ()
    route_countries: tuple[str, ...] = ()
    organisation_type: str | None = None
    consent: str | None = None
    victim_name: str = field(default="", repr=False)  # only ever written by a revealed export


def age_band(age: int | None) -> str | None:
    if age is None or age < 0:
        return None
    return next((band for low, high, band in AGE_BANDS if low <= age <= high), None)


def _country(G: nx.MultiDiGraph, node: str | None) -> str | None:
    if not node or node not in G:
        return None
    data = G.nodes[node]
    if data.get("label") == m.LOCATION:
        code = str(data.get("country") or "").upper()
        return code if len(code) == 2 and code != "XX" else None
    if data.get("label") == m.ORGANIZATION:  # a business: where it is
        for _, place, d in G.out_edges(node, data=True):
            if d.get("type") == m.LOCATED_IN and (code := _country(G, place)):
                return code
    return None


def _in_narrative(data: Mapping[str, Any], source_id: str) -> bool:
    return source_id in (data.get("narratives") or ())


def _first_start(data: Mapping[str, Any], source_id: str) -> int:
    return min((int(e.get("start") or 0) for e in data.get("evidence") or () if e.get("narrative") == source_id),
               default=0)


def _victims(G: nx.MultiDiGraph, narrative: str, source_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(person, what its mentions in this narrative state) for every person who is a victim in it. A person
    an analyst merged from two mentions of one narrative has two ``MENTIONED_IN`` edges to it: one victim,
    the first value each of them states (``graph.build.stated_profile``)."""
    edges: dict[str, list[dict[str, Any]]] = {}
    for person, _, d in G.in_edges(narrative, data=True):
        if d.get("type") == m.MENTIONED_IN and G.nodes[person].get("label") == m.PERSON:
            edges.setdefault(person, []).append(d)
    out = []
    for person, mentions in edges.items():
        victim = False
        for d in mentions:
            roles = ((d.get("version") or {}).get("props") or {}).get("roles")
            victim = victim or ("victim" in roles if isinstance(roles, Mapping)
                                else "victim" in roles_of(G.nodes[person]))
        if victim:
            first = min(_first_start(d, source_id) for d in mentions)
            out.append((first, person, stated_profile(mentions)))
    return [(person, profile) for _, person, profile in sorted(out)]


def _exploitation_country(G: nx.MultiDiGraph, people: Iterable[str], source_id: str) -> str | None:
    found: list[tuple[int, str]] = []
    for person in people:
        for _, site, d in G.out_edges(person, data=True):
            if d.get("type") == m.EXPLOITED_AT and _in_narrative(d, source_id) and (code := _country(G, site)):
                found.append((_first_start(d, source_id), code))
    return min(found)[1] if found else None


def _route(G: nx.MultiDiGraph, traveller: str, source_id: str) -> tuple[str, ...]:
    """Countries of the traveller's legs in this narrative, in order, a country repeated in a row once."""
    chain: list[str] = []
    for leg, destination in _legs_with_destination(G, traveller, source_id):
        for place in [leg.get("origin"), *(leg.get("via") or ()), destination]:
            code = _country(G, place)
            if code and (not chain or chain[-1] != code):
                chain.append(code)
    return tuple(chain)


def _legs_with_destination(G: nx.MultiDiGraph, traveller: str, source_id: str) -> list[tuple[dict[str, Any], str]]:
    legs = [(d, v) for _, v, d in G.out_edges(traveller, data=True)
            if d.get("type") == m.TRAVELLED and _in_narrative(d, source_id)]
    return sorted(legs, key=lambda dv: (str(dv[0].get("route") or ""), int(dv[0].get("seq") or 0)))


def _recruitment_sentences(G: nx.MultiDiGraph, victim: str, source_id: str) -> list[str]:
    return [str(e.get("sentence") or "") for _, _, d in G.in_edges(victim, data=True)
            if d.get("type") == m.RECRUITED for e in d.get("evidence") or () if e.get("narrative") == source_id]


def _profile(edge: Mapping[str, Any]) -> dict[str, Any]:
    """The victim's stated attributes on its MENTIONED_IN edge (``nlp.victim_profile``), checked."""
    sex = edge.get("sex") if edge.get("sex") in SEXES else None
    age = edge.get("age")
    age = int(age) if isinstance(age, (int, float)) and 0 <= age < 130 else None
    citizenship = edge.get("citizenship") or ()
    citizenship = [citizenship] if isinstance(citizenship, str) else list(citizenship)
    nationality = next((str(c).upper() for c in citizenship if isinstance(c, str) and len(c) == 2), None)
    origin = edge.get("origin")
    origin = str(origin).upper() if isinstance(origin, str) and len(origin) == 2 else None
    return {"sex": sex, "age": age, "citizenship": nationality, "origin": origin}


def _narrative_cases(G: nx.MultiDiGraph, narrative: str, organisation_types: Mapping[str, str]) -> list[VictimCase]:
    data = G.nodes[narrative]
    source_id = str(data.get("source_id") or data.get("name") or narrative)
    if not shares(data.get("consent")):
        return []
    victims = _victims(G, narrative, source_id)
    written = read_date(data.get("date"))
    year = int(written.year) if written else None
    exploitation = tuple(sorted(narrative_codes(data, TYPE_OF_EXPLOITATION)))
    control = tuple(sorted(narrative_codes(data, METHOD_OF_CONTROL)))
    organisation = data.get("organisation")
    alone = len(victims) == 1
    narrative_site = None
    if alone:  # the narrative's own statements about where and how, attributable to its only victim
        everyone = [p for p, _, d in G.in_edges(narrative, data=True)
                    if d.get("type") == m.MENTIONED_IN and G.nodes[p].get("label") == m.PERSON]
        narrative_site = _exploitation_country(G, everyone, source_id)
    out = []
    for person, edge in victims:
        profile = _profile(edge)
        route = _route(G, person, source_id) or (_route(G, narrative, source_id) if alone else ())
        sentences = _recruitment_sentences(G, person, source_id)
        out.append(VictimCase(
            case=narrative, victim=person, source_id=source_id, organisation=organisation, year=year,
            date=data.get("date"), sex=profile["sex"], age=profile["age"], age_band=age_band(profile["age"]),
            citizenship=profile["citizenship"], country_of_origin=profile["origin"] or (route[0] if route else None),
            country_of_exploitation=_exploitation_country(G, [person], source_id) or narrative_site,
            type_of_exploitation=exploitation, method_of_control=control,
            method_of_recruitment=recruitment_methods(sentences), recruitment_apps=recruitment_apps(sentences),
            route_countries=route, organisation_type=organisation_types.get(str(organisation or "")),
            consent=data.get("consent"), victim_name=str(G.nodes[person].get("name") or "")))
    return out


def victim_cases(G: nx.MultiDiGraph, organisation_types: Mapping[str, str] | None = None) -> list[VictimCase]:
    """Every victim case of the graph, by narrative id then order of first mention."""
    types = organisation_types or {}
    narratives = sorted((n for n, d in G.nodes(data=True) if d.get("label") == m.NARRATIVE),
                        key=lambda n: str(G.nodes[n].get("source_id") or n))
    return [case for n in narratives for case in _narrative_cases(G, n, types)]


def cases_from_store(store: Any, organisation_types: Mapping[str, str] | None = None) -> list[VictimCase]:
    """The victim cases of a graph store (its networkx projection)."""
    return victim_cases(store.project(), organisation_types)


def case_frame(cases: Iterable[VictimCase]) -> Any:
    """The cases as a pandas DataFrame (columns: the ``VictimCase`` fields but the victim's name; year and
    age as nullable integers, multi-valued fields as tuples)."""
    import pandas as pd

    rows = [{k: v for k, v in asdict(c).items() if k != "victim_name"} for c in cases]
    columns = [f for f in VictimCase.__dataclass_fields__ if f != "victim_name"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("year", "age"):
        frame[column] = frame[column].astype("Int64")
    return frame
