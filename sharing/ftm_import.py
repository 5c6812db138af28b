"""FollowTheMoney JSON lines back into the graph: ``sightline import --format ftm FILE``.

The whole file is read and checked first (``sharing.ftm_read``: strict FtM validation, bounded lines),
then every entity is turned into the graph's own transfer records (node, narrative, edge, merged: the
records ``sightline import`` replays) and those are checked as well; only then is anything written, in one
store transaction through ``graph.stores.transfer.load_batches``, the path the graph import takes. So a bad
file, or one whose links point at entities it does not hold, changes nothing in the store.

A revealed Sightline export comes back as the same graph: the ``sightline:`` note of each entity carries the
node id and the bookkeeping, and the ``evidence:`` values every sentence. A pseudonymised export comes back
as a graph of the same shape (pseudonyms for names, values and narratives; ids derived from the FtM ids).
An FtM file from elsewhere (Aleph, OpenSanctions) of the schemata in ``sharing.ftm_mapping`` is read
by its FtM properties alone: people, organisations, addresses, accounts, wallets and their links.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followthemoney.proxy import EntityProxy
from rigour.langs import iso_639_alpha2

from graph import model as m
from graph.build import organisation_key
from graph.stores.transfer import PreparedLoader, load_batches, record_batch
from nlp.identifiers import mailbox_key
from sharing.ftm_mapping import (
    EVIDENCE_TAG,
    LABEL_OF_SCHEMA,
    RELATION_SCHEMATA,
    SIGHTLINE_TAG,
    THING_SCHEMATA,
    USER_ACCOUNT_SERVICE,
    type_property,
    untag,
)
from sharing.ftm_read import MAX_LINE_BYTES, FtmFileError, read_entities

_TOKEN_ID = re.compile(r"^(person|org)-([0-9a-f]{16})$")
_ID_PREFIX = {m.PERSON: "person:", m.ORGANIZATION: "organization:", m.LOCATION: "location:", m.PHONE: "phone:",
              m.EMAIL: "email:", m.BANK_ACCOUNT: "bankaccount:", m.CRYPTO_WALLET: "cryptowallet:",
              m.ONLINE_ACCOUNT: "onlineaccount:", m.NARRATIVE: "narrative:"}
_SERVICE_LABEL = {service: label for label, service in USER_ACCOUNT_SERVICE.items()}


@dataclass(frozen=True, slots=True)
class FtmImport:
    """The records an FtM file becomes, ready for ``write``; counts for the summary line."""

    records: list[dict[str, Any]]
    node_of: dict[str, str]  # FtM id -> the node id it became
    entities: int
    nodes: int
    edges: int


def _notes(entity: EntityProxy, prop: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The entity's ``sightline:`` note (merged, if several) and its ``evidence:`` values."""
    note: dict[str, Any] = {}
    evidence: list[dict[str, Any]] = []
    for value in entity.get(prop, quiet=True):
        found = untag(value)
        if found and found[0] == SIGHTLINE_TAG:
            note.update(found[1])
        elif found and found[0] == EVIDENCE_TAG:
            evidence.append(found[1])
    return note, evidence


def _first(entity: EntityProxy, *props: str) -> str | None:
    for prop in props:
        value = entity.first(prop, quiet=True)
        if value:
            return value
    return None


