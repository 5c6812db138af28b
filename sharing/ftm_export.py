"""The graph as FollowTheMoney entities, one JSON object per line, pseudonymised unless revealed.

Why FtM: it is how Aleph, yente and OpenSanctions exchange entities, so a partner can load a Sightline
export into the tools they already run. The mapping (``sharing.ftm_mapping``, docs/sharing.md) is read from
the store's dump (``store.dump()``: every node and relationship with all its evidence, the narratives'
records and the merge map), not from the networkx projection, because the projection keeps only the count
of narratives behind each role and none of the narratives' records, and the import must rebuild them.

What is shown is decided per node by the disclosure policy (``sharing.disclosure``): a node it does not
reveal gets its keyed pseudonym (``Pseudonymiser.token``) as name and value, and no evidence sentence, cue
or free text leaves a default export. Entity ids are always keyed pseudonyms of the Sightline ids, stable
under one export key; a revealed export (administrator, audited) carries the Sightline ids and every
sentence in its ``sightline:`` / ``evidence:`` notes, so that importing it gives back the same graph.

Every entity is validated with the FtM model (and with the import's strict check) before it is written: an
invalid one is a bug in this module, and raises.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from rigour.langs import iso_639_alpha3

from graph import model as m
from graph.atomic_file import atomic_open
from sharing.ftm_mapping import (
    EVIDENCE_TAG,
    NODE_SCHEMA,
    PUBLISHER,
    RELATION_KIND,
    SIGHTLINE_TAG,
    TOKEN_KIND,
    USER_ACCOUNT_SERVICE,
    relation_schema,
    tagged,
    type_property,
)
from sharing.ftm_read import check_entity
from sharing.pseudonyms import Pseudonymiser

Progress = Callable[[int, int], None]  # (entities written, entities in all)

# Node props the FtM properties (or the always-present sightline note) carry; the rest is bookkeeping
# that only a revealed export carries, in its note.
NATIVE_PROPS = {
    m.PERSON: {"aliases", "roles", "narrator"}, m.ORGANIZATION: {"kind"}, m.LOCATION: {"country"},
    m.PHONE: {"value", "region"}, m.EMAIL: {"value"}, m.BANK_ACCOUNT: {"value"}, m.CRYPTO_WALLET: {"value", "chain"},
    m.ONLINE_ACCOUNT: {"value", "kind"},
    m.NARRATIVE: {"date", "language", "organisation", "consent", "grading", "indicators", "source_id", "content_hash"},
}
SAFE_EDGE_PROPS = {m.TRAVELLED: ("seq", "mode", "date", "route", "origin", "via"), m.POSSIBLY_SAME_AS: ("score", "status")}
INDICATOR_CODES = ("category", "code", "htcds_value")


class Disclosure(Protocol):
    def reveal(self, node_id: str) -> bool: ...


class FtmExportError(ValueError):
    """Nothing to export, or (a bug) an entity the FtM model refuses."""


class Dumpable(Protocol):
    def dump(self) -> Iterator[dict[str, Any]]: ...


@dataclass(slots=True)
class _Graph:
    """The dump, indexed the way the mapping reads it."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    narratives: dict[str, dict[str, Any]] = field(default_factory=dict)  # source_id -> narrative record
    edges: list[dict[str, Any]] = field(default_factory=list)
    merged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # new -> [old]

    @classmethod
    def of(cls, records: Iterator[dict[str, Any]]) -> _Graph:
        graph = cls()
        for record in records:
            if record["kind"] == "node":
                graph.nodes[record["id"]] = record
            elif record["kind"] == "narrative":
                graph.narratives[record["source_id"]] = record
            elif record["kind"] == "edge":
                graph.edges.append(record)
            else:
                graph.merged[record["new"]].append(record["old"])
        graph.edges.sort(key=lambda e: e["id"])
        return graph


