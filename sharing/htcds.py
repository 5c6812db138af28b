"""Victim cases as Human Trafficking Case Data Standard (HTCDS 2.0) records, as CSV and JSON.

Field names and picklist values come from the standard's own field list, shipped in ``sharing/data`` with
IOM's CC BY 4.0 attribution (which every export repeats). One record per victim case
(``sharing.cases``). The mapping, field by field, is in docs/sharing.md; in short:

- ``prs_Gender`` Feminine / Masculine from the sex the text states (HTCDS records gender; the texts state
  sex or pronouns, and nothing else is read into them);
- ``prs_Citizenship`` ISO 3166 alpha-2; ``vic_AgeWhenTrafficked`` only in a revealed export (an exact age
  is a strong quasi-identifier), the CTDC age band always (``sightline_AgeBand``);
- ``vic_TypeOfExploitation``, ``vic_MethodsOfControl``, ``vic_MethodOfRecruitment``,
  ``vic_RecruitmentWebsitesAndApps``: picklist values; a Sightline code the standard has no value for
  ("ForcedCriminality", "RestrictsMovement") is written ``Other`` and named in the matching
  ``sightline_...Other`` field;
- the route as HTCDS Historic Trafficking Events (``hte_Type`` Recruitment / Transit / Exploitation with
  ``hte_Country``): a list in JSON, three ``hte_Country_<Type>`` columns in CSV;
- ``vic_TraffickingStatus`` PossibleVictimOfTrafficking (a narrative's account, not a decision),
  ``con_Consent`` true (only narratives whose consent shares are exported), ``org_Type`` when configured.

Values the text did not state are empty. Ids are keyed pseudonyms; names only in a revealed export.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

from sharing.cases import VictimCase
from sharing.pseudonyms import Pseudonymiser

ATTRIBUTION = ("Field names and picklist values: Human Trafficking Case Data Standard (HTCDS) 2.0, "
               "International Organization for Migration (IOM), UNMigration/HTCDS, licensed CC BY 4.0 "
               "(https://creativecommons.org/licenses/by/4.0/).")
GENDER = {"female": "Feminine", "male": "Masculine"}
PICKLISTED = {"type_of_exploitation": "vic_TypeOfExploitation", "method_of_control": "vic_MethodsOfControl",
              "method_of_recruitment": "vic_MethodOfRecruitment", "recruitment_apps": "vic_RecruitmentWebsitesAndApps"}
OTHER_FIELD = {"vic_TypeOfExploitation": "sightline_TypeOfExploitationOther",
               "vic_MethodsOfControl": "sightline_MethodsOfControlOther",
               "vic_MethodOfRecruitment": "sightline_MethodOfRecruitmentOther",
               "vic_RecruitmentWebsitesAndApps": "sightline_RecruitmentWebsitesAndAppsOther"}
EVENT_TYPES = ("Recruitment", "Transit", "Exploitation")
COLUMNS = ("sightline_CaseId", "sightline_VictimId", "sightline_Year", "vic_TraffickingStatus", "prs_Gender",
           "sightline_AgeBand", "vic_AgeWhenTrafficked", "prs_Citizenship", "vic_TypeOfExploitation",
           "sightline_TypeOfExploitationOther", "vic_MethodsOfControl", "sightline_MethodsOfControlOther",
           "vic_MethodOfRecruitment", "sightline_MethodOfRecruitmentOther", "vic_RecruitmentWebsitesAndApps",
           "sightline_RecruitmentWebsitesAndAppsOther", "hte_Country_Recruitment", "hte_Country_Transit",
           "hte_Country_Exploitation", "org_Type", "con_Consent")
REVEALED_COLUMNS = ("prs_FirstName", "prs_SecondName", "org_Name", "sightline_SourceId", "sightline_Date")


@lru_cache(maxsize=1)
def picklists() -> dict[str, tuple[str, ...]]:
    """HTCDS field name -> its picklist values, from the shipped field list."""
    text = resources.files("sharing").joinpath("data/htcds-fields-2.0.csv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        values = tuple(v.strip() for v in (row.get("Value Names") or "").splitlines() if v.strip())
        if values and "ISO" not in values[0]:
            out[row["Field Name"].strip()] = values
    return out


def field_names() -> frozenset[str]:
    text = resources.files("sharing").joinpath("data/htcds-fields-2.0.csv").read_text(encoding="utf-8")
    return frozenset(row["Field Name"].strip() for row in csv.DictReader(io.StringIO(text)))


def _picklist(field: str, codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """(picklist values, the codes the standard has no value for, which become ``Other``)."""
    allowed = set(picklists().get(field, ()))
    inside = sorted({c for c in codes if c in allowed})
    outside = sorted({c for c in codes if c not in allowed})
    if outside and "Other" not in inside:
        inside.append("Other")
    return inside, outside


def events(case: VictimCase) -> list[dict[str, str]]:
    """The route as HTCDS Historic Trafficking Events: where recruitment started, transit countries, and
    where exploitation took place (only what the narrative states)."""
    route = list(case.route_countries)
    origin = case.country_of_origin or (route[0] if route else None)
    out = [{"hte_Type": "Recruitment", "hte_Country": origin}] if origin else []
    end = case.country_of_exploitation
    transit = route[1:] if route and route[0] == origin else route
    if transit and end and transit[-1] == end:
        transit = transit[:-1]
    seen = {origin, end}
    for code in transit:
        if code not in seen:
            out.append({"hte_Type": "Transit", "hte_Country": code})
            seen.add(code)
    if end:
        out.append({"hte_Type": "Exploitation", "hte_Country": end})
    return out


def record(case: VictimCase, pseudonyms: Pseudonymiser, reveal: bool = False) -> dict[str, Any]:
    """One HTCDS record (JSON shape: multi-selects as lists, events as a list)."""
    out: dict[str, Any] = {
        "sightline_CaseId": pseudonyms.token("case", case.case),
        "sightline_VictimId": pseudonyms.token("victim", case.victim),
        "sightline_Year": case.year, "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
        "prs_Gender": GENDER.get(case.sex or ""), "sightline_AgeBand": case.age_band,
        "vic_AgeWhenTrafficked": case.age if reveal else None,
        "prs_Citizenship": [case.citizenship] if case.citizenship else [],
    }
    for attribute, field in PICKLISTED.items():
        values, other = _picklist(field, getattr(case, attribute))
        out[field] = values
        out[OTHER_FIELD[field]] = other
    out["hte_TraffickingEvents"] = events(case)
    out["org_Type"] = case.organisation_type
    out["con_Consent"] = True
    if reveal:
        first, _, rest = case.victim_name.partition(" ")
        out.update({"prs_FirstName": first or None, "prs_SecondName": rest or None, "org_Name": case.organisation,
                    "sightline_SourceId": case.source_id, "sightline_Date": case.date})
    return out


def flat(rec: dict[str, Any], reveal: bool = False) -> dict[str, str]:
    """A record as one CSV row: lists joined with ";", events as one column per event type."""
    row: dict[str, str] = {}
    for column in COLUMNS + (REVEALED_COLUMNS if reveal else ()):
        if column.startswith("hte_Country_"):
            kind = column.removeprefix("hte_Country_")
            value: Any = [e["hte_Country"] for e in rec["hte_TraffickingEvents"] if e["hte_Type"] == kind]
        else:
            value = rec.get(column)
        if isinstance(value, list):
            row[column] = ";".join(str(v) for v in value)
        elif isinstance(value, bool):
            row[column] = "true" if value else "false"
        else:
            row[column] = "" if value is None else str(value)
    return row


def records(cases: Iterable[VictimCase], pseudonyms: Pseudonymiser, reveal: bool = False) -> Iterator[dict[str, Any]]:
    for case in cases:
        yield record(case, pseudonyms, reveal)


def write_csv(cases: Iterable[VictimCase], out: TextIO, pseudonyms: Pseudonymiser, reveal: bool = False,
              step: Callable[[], None] | None = None) -> int:
    """The cases as HTCDS CSV (UTF-8, a header row); returns the number of rows. The attribution goes in
    the export's README beside it (a comment line would break CSV readers)."""
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS + (REVEALED_COLUMNS if reveal else ())), lineterminator="\n")
    writer.writeheader()
    count = 0
    for rec in records(cases, pseudonyms, reveal):
        writer.writerow(flat(rec, reveal))
        count += 1
        if step:
            step()
    return count


def write_json(cases: Iterable[VictimCase], out: TextIO, pseudonyms: Pseudonymiser, reveal: bool = False,
               step: Callable[[], None] | None = None) -> int:
    """The cases as one JSON document: the attribution, the standard's version, and the records."""
    out.write('{"standard": "HTCDS 2.0", "attribution": ' + json.dumps(ATTRIBUTION)
              + ', "pseudonymised": ' + json.dumps(not reveal) + ', "records": [')
    count = 0
    for rec in records(cases, pseudonyms, reveal):
        out.write((",\n" if count else "\n") + json.dumps(rec, ensure_ascii=False, sort_keys=True))
        count += 1
        if step:
            step()
    out.write("\n]}\n")
    return count