class _Builder:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.node_of: dict[str, str] = {}  # FtM id -> node id
        self.label_of: dict[str, str] = {}  # node id -> label
        self.records: list[dict[str, Any]] = []
        self.edge_keys: set[tuple[str, str, str]] = set()

    def thing(self, line: int, entity: EntityProxy) -> None:
        note, _ = _notes(entity, "notes")
        schema = entity.schema.name
        noted = note.get("label")
        label: str = noted if isinstance(noted, str) and noted in m.NODE_LABELS else (
            _SERVICE_LABEL.get(entity.first("service") or "", m.ONLINE_ACCOUNT) if schema == "UserAccount"
            else LABEL_OF_SCHEMA[schema])
        name = self._name(entity, label)
        if not name:
            self.problems.append(f"line {line}: the {schema} has no name or value to make a {label} node of")
            return
        props = self._props(entity, label, name, note)
        given = note.get("id")
        node_id: str = given if isinstance(given, str) else self._node_id(entity, label, name, props)
        if not node_id.startswith(_ID_PREFIX[label]):
            self.problems.append(f"line {line}: the node id of a {label} must start with {_ID_PREFIX[label]!r}")
            return
        if isinstance(note.get("props"), dict):
            props.update(note["props"])
        self.node_of[str(entity.id)] = node_id
        self.label_of[node_id] = label
        self.records.append({"kind": "node", "id": node_id, "label": label, "name": name, "props": props})
        if label == m.NARRATIVE and note.get("written", True):
            self.records.append({"kind": "narrative", "source_id": name, "node": node_id,
                                 "content_hash": props["content_hash"],
                                 "ingested_at": str(note.get("ingested_at") or datetime.now(UTC).isoformat())})
        for old in note.get("merged_from") or []:
            if isinstance(old, str):
                self.records.append({"kind": "merged", "old": old, "new": node_id})

    @staticmethod
    def _name(entity: EntityProxy, label: str) -> str | None:
        return {
            m.PERSON: lambda: _first(entity, "name"), m.ORGANIZATION: lambda: _first(entity, "name"),
            m.LOCATION: lambda: _first(entity, "full", "name", "city"),
            m.PHONE: lambda: _first(entity, "phone", "username"), m.EMAIL: lambda: _first(entity, "email", "username"),
            m.ONLINE_ACCOUNT: lambda: _first(entity, "username"),
            m.BANK_ACCOUNT: lambda: _first(entity, "iban", "accountNumber", "name"),
            m.CRYPTO_WALLET: lambda: _first(entity, "publicKey", "cryptoAddress", "name"),
            m.NARRATIVE: lambda: _first(entity, "title") or (_first(entity, "fileName") or "").removesuffix(".txt"),
        }[label]()

    @staticmethod
    def _props(entity: EntityProxy, label: str, name: str, note: dict[str, Any]) -> dict[str, Any]:
        country = entity.first("country", quiet=True)
        if label == m.PERSON:
            roles = note.get("roles") if isinstance(note.get("roles"), dict) else {}
            return {"aliases": sorted({name, *entity.get("alias")}), "roles": roles,
                    "narrator": bool(note.get("narrator"))}
        if label == m.ORGANIZATION:
            kind = entity.first("classification", quiet=True) or ("business" if entity.schema.name == "Company" else "other")
            return {"kind": kind, "key": organisation_key(name) or name.casefold()}
        if label == m.LOCATION:
            return {"country": country.upper() if country else None}
        if label == m.PHONE:
            return {"value": name, "region": country.upper() if country else None}
        if label == m.EMAIL:
            return {"value": name, "mailbox": mailbox_key(name)}
        if label == m.ONLINE_ACCOUNT:
            return {"value": name, "kind": entity.first("service", quiet=True) or "handle"}
        if label == m.CRYPTO_WALLET:
            return {"value": name, "chain": entity.first("blockchain", quiet=True)}
        if label == m.BANK_ACCOUNT:
            return {"value": name}
        language = note.get("language") or iso_639_alpha2(entity.first("language", quiet=True) or "")
        publisher = [p for p in entity.get("publisher", quiet=True) if p != "Sightline"]
        content_hash = note.get("content_hash") or hashlib.sha256(str(entity.id).encode()).hexdigest()
        return {"source_id": name, "content_hash": content_hash,
                "date": note.get("date") or entity.first("date", quiet=True), "language": language,
                "organisation": note.get("organisation") or (publisher[0] if publisher else None),
                "consent": note.get("consent"), "grading": note.get("grading"),
                "indicators": [i for i in note.get("indicators") or [] if isinstance(i, dict)]}

    @staticmethod
    def _node_id(entity: EntityProxy, label: str, name: str, props: dict[str, Any]) -> str:
        """A node id for an entity without a Sightline id: pseudonymised exports and other tools' files."""
        fid = str(entity.id)
        if label in (m.PERSON, m.ORGANIZATION):
            token = _TOKEN_ID.match(fid)
            if token:
                return _ID_PREFIX[label] + token.group(2)
            return m.person_node_id(fid) if label == m.PERSON else m.organization_node_id(fid)
        if label == m.LOCATION:
            return m.location_node_id(name, props["country"])
        if label == m.NARRATIVE:
            return m.narrative_node_id(props["content_hash"])
        return m.identifier_node_id(label, name)

    def relation(self, line: int, entity: EntityProxy) -> None:
        source_prop, target_prop, default = RELATION_SCHEMATA[entity.schema.name]
        note, evidence = _notes(entity, "description")
        type_ = entity.first(type_property(entity.schema.name) or "", quiet=True)
        type_ = type_ if type_ in m.REL_TYPES else (default or m.ASSOCIATED_WITH)
        source, target = (self.node_of.get(entity.first(p) or "") for p in (source_prop, target_prop))
        if source is None or target is None:
            self.problems.append(f"line {line}: the {entity.schema.name} links an entity that is not in the file")
            return
        refs = []
        for item in evidence:
            try:
                refs.append({"narrative": str(item["narrative"]), "sentence": str(item.get("sentence") or ""),
                             "start": int(item["start"]), "end": int(item["end"]),
                             "confidence": float(item["confidence"])})
            except (KeyError, TypeError, ValueError):
                self.problems.append(f"line {line}: an evidence value lacks narrative, start, end or confidence")
                return
        props = dict(note.get("props") or {}) if isinstance(note.get("props"), dict) else {}
        if isinstance(props.get("origin"), str):
            props["origin"] = self.node_of.get(props["origin"], props["origin"])
        if isinstance(props.get("via"), list):
            props["via"] = [self.node_of.get(v, v) for v in props["via"] if isinstance(v, str)]
        record_id = entity.first("recordId", quiet=True)
        edge_id = record_id if record_id and record_id.startswith(f"{type_}:") else \
            m.edge_id(type_, source, target, str(entity.id))
        self.edge_keys.add((type_, source, target))
        self.records.append({"kind": "edge", "id": edge_id, "type": type_, "source": source, "target": target,
                             "props": props, "evidence": refs})

    def implied(self, entity: EntityProxy) -> None:
        """Links an FtM file states only as properties (a person's ``phone``, a wallet's ``holder``), for
        files from other tools; a Sightline export states each as a relation too, so nothing doubles."""
        node = self.node_of.get(str(entity.id))
        if node is None:
            return
        pairs: list[tuple[str, str, str]] = []
        for prop, label, type_ in (("phone", m.PHONE, m.USES_PHONE), ("email", m.EMAIL, m.USES_EMAIL)):
            for value in entity.get(prop, quiet=True) if entity.schema.name != "UserAccount" else []:
                target = m.identifier_node_id(label, value)
                if target not in self.label_of:
                    self.label_of[target] = label
                    props = {"value": value, "region": None} if label == m.PHONE else \
                        {"value": value, "mailbox": mailbox_key(value)}
                    self.records.append({"kind": "node", "id": target, "label": label, "name": value, "props": props})
                pairs.append((type_, node, target))
        for holder in entity.get("holder", quiet=True) if entity.schema.name == "CryptoWallet" else []:
            if holder in self.node_of:
                pairs.append((m.OWNS_ACCOUNT, self.node_of[holder], node))
        for type_, source, target in pairs:
            if (type_, source, target) not in self.edge_keys:
                self.edge_keys.add((type_, source, target))
                self.records.append({"kind": "edge", "id": m.edge_id(type_, source, target), "type": type_,
                                     "source": source, "target": target, "props": {}, "evidence": []})