class _Mapper:
    def __init__(self, graph: _Graph, pseudonymiser: Pseudonymiser, reveal: bool, policy: Disclosure | None) -> None:
        self.graph, self.tokens, self.revealed = graph, pseudonymiser, reveal
        self.policy = policy
        self.narrative_node = {(n["props"].get("source_id") or n["name"]): n["id"]
                               for n in graph.nodes.values() if n["label"] == m.NARRATIVE}
        self.uses: dict[str, list[str]] = defaultdict(list)  # user -> identifier nodes (USES_*)
        self.holders: dict[str, list[str]] = defaultdict(list)  # wallet -> owners
        for edge in graph.edges:
            if edge["type"] in (m.USES_PHONE, m.USES_EMAIL):
                self.uses[edge["source"]].append(edge["target"])
            elif edge["type"] == m.OWNS_ACCOUNT and self.label(edge["target"]) == m.CRYPTO_WALLET:
                self.holders[edge["target"]].append(edge["source"])

    def label(self, node_id: str) -> str:
        return self.graph.nodes[node_id]["label"]

    def fid(self, node_id: str) -> str:
        """The FtM id of a node: its keyed pseudonym, in both modes."""
        return self.tokens.token(TOKEN_KIND[self.label(node_id)], node_id)

    def shown(self, node_id: str) -> bool:
        if self.revealed:
            return True
        if self.label(node_id) == m.NARRATIVE or self.policy is None:
            return False
        return self.policy.reveal(node_id)

    def case(self, source_id: str) -> str:
        """How a narrative is named in evidence and roles: its source id, or its pseudonym."""
        if self.revealed:
            return source_id
        node = self.narrative_node.get(source_id)
        return self.fid(node) if node else self.tokens.token(TOKEN_KIND[m.NARRATIVE], source_id)

    # -- nodes -----------------------------------------------------------------------------------------

    def node(self, record: dict[str, Any]) -> EntityProxy:
        label, node_id, props = record["label"], record["id"], record["props"]
        shown = self.shown(node_id)
        name = record["name"] if shown else self.fid(node_id)
        schema = NODE_SCHEMA[label]
        if label == m.ORGANIZATION and props.get("kind") == "business":
            schema = "Company"
        entity = model.make_entity(schema)
        entity.id = self.fid(node_id)
        entity.add("publisher", PUBLISHER)
        note: dict[str, Any] = {"label": label}
        if label == m.PERSON:
            entity.add("name", name)
            if self.revealed:  # aliases are free text: never in a default export (sharing.disclosure)
                entity.add("alias", [a for a in props.get("aliases") or [] if a != name])
            note["roles"] = {role: sorted(self.case(n) for n in narratives)
                             for role, narratives in sorted((props.get("roles") or {}).items())}
            note["narrator"] = bool(props.get("narrator"))
            self._identifiers(entity, node_id)
        elif label == m.ORGANIZATION:
            entity.add("name", name)
            entity.add("classification", props.get("kind"))
            self._identifiers(entity, node_id)
        elif label == m.LOCATION:
            entity.add("full", name)
            self._country(entity, props.get("country"))
        elif label in (m.PHONE, m.EMAIL, m.ONLINE_ACCOUNT):
            entity.add("username", name)
            entity.add("service", USER_ACCOUNT_SERVICE.get(label) or props.get("kind") or "online")
            if shown and label == m.PHONE and registry.phone.validate(record["name"]):
                entity.add("phone", record["name"])
            if shown and label == m.EMAIL and registry.email.validate(record["name"]):
                entity.add("email", record["name"])
            self._country(entity, props.get("region"))
        elif label == m.BANK_ACCOUNT:
            entity.add("iban" if shown else "name", name)
        elif label == m.CRYPTO_WALLET:
            entity.add("publicKey" if shown else "name", name)
            entity.add("blockchain", props.get("chain"))
            entity.add("holder", [self.fid(h) for h in sorted(set(self.holders.get(node_id, [])))])
        elif label == m.NARRATIVE:
            self._narrative(entity, record, name, note)
        if self.revealed:
            note["id"] = node_id
            note["props"] = {k: v for k, v in props.items() if k not in NATIVE_PROPS[label]}
            if node_id in self.graph.merged:
                note["merged_from"] = sorted(self.graph.merged[node_id])
        entity.add("notes", tagged(SIGHTLINE_TAG, note))
        return entity

    def _identifiers(self, entity: EntityProxy, node_id: str) -> None:
        """A person's or organisation's phones and e-mails as FtM properties, where the value is shown."""
        for target in sorted(set(self.uses.get(node_id, []))):
            value = self.graph.nodes[target]["name"]
            if not self.shown(target):
                continue
            kind = "phone" if self.label(target) == m.PHONE else "email"
            if getattr(registry, kind).validate(value):
                entity.add(kind, value)

    @staticmethod
    def _country(entity: EntityProxy, code: Any) -> None:
        if isinstance(code, str) and registry.country.validate(code):
            entity.add("country", code.lower())

    def _narrative(self, entity: EntityProxy, record: dict[str, Any], title: str, note: dict[str, Any]) -> None:
        props = record["props"]
        entity.add("title", title)
        entity.add("fileName", f"{title}.txt")
        date = props.get("date")
        if isinstance(date, str) and registry.date.validate(date):
            entity.add("date", date if self.revealed else date[:4])
        language = props.get("language")
        if isinstance(language, str) and iso_639_alpha3(language):
            entity.add("language", iso_639_alpha3(language))
        note.update({"consent": props.get("consent"), "grading": props.get("grading"), "language": language})
        indicators = props.get("indicators") or []
        note["indicators"] = [ind if self.revealed else {k: ind.get(k) for k in INDICATOR_CODES} for ind in indicators]
        if self.revealed:
            entity.add("publisher", props.get("organisation"))
            note.update({"content_hash": props.get("content_hash"), "date": date,
                         "organisation": props.get("organisation")})
            narrative = self.graph.narratives.get(props.get("source_id") or record["name"])
            if narrative:
                note["ingested_at"] = narrative["ingested_at"]
                entity.add("processedAt", narrative["ingested_at"][:19])
        note["written"] = (props.get("source_id") or record["name"]) in self.graph.narratives

    # -- relationships ---------------------------------------------------------------------------------

    def relation(self, edge: dict[str, Any]) -> EntityProxy:
        type_, source, target = edge["type"], edge["source"], edge["target"]
        schema = relation_schema(type_, self.label(source), self.label(target))
        entity = model.make_entity(schema)
        entity.id = self.tokens.token(RELATION_KIND, edge["id"])
        ends = {"UnknownLink": ("subject", "object"), "Associate": ("person", "associate"),
                "Employment": ("employee", "employer"), "Payment": ("payer", "beneficiary"),
                "Ownership": ("owner", "asset")}[schema]
        entity.add(ends[0], self.fid(source))
        entity.add(ends[1], self.fid(target))
        holds_type = type_property(schema)
        if holds_type:
            entity.add(holds_type, type_)
        entity.add("publisher", PUBLISHER)
        proofs = set()
        for evidence in edge["evidence"]:
            item = {"narrative": self.case(evidence["narrative"]), "start": evidence["start"],
                    "end": evidence["end"], "confidence": evidence["confidence"]}
            if self.revealed:
                item["sentence"] = evidence["sentence"]
            entity.add("description", tagged(EVIDENCE_TAG, item))
            node = self.narrative_node.get(evidence["narrative"])
            if node:
                proofs.add(self.fid(node))
        entity.add("proof", sorted(proofs))
        props = dict(edge["props"]) if self.revealed else {k: edge["props"][k] for k in SAFE_EDGE_PROPS.get(type_, ())
                                                          if k in edge["props"]}
        if type_ == m.TRAVELLED:
            self._route(props)
        if self.revealed:
            entity.add("recordId", edge["id"])
        if props:
            entity.add("description", tagged(SIGHTLINE_TAG, {"props": props}))
        return entity

    def _route(self, props: dict[str, Any]) -> None:
        """A travel leg's place ids as FtM ids; its date as the year and its route id as a pseudonym unless
        revealed (a route id names its narrative)."""
        if props.get("origin") in self.graph.nodes:
            props["origin"] = self.fid(props["origin"])
        if isinstance(props.get("via"), list):
            props["via"] = [self.fid(v) for v in props["via"] if v in self.graph.nodes]
        if not self.revealed:
            if isinstance(props.get("date"), str):
                props["date"] = props["date"][:4]
            if isinstance(props.get("route"), str):
                props["route"] = self.tokens.token("route", props["route"])


