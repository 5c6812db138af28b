"""Imported lists of flagged entities (``sightline watchlist import``): read, validate, store, read back.

A list comes from outside the graph: a partner agency's list of known exploiters' numbers, or an extract
of a sanctions list in FollowTheMoney JSON lines. It is validated as a whole before anything is written:
every row that cannot be read becomes one message naming the row and the problem, and a file with any
such row writes nothing (unless the caller explicitly asks to skip invalid rows). A valid list replaces
the list of the same name in one ``api.sqlite`` transaction, so screening sees the old list or the new
one, never half of either; the ``flagged_lists`` triggers bump the screening version, so every server
process picks the change up on its next request.

Identifiers are checked with ``screening.keys.identifier_key`` (the key partners are matched and
hashed on), so an identifier that could never match is refused at import rather than silently ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from nlp.json_input import JsonInputError, loads
from state.db import ApiDatabase, now
from screening import countries
from screening.dates import DateProblem, iso_date
from screening.keys import identifier_key
from screening.models import IDENTIFIER_KINDS, FlaggedEntity

CSV_COLUMNS = ("reference", "name", "birth_date", "country", "phone", "email", "iban", "wallet", "kind")
LIST_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
CATEGORY = re.compile(r"^[a-z][a-z0-9_]{1,49}$")
MAX_REPORTED = 50  # problems listed in one error; the count says how many more
VALUE_SEPARATOR = re.compile(r"\s*[;|]\s*")  # several values in one CSV cell: "a; b" or "a|b"
FTM_ENTITY_SCHEMAS = {"Person": "person", "Company": "company", "Organization": "company", "LegalEntity": "company"}
FTM_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry")
# Checked with ``screening.keys.identifier_key`` (with the entity's country) instead of FtM's own types.
FTM_IDENTIFIER_TYPES = (registry.phone, registry.email)
FTM_IDENTIFIER_PROPS = ("iban", "publicKey", "cryptoAddress")
FTM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
MAX_FTM_LINE_BYTES = 1 << 20


class ImportFileError(ValueError):
    """The file cannot be imported; ``problems`` holds one line per bad row (row numbers as a person counts)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        shown = self.problems[:MAX_REPORTED]
        more = len(self.problems) - len(shown)
        super().__init__("\n".join([message, *shown] + ([f"... and {more} more"] if more > 0 else [])))


@dataclass(slots=True)
class ParsedList:
    entities: list[FlaggedEntity]
    problems: list[str] = field(default_factory=list)  # rows skipped (only with skip_invalid)
    ignored: int = 0  # FtM records of schemas that hold nothing to screen (Sanction, Address, ...)


@dataclass(frozen=True, slots=True)
class ListInfo:
    name: str
    category: str
    source: str
    entries: int
    imported_at: str
    imported_by: str


def check_list_name(name: str) -> str:
    if not LIST_NAME.match(name):
        raise ImportFileError(f"list name {name[:120]!r} must be 1 to 100 letters, digits, '_', '.' or '-', "
                              "starting with a letter or digit")
    return name


def check_category(category: str) -> str:
    if not CATEGORY.match(category):
        raise ImportFileError(f"category {category[:60]!r} must be 2 to 50 lower-case letters, digits or '_' "
                              "(e.g. recruitment, sexual_exploitation, sanctions)")
    return category


def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 from a code, name, usual form or nationality (``screening.countries``)."""
    return countries.country_code(text)


def check_birth_date(text: str) -> str | None:
    """The date of birth in ISO form (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) from any form
    ``screening.dates`` reads ("1982-9-26", "26/09/1982", "12 Jan 1980"), else None."""
    try:
        return iso_date(text)
    except DateProblem:
        return None


class _Row:
    """Collects one record's values and its problems; turns into a FlaggedEntity if it has none."""

    def __init__(self, where: str, region: str | None) -> None:
        self.where = where
        self.region = region
        self.problems: list[str] = []
        self.identifiers: dict[str, list[str]] = {}

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.where}: {text}")

    def identifier(self, kind: str, value: str) -> None:
        value = value.strip()
        if not value:
            return
        if identifier_key(kind, value, self.region) is None:
            hint = " (write it with its country code, or give the row a country)" if kind == "phone" else ""
            self.problem(f"{kind} {value[:80]!r} is not a valid {kind}{hint}")
            return
        values = self.identifiers.setdefault(kind, [])
        if value not in values:
            values.append(value)

    def frozen_identifiers(self) -> dict[Any, tuple[str, ...]]:
        return {kind: tuple(values) for kind, values in self.identifiers.items() if values}