def read_ftm(path: Path, limit: int = MAX_LINE_BYTES) -> FtmImport:
    """The file as graph records, every entity and link checked; ``FtmFileError`` (nothing written) if any
    line is bad."""
    entities = read_entities(path, limit)
    builder = _Builder()
    seen: dict[str, int] = {}
    for line, entity in entities:
        name = entity.schema.name
        if name not in THING_SCHEMATA and name not in RELATION_SCHEMATA:
            builder.problems.append(f"line {line}: a {name} has no place in the graph; the graph takes "
                                    f"{', '.join(THING_SCHEMATA + tuple(RELATION_SCHEMATA))}")
        elif str(entity.id) in seen:
            builder.problems.append(f"line {line}: the id is already used on line {seen[str(entity.id)]}")
        seen.setdefault(str(entity.id), line)
    if not builder.problems:
        for line, entity in entities:
            if entity.schema.name in THING_SCHEMATA:
                builder.thing(line, entity)
        for line, entity in entities:
            if entity.schema.name in RELATION_SCHEMATA:
                builder.relation(line, entity)
        for _, entity in entities:
            builder.implied(entity)
    if not builder.problems and not entities:
        builder.problems.append(f"{path}: the file holds no entity")
    if builder.problems:
        raise FtmFileError(f"{path}: {len(builder.problems)} problem(s); nothing was imported", builder.problems)
    try:
        record_batch(builder.records)  # the graph's own model must take every record before one is written
    except (KeyError, TypeError, ValueError) as error:
        raise FtmFileError(f"{path}: an entity does not make a valid graph record ({type(error).__name__}); "
                           "nothing was imported") from None
    nodes = sum(1 for r in builder.records if r["kind"] == "node")
    edges = sum(1 for r in builder.records if r["kind"] == "edge")
    return FtmImport(builder.records, builder.node_of, len(entities), nodes, edges)


def write(store: PreparedLoader, imported: FtmImport, advance: Callable[[int], None] = lambda n: None) -> None:
    """All records in one store transaction (one batch): the store holds all of them afterwards, or none."""
    load_batches(store, imported.records, max(1, len(imported.records)), advance)


def import_ftm_file(store: PreparedLoader, path: Path, advance: Callable[[int], None] = lambda n: None) -> FtmImport:
    """``read_ftm`` then ``write``: the whole import, for the CLI and the API."""
    imported = read_ftm(path)
    write(store, imported, advance)
    return imported
