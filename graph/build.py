"""One narrative's ``Extraction`` as a graph fragment: nodes with stable ids, and relationships with evidence.

Pure: no store. Everything whose identity follows from its value gets its final id here (identifiers,
places, organisations, the narrative). People do not: mentions of one person inside the narrative are
grouped into a ``LocalPerson`` ("Andrei Munteanu", "Munteanu", "he said his name was Andrei Munteanu"),
and ``graph.resolution`` later decides, against the store, which existing person each one is.
Edges touching a local person name it as ``local:<key>`` until then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph import model as m
from graph.organisation_kinds import organisation_kind
from nlp.extraction import NARRATOR, Entity, Evidence, Extraction
from nlp.identifiers import clean_display_name, fold, mailbox_key, name_key

LOCAL = "local:"
PROFILE_PROPS = ("sex", "age", "citizenship", "origin")  # stated attributes on a MENTIONED_IN edge
_RELATION_TYPES = {
    "RECRUITED": m.RECRUITED, "EXPLOITED_AT": m.EXPLOITED_AT, "WORKED_AT": m.WORKED_AT,
    "CONTROLLED": m.CONTROLLED, "PAID": m.PAID, "USES_PHONE": m.USES_PHONE, "USES_EMAIL": m.USES_EMAIL,
    "OWNS_ACCOUNT": m.OWNS_ACCOUNT, "ASSOCIATED_WITH": m.ASSOCIATED_WITH,
}
_LEGAL_SUFFIXES = frozenset("ltd limited llc inc srl sa sp zoo gmbh bv plc co company".split())
_LOCATED_GAP = re.compile(r"^\s*(?:,\s*)?(?:in|at|on|near|off|outside|from)\s+(?:the\s+)?$|^\s*,\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@dataclass(slots=True)
class NarrativeMeta:
    """What the submitter tells us about a narrative, beside its text."""

    source_id: str
    organisation: str | None = None
    date: str | None = None
    language: str | None = None
    consent: str | None = None
    grading: str | None = None  # Admiralty code, e.g. "B2"

    def props(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "organisation": self.organisation, "date": self.date,
                "language": self.language, "consent": self.consent, "grading": self.grading}


@dataclass(slots=True)
class LocalPerson:
    key: str
    names: list[str]  # display names of its mentions, longest first
    narrator: bool = False
    roles: dict[str, m.EvidenceRef] = field(default_factory=dict)
    # (relationship type, node id) pairs tying it to identifiers, businesses and places: resolution context
    context: set[tuple[str, str]] = field(default_factory=set)
    # identifiers and businesses named anywhere in the same narrative: weaker, narrative-level context
    nearby: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(slots=True)
class PendingEdge:
    type: str
    source: str
    target: str
    evidence: m.EvidenceRef
    props: dict[str, Any] = field(default_factory=dict)
    qualifier: str = ""


@dataclass(slots=True)
class Fragment:
    source_id: str
    content_hash: str
    narrative: m.Node
    nodes: dict[str, m.Node] = field(default_factory=dict)
    persons: dict[str, LocalPerson] = field(default_factory=dict)
    edges: list[PendingEdge] = field(default_factory=list)


def organisation_key(name: str) -> str:
    """Folded tokens without legal suffixes: 'Northgate Construction Ltd' = 'NORTHGATE CONSTRUCTION'."""
    tokens = re.findall(r"[^\W_]+", fold(name))
    kept = [t for t in tokens if t not in _LEGAL_SUFFIXES] or tokens
    if kept and kept[0] == "the":
        kept = kept[1:] or kept
    return " ".join(kept)


def build_fragment(extraction: Extraction, meta: NarrativeMeta, text: str, content_hash: str) -> Fragment:
    narrative = m.Node(m.narrative_node_id(content_hash), m.NARRATIVE, meta.source_id,
                       {**meta.props(), "content_hash": content_hash, "language": extraction.language,
                        "ner": extraction.ner, "indicators": _indicators(extraction)})
    fragment = Fragment(meta.source_id, content_hash, narrative)
    endpoint: dict[str, str] = {}  # extraction entity id -> node id or local person ref
    for entity in extraction.entities:
        node_id = _entity_node(fragment, entity)
        if node_id is not None:
            endpoint[entity.id] = node_id
    _group_persons(fragment, extraction, endpoint)
    if extraction.narrator:
        key = "narrator"
        fragment.persons[key] = LocalPerson(key, [f"narrator of {meta.source_id}"], narrator=True)
        endpoint[NARRATOR] = LOCAL + key
    _mentions(fragment, extraction, endpoint)
    _profiles(fragment, extraction, endpoint)
    _relations(fragment, extraction, endpoint)
    _routes(fragment, extraction, endpoint)
    _roles(fragment, extraction, endpoint)
    _located_in(fragment, extraction, endpoint, text)
    distinctive = {n.id for n in fragment.nodes.values() if is_distinctive(n)}
    for person in fragment.persons.values():
        person.nearby = set(distinctive)
    return fragment


def is_distinctive(node: m.Node) -> bool:
    """Identifiers and businesses single a network out; places, platforms and authorities do not."""
    if node.label in m.IDENTIFIER_NODE_LABELS:
        return True
    return node.label == m.ORGANIZATION and node.props.get("kind") in ("business", "other")


def _evidence(source_id: str, evidence: Evidence) -> m.EvidenceRef:
    return m.EvidenceRef(source_id, evidence.sentence, evidence.start, evidence.end, round(evidence.confidence, 4))


def _indicators(extraction: Extraction) -> list[dict[str, Any]]:
    return [{"code": i.code, "category": i.category, "htcds_value": i.htcds_value, "cue": i.cue,
             "sentence": i.evidence.sentence, "start": i.evidence.start, "end": i.evidence.end}
            for i in extraction.indicators]


def _entity_node(fragment: Fragment, entity: Entity) -> str | None:
    label = m.LABEL_OF_ENTITY.get(entity.label)
    if label is None or label == m.PERSON:
        return None
    if label == m.LOCATION:
        name = clean_display_name(entity.value)
        node = m.Node(m.location_node_id(name, entity.country), label, name, {"country": entity.country})
    elif label == m.ORGANIZATION:
        name = clean_display_name(entity.value)
        key = organisation_key(name)
        if not key:
            return None
        node = m.Node(m.organization_node_id(key), label, name,
                      {"kind": organisation_kind(name, entity.source), "key": key})
    else:
        props: dict[str, Any] = {"value": entity.value}
        if label == m.PHONE:
            props["region"] = entity.country
        elif label == m.EMAIL:
            props["mailbox"] = mailbox_key(entity.value)
        elif label == m.CRYPTO_WALLET:
            props["chain"] = entity.detail
        elif label == m.ONLINE_ACCOUNT:
            props["kind"] = "handle" if entity.detail == "handle" else "url"
        node = m.Node(m.identifier_node_id(label, entity.value), label, entity.value, props)
    fragment.nodes.setdefault(node.id, node)
    return node.id


def _group_persons(fragment: Fragment, extraction: Extraction, endpoint: dict[str, str]) -> None:
    """Mentions of one person in one narrative become one local person.

    Same name key: one person. A one-word mention that is the first or last word of exactly one longer
    name in the narrative ("Munteanu", "Andrei") is that person; so is a short form it begins ("Flo" for
    "Florin Dobre"), when exactly one longer name fits.
    """
    mentions = [e for e in extraction.entities if e.label == "PERSON" and name_key(e.value)]
    by_key: dict[str, list[Entity]] = {}
    for entity in mentions:
        by_key.setdefault(name_key(entity.value), []).append(entity)
    full = [k for k in by_key if len(k.split()) > 1]
    alias_of: dict[str, str] = {}
    for key in by_key:
        if len(key.split()) != 1:
            continue
        fits = [f for f in full if key in f.split()]
        if not fits:
            fits = [f for f in full if len(key) >= 3 and any(t.startswith(key) for t in f.split())]
        if len(fits) == 1:
            alias_of[key] = fits[0]
    for index, key in enumerate(sorted(k for k in by_key if k not in alias_of)):
        names = sorted({clean_display_name(e.value) for k in by_key if alias_of.get(k, k) == key
                        for e in by_key[k]}, key=lambda n: (-len(n.split()), -len(n), n))
        fragment.persons[f"p{index}"] = LocalPerson(f"p{index}", names)
        for k, group in by_key.items():
            if alias_of.get(k, k) == key:
                for entity in group:
                    endpoint[entity.id] = f"{LOCAL}p{index}"


def _mentions(fragment: Fragment, extraction: Extraction, endpoint: dict[str, str]) -> None:
    target = fragment.narrative.id
    for entity in extraction.entities:
        node = endpoint.get(entity.id)
        if node is None:
            continue
        ref = m.EvidenceRef(fragment.source_id, entity.text, entity.start, entity.end, round(entity.confidence, 4))
        fragment.edges.append(PendingEdge(m.MENTIONED_IN, node, target, ref))
    if extraction.narrator:
        ref = m.EvidenceRef(fragment.source_id, "(first-person narrator)", 0, 0, 0.9)
        fragment.edges.append(PendingEdge(m.MENTIONED_IN, LOCAL + "narrator", target, ref))


def _profiles(fragment: Fragment, extraction: Extraction, endpoint: dict[str, str]) -> None:
    """What the text states about a person (sex, age, citizenship, origin) rides on its MENTIONED_IN edge to
    this narrative: one narrative's statement, so a case record per victim per narrative can read it. Flat
    primitive props (Neo4j stores no maps); a prop the text did not state is absent, never None."""
    stated: dict[str, dict[str, Any]] = {}
    for profile in extraction.profiles:
        ref = endpoint.get(profile.person)
        if ref is None or not ref.startswith(LOCAL):
            continue
        props = stated.setdefault(ref, {})
        for key, value in (("sex", profile.sex), ("age", profile.age), ("origin", profile.origin)):
            if value is not None:
                props.setdefault(key, value)  # two profiles of one local person: the first statement wins
        if profile.citizenship:
            props["citizenship"] = list(dict.fromkeys([*props.get("citizenship", []), *profile.citizenship]))
    for edge in fragment.edges:
        if edge.type == m.MENTIONED_IN and edge.source in stated:
            edge.props.update(stated[edge.source])


def stated_profile(edge_props: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """What one person's MENTIONED_IN edges to one narrative state together: the first non-empty value per
    prop. After an analyst merges two people one narrative mentions, each mention keeps its own edge."""
    out: dict[str, Any] = {}
    for props in edge_props:
        for key in PROFILE_PROPS:
            if props.get(key) not in (None, [], "") and key not in out:
                out[key] = props[key]
    return out


def _relations(fragment: Fragment, extraction: Extraction, endpoint: dict[str, str]) -> None:
    for relation in extraction.relations:
        head, tail = endpoint.get(relation.head), endpoint.get(relation.tail)
        type_ = _RELATION_TYPES.get(relation.type)
        if head is None or tail is None or type_ is None or head == tail:
            continue
        ref = _evidence(fragment.source_id, relation.evidence)
        fragment.edges.append(PendingEdge(type_, head, tail, ref, {"cue": relation.cue} if relation.cue else {}))
        for a, b in ((head, tail), (tail, head)):
            if a.startswith(LOCAL) and not b.startswith(LOCAL):
                fragment.persons[a[len(LOCAL):]].context.add((type_, b))


def _routes(fragment: Fragment, extraction: Extraction, endpoint: dict[str, str]) -> None:
    for route in extraction.routes:
        traveller = endpoint.get(route.traveller or "", fragment.narrative.id)
        for seq, leg in enumerate(route.legs):
            destination = endpoint.get(leg.destination)
            if destination is None:
                continue
            date = extraction.entity(leg.date) if leg.date else None
            props = {"route": f"{fragment.source_id}:{route.id}", "seq": seq,
                     "origin": endpoint.get(leg.origin or ""), "via": [endpoint[v] for v in leg.via if v in endpoint],
                     "mode": leg.mode, "date": date.text if date else None}
            fragment.edges.append(PendingEdge(m.TRAVELLED, traveller, destination,
                                              _evidence(fragment.source_id, leg.evidence), props,
                                              qualifier=f"{fragment.content_hash}:{route.id}:{seq}"))


def _roles(fragment: Fragment, extraction: Extraction, endpoint: dict[str, str]) -> None:
    for assignment in extraction.roles:
        ref = endpoint.get(assignment.person)
        if ref is None or not ref.startswith(LOCAL):
            continue
        person = fragment.persons[ref[len(LOCAL):]]
        if assignment.role == "unknown":
            if person.roles:
                continue
        else:
            person.roles.pop("unknown", None)
        person.roles.setdefault(assignment.role, _evidence(fragment.source_id, assignment.evidence))


def _located_in(fragment: Fragment, extraction: Extraction, endpoint: dict[str, str], text: str) -> None:
    """An organisation followed closely by a place ("the Golden Lotus massage parlour in Ilford") is there."""
    ordered = sorted(extraction.entities, key=lambda e: e.start)
    for org, place in zip(ordered, ordered[1:]):
        if org.label != "ORGANIZATION" or place.label != "LOCATION":
            continue
        if org.id not in endpoint or place.id not in endpoint:
            continue
        if not _LOCATED_GAP.match(text[org.end:place.start]):
            continue
        start, end = _sentence_around(text, org.start, place.end)
        ref = m.EvidenceRef(fragment.source_id, text[start:end], start, end, 0.7)
        fragment.edges.append(PendingEdge(m.LOCATED_IN, endpoint[org.id], endpoint[place.id], ref))


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    before = [mt.end() for mt in _SENTENCE_END.finditer(text, 0, start)]
    left = before[-1] if before else 0
    after = _SENTENCE_END.search(text, end)
    right = after.end() if after else len(text)
    while left < right and text[left].isspace():
        left += 1
    return left, right