def _checked(entity: EntityProxy) -> dict[str, Any]:
    """The entity as a dict, after the FtM model and the import's strict check both accepted it."""
    data = entity.to_dict()
    try:
        entity.schema.validate(data)  # type: ignore[arg-type]  # (a TypedDict in the stubs)
    except InvalidData as error:
        raise FtmExportError(f"bug: the export built an invalid {entity.schema.name} ({error})") from None
    problems = check_entity(data)
    if problems:
        raise FtmExportError(f"bug: the export built an invalid {entity.schema.name}: {'; '.join(problems)}")
    return data


def ftm_entities(records: Iterator[dict[str, Any]], pseudonymiser: Pseudonymiser, reveal: bool = False,
                 policy: Disclosure | None = None) -> Iterator[dict[str, Any]]:
    """Every node, then every relationship (``USES_*`` and wallet ownership too: their evidence needs a
    relation entity, besides the ``phone`` / ``email`` / ``holder`` properties), each as a validated FtM
    entity dict. Without ``reveal`` and without a ``policy`` nothing is shown by name."""
    graph = _Graph.of(records)
    mapper = _Mapper(graph, pseudonymiser, reveal, policy)
    for node_id in sorted(graph.nodes):
        yield _checked(mapper.node(graph.nodes[node_id]))
    for edge in graph.edges:
        if edge["source"] in graph.nodes and edge["target"] in graph.nodes:
            yield _checked(mapper.relation(edge))