def _entity(list_name: str, reference: str, kind: str, category: str, reason: str, name: str | None,
            aliases: Iterable[str], birth_date: str | None, country: str | None,
            identifiers: dict[Any, tuple[str, ...]]) -> FlaggedEntity:
    if not name:
        kind = "identifier"
    return FlaggedEntity(id=f"import:{list_name}:{reference}", kind=kind, category=category,  # type: ignore[arg-type]
                         reference=reference, reason=reason, name=name or None,
                         aliases=tuple(a for a in dict.fromkeys(aliases) if a and a != name),
                         birth_date=birth_date, country=country, identifiers=identifiers,
                         source=f"import:{list_name}")


# -- CSV -----------------------------------------------------------------------------------------------

def read_csv(path: Path) -> pd.DataFrame:
    """Every cell as text (never NaN, never a float phone number); clear errors for unreadable files."""
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", skipinitialspace=True)
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: not UTF-8 text; save the file as UTF-8 CSV") from None
    except pd.errors.EmptyDataError:
        raise ImportFileError(f"{path}: the file is empty (a header row is needed)") from None
    except (pd.errors.ParserError, ValueError) as error:
        raise ImportFileError(f"{path}: not a readable CSV file ({str(error).strip()[:200]})") from None
    columns = [str(c).strip().lower() for c in frame.columns]
    if len(set(columns)) != len(columns):
        raise ImportFileError(f"{path}: a column name appears twice ({', '.join(columns)})")
    frame.columns = columns
    return frame


def check_columns(path: Path, frame: pd.DataFrame, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    unknown = [c for c in frame.columns if c not in allowed]
    if unknown:
        raise ImportFileError(f"{path}: unknown column(s) {', '.join(repr(c[:40]) for c in unknown[:10])}; "
                              f"the columns may be any of {', '.join(allowed)}")


def parse_csv(path: Path, list_name: str, category: str, reason: str, default_region: str | None = None,
              default_kind: str = "person") -> ParsedList:
    """One flagged entity per row. Columns: any of ``CSV_COLUMNS``; several values in a cell split on ``;``."""
    frame = read_csv(path)
    check_columns(path, frame, CSV_COLUMNS)
    if not set(frame.columns) & {"name", *IDENTIFIER_KINDS}:
        raise ImportFileError(f"{path}: there is nothing to flag: the file needs a name column or an identifier "
                              f"column ({', '.join(IDENTIFIER_KINDS)})")
    entities: list[FlaggedEntity] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(frame.to_dict("records"), start=2):  # row 1 is the header
        cells = {k: str(v).strip() for k, v in record.items()}
        row = _Row(f"row {number}", None)
        country = None
        if cells.get("country"):
            country = country_code(cells["country"])
            if country is None:
                row.problem(f"country {cells['country'][:60]!r} is not a country code or name this service knows")
        row.region = country or default_region
        birth = None
        if cells.get("birth_date"):
            birth = check_birth_date(cells["birth_date"])
            if birth is None:
                row.problem(f"birth_date {cells['birth_date'][:40]!r} is not a date of birth (YYYY-MM-DD, D/M/YYYY, "
                            "12 Jan 1980, a year, ...)")
        kind = (cells.get("kind") or default_kind).lower()
        if kind not in ("person", "company"):
            row.problem(f"kind {kind[:40]!r} must be person or company")
        for identifier_kind in IDENTIFIER_KINDS:
            for value in VALUE_SEPARATOR.split(cells.get(identifier_kind, "")):
                row.identifier(identifier_kind, value)
        names = [n for n in VALUE_SEPARATOR.split(cells.get("name", "")) if n]
        if any(len(n) > 300 for n in names):
            row.problem("a name is longer than 300 characters")
        if not names and not row.identifiers:
            row.problem("nothing to flag: no name and no identifier")
        reference = cells.get("reference") or f"{list_name}-{number}"
        if len(reference) > 200:
            row.problem("the reference is longer than 200 characters")
        elif reference in seen:
            row.problem(f"reference {reference[:60]!r} is already used on row {seen[reference]}")
        else:
            seen[reference] = number
        if row.problems:
            problems += row.problems
            continue
        entities.append(_entity(list_name, reference, kind, category, reason, names[0] if names else None,
                                names[1:], birth, country, row.frozen_identifiers()))
    return ParsedList(entities, problems)


# -- FollowTheMoney JSON lines -----------------------------------------------------------------------
# Read with the followthemoney library: its model says which schemata and properties exist and what type
# each property has, so names, countries and identifiers are found by type, not by a list of names kept here.

def _ftm_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Each line's JSON, read with a bounded ``readline``: a line over ``MAX_FTM_LINE_BYTES`` ends the file
    with a problem after reading at most that much (a 100 MB line never sits in memory)."""
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(MAX_FTM_LINE_BYTES + 1):
            number += 1
            if len(raw) > MAX_FTM_LINE_BYTES:
                yield number, ImportFileError(f"line {number}: longer than 1 MB; an FtM entity is one short line")
                return
            if raw.strip():
                try:  # bounded nesting: a line nested a thousand deep is a bad line, not a RecursionError
                    yield number, loads(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    yield number, ImportFileError(f"line {number}: not UTF-8 text")
                except JsonInputError as error:
                    yield number, ImportFileError(f"line {number}: {error}")


def _ftm_proxy(record: Any, where: str) -> EntityProxy | list[str]:
    """The record as an FtM entity, or its problems: strict where ``model.get_proxy`` is lenient (it drops
    an unknown property or an invalid value without a word). Never quotes a value; identifiers are checked
    later with the service's own keys (they accept a national number when the entity gives its country)."""
    if not isinstance(record, dict) or not isinstance(record.get("schema"), str) \
            or not isinstance(record.get("properties", {}), dict):
        return [f"{where}: not a FollowTheMoney entity (an object with schema, id and properties)"]
    schema = model.get(record["schema"])
    if schema is None or schema.abstract:
        shown = repr(record["schema"]) if FTM_NAME.match(record["schema"]) else "(not a schema name)"
        return [f"{where}: unknown FollowTheMoney schema {shown}"]
    entity_id = record.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip() or len(entity_id) > 200:
        return [f"{where}: the entity has no id (or one longer than 200 characters)"]
    problems: list[str] = []
    for name, values in (record.get("properties") or {}).items():
        prop = schema.properties.get(name)
        if prop is None or prop.stub:
            shown = repr(name) if FTM_NAME.match(name) else "(not a property name)"
            problems.append(f"{where}: {schema.name} has no property {shown}")
        elif not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append(f"{where}: {schema.name}.{name} must be a list of strings")
        elif prop.type not in FTM_IDENTIFIER_TYPES and prop.name not in FTM_IDENTIFIER_PROPS:
            bad = sum(1 for v in values if v.strip() and not prop.type.validate(v))
            if bad:
                problems.append(f"{where}: {schema.name}.{name}: {bad} value(s) not a valid {prop.type.name}")
    if problems:
        return problems
    properties = {k: [v.strip() for v in vs if v.strip()] for k, vs in (record.get("properties") or {}).items()}
    return model.get_proxy({"id": entity_id, "schema": schema.name, "properties": properties}, cleaned=True)


def _name_values(entity: EntityProxy) -> list[str]:
    """The entity's names, ``name`` first, then every other property of the name type (alias, weakAlias,
    previousName, abbreviation, ...), each once."""
    names = list(entity.get("name", quiet=True))
    names += [n for n in entity.get_type_values(registry.name) if n not in names]
    return list(dict.fromkeys(names))


def _country_values(entity: EntityProxy) -> list[str]:
    """ISO codes from every property of the country type, the entity's own ``country`` and nationality first."""
    preferred = [entity.get(p, quiet=True) for p in FTM_COUNTRY_PROPS]
    codes = [c for values in preferred for c in values] + entity.get_type_values(registry.country)
    return [c.upper() for c in dict.fromkeys(codes) if registry.country.validate(c)]


def parse_ftm(path: Path, list_name: str, category: str, reason: str, default_region: str | None = None) -> ParsedList:
    """People and legal entities with their names, aliases, birth dates, countries, phones and emails (the
    properties of those types); ``CryptoWallet`` addresses joined to their ``holder`` and ``BankAccount``
    IBANs to their owner through ``Ownership`` (a wallet or account whose holder is not in the file is
    flagged on its own). Records of other FtM schemata (sanctions, addresses, ...) are checked, counted and
    ignored; a schema or property FtM does not know is a problem."""
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    problems: list[str] = []
    entities: dict[str, tuple[int, EntityProxy]] = {}
    wallets: list[tuple[str, EntityProxy]] = []
    accounts: dict[str, tuple[str, EntityProxy]] = {}
    owners: dict[str, str] = {}  # asset id -> owner id
    ignored = 0
    for number, record in _ftm_records(path):
        where = f"line {number}"
        entity = record if isinstance(record, ImportFileError) else _ftm_proxy(record, where)
        if isinstance(entity, ImportFileError):
            problems.append(str(entity))
            continue
        if isinstance(entity, list):
            problems += entity
            continue
        entity_id, schema = str(entity.id), entity.schema.name
        if schema in FTM_ENTITY_SCHEMAS:
            if entity_id in entities:
                problems.append(f"{where}: id {entity_id[:60]!r} already appears on line {entities[entity_id][0]}")
                continue
            entities[entity_id] = (number, entity)
        elif schema == "CryptoWallet":
            wallets.append((where, entity))
        elif schema == "BankAccount":
            accounts[entity_id] = (where, entity)
        elif schema == "Ownership":
            for asset in entity.get("asset"):
                owners.setdefault(asset, entity.first("owner") or "")
        else:
            ignored += 1
    extra: dict[str, dict[str, list[tuple[str, str]]]] = {}  # owner id -> kind -> [(where, value)]
    standalone: list[tuple[str, str, str, str]] = []  # (where, reference, kind, value)
    for where, wallet in wallets:
        for value in wallet.get("publicKey") or wallet.get("cryptoAddress"):
            holder = next((h for h in wallet.get("holder") if h in entities), None)
            if holder:
                extra.setdefault(holder, {}).setdefault("wallet", []).append((where, value))
            else:
                standalone.append((where, str(wallet.id), "wallet", value))
    for account_id, (where, account) in accounts.items():
        for value in account.get("iban"):
            owner = owners.get(account_id)
            if owner in entities:
                extra.setdefault(owner, {}).setdefault("iban", []).append((where, value))
            else:
                standalone.append((where, account_id, "iban", value))
    out: list[FlaggedEntity] = []
    for entity_id, (number, entity) in entities.items():
        row = _Row(f"line {number}", None)
        countries = _country_values(entity)
        row.region = countries[0] if countries else default_region
        for kind, type_ in (("phone", registry.phone), ("email", registry.email)):
            for value in entity.get_type_values(type_):
                row.identifier(kind, value)
        for kind, found in extra.get(entity_id, {}).items():
            for where, value in found:
                row.where = where
                row.identifier(kind, value)
        names = _name_values(entity)
        if not entity.get("name", quiet=True):
            row.problem(f"{entity.schema.name} {entity_id[:60]!r} has no name")
        births = [b for b in (check_birth_date(v[:10]) for v in entity.get("birthDate", quiet=True)) if b]
        if row.problems:
            problems += row.problems
            continue
        out.append(_entity(list_name, entity_id, FTM_ENTITY_SCHEMAS[entity.schema.name], category, reason, names[0],
                           names[1:], births[0] if births else None, countries[0] if countries else None,
                           row.frozen_identifiers()))
    for where, reference, kind, value in standalone:
        row = _Row(where, default_region)
        row.identifier(kind, value)
        if row.problems:
            problems += row.problems
            continue
        out.append(_entity(list_name, f"{reference}:{kind}" if any(e.reference == reference for e in out) else reference,
                           "identifier", category, reason, None, (), None, None, row.frozen_identifiers()))
    if not out and not problems:
        problems.append(f"{path}: no Person, Company, Organization, LegalEntity, CryptoWallet or BankAccount "
                        "with something to flag")
    return ParsedList(out, problems, ignored)


def parse_file(path: Path, list_name: str, category: str, reason: str, default_region: str | None = None,
               default_kind: str = "person", skip_invalid: bool = False) -> ParsedList:
    """CSV (``.csv``) or FollowTheMoney JSON lines (``.json``, ``.jsonl``, ``.ftm``), validated as a whole."""
    check_list_name(list_name)
    check_category(category)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        parsed = parse_csv(path, list_name, category, reason, default_region, default_kind)
    elif suffix in (".json", ".jsonl", ".ftm", ".ijson"):
        parsed = parse_ftm(path, list_name, category, reason, default_region)
    else:
        raise ImportFileError(f"{path}: unknown file type {suffix or '(none)'!r}; import a .csv file or "
                              "FollowTheMoney JSON lines (.json, .jsonl, .ftm)")
    if parsed.problems and not (skip_invalid and parsed.entities):
        raise ImportFileError(f"{path}: {len(parsed.problems)} problem(s); nothing was imported", parsed.problems)
    return parsed


# -- storage -------------------------------------------------------------------------------------------

class FlaggedLists:
    """The imported lists in ``api.sqlite`` (tables ``flagged_lists`` and ``flagged_entries``)."""

    def __init__(self, db: ApiDatabase) -> None:
        self.db = db

    def replace(self, name: str, category: str, source: str, entities: list[FlaggedEntity], by: str) -> int | None:
        """Store the list, replacing one of the same name in the same transaction; the old size, if any."""
        with self.db.transaction() as db:
            old = db.execute("SELECT entries FROM flagged_lists WHERE name = ?", (name,)).fetchone()
            db.execute("DELETE FROM flagged_lists WHERE name = ?", (name,))  # entries go with it (cascade)
            db.execute("INSERT INTO flagged_lists VALUES (?, ?, ?, ?, ?, ?)",
                       (name, category, source, len(entities), now(), by))
            db.executemany("INSERT INTO flagged_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(name, seq, e.reference, e.kind, e.name, json.dumps(list(e.aliases), ensure_ascii=False),
                             e.birth_date, e.country, json.dumps({k: list(v) for k, v in e.identifiers.items()},
                                                                 ensure_ascii=False), e.reason)
                            for seq, e in enumerate(entities)])
        return int(old["entries"]) if old else None

    def remove(self, name: str) -> bool:
        with self.db.transaction() as db:
            return db.execute("DELETE FROM flagged_lists WHERE name = ?", (name,)).rowcount > 0

    def lists(self) -> list[ListInfo]:
        return [ListInfo(r["name"], r["category"], r["source"], r["entries"], r["imported_at"], r["imported_by"])
                for r in self.db.query("SELECT * FROM flagged_lists ORDER BY name")]

    def entities(self) -> list[FlaggedEntity]:
        rows = self.db.query("SELECT e.*, l.category FROM flagged_entries e JOIN flagged_lists l "
                             "ON l.name = e.list_name ORDER BY e.list_name, e.seq")
        return [_entity(r["list_name"], r["reference"], r["kind"], r["category"], r["reason"], r["name"],
                        json.loads(r["aliases"]), r["birth_date"], r["country"],
                        {k: tuple(v) for k, v in json.loads(r["identifiers"]).items()})
                for r in rows]