def export_ftm(store: Dumpable, out: IO[str], pseudonymiser: Pseudonymiser, reveal: bool = False,
               progress: Progress | None = None, policy: Disclosure | None = None) -> int:
    """Write the store's graph to ``out`` as FtM JSON lines; the number of entities written.

    ``store`` is the graph store itself (its ``dump()`` is read, and ``project()`` for the default policy),
    not a networkx projection: the projection has lost which narratives stand behind each role.
    ``policy`` decides, node by node, what a default export shows by name; by default
    ``sharing.disclosure.disclosure(store.project())``. ``FtmExportError`` for an empty graph."""
    if not hasattr(store, "dump"):
        raise TypeError("export_ftm(store, out, pseudonymiser, reveal, progress) takes the graph store (it reads "
                        "store.dump(): the networkx projection has lost the narratives behind each role)")
    records = list(store.dump())
    if not any(r["kind"] == "node" for r in records):
        raise FtmExportError("the graph is empty: there is nothing to export")
    if policy is None and not reveal:
        from sharing.disclosure import disclosure

        policy = disclosure(store.project())  # type: ignore[attr-defined]
    total = sum(1 for r in records if r["kind"] in ("node", "edge"))
    count = 0
    for data in ftm_entities(iter(records), pseudonymiser, reveal, policy):
        out.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
        if progress and (count % 1000 == 0 or count == total):
            progress(count, total)
    return count


def export_ftm_file(store: Dumpable, path: Path, pseudonymiser: Pseudonymiser, reveal: bool = False,
                    progress: Progress | None = None, policy: Disclosure | None = None) -> int:
    """``export_ftm`` into ``path``, written atomically: a failed export leaves no file (or the old one)."""
    with atomic_open(path) as out:
        return export_ftm(store, out, pseudonymiser, reveal, progress, policy)
