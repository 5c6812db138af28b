"""Where flagged entities come from: the analysts' watchlist, optionally the analysis's marks, imported lists.

Everything a partner can be matched against is collected here as ``FlaggedEntity`` values, and only here,
so the one rule that matters most is enforced in one place: **no victim and no victim's identifier is ever
flagged.** A person with the victim role in the graph is never a flagged entity, whichever source names
it (an analyst may keep someone recorded as both victim and recruiter on the watchlist; screening leaves
them out), and an identifier that a victim uses or owns (``USES_PHONE``, ``USES_EMAIL``, ``OWNS_ACCOUNT``)
is removed from every flagged entity, imported lists included: a bank must never be pointed at the account
of the person the system exists to protect, even when a shared phone ties her to her exploiter.

An analyst may decide that one identifier a victim uses is nevertheless controlled by the exploiting
side (``screening.victim_rule``); the rule then lets that identifier through, and only it. A person
recorded as a victim is never screened, whatever is decided. ``node_warnings`` and ``import_warnings`` say
what the rule withholds, for the analyst flagging it or the importer, without naming any victim.

The graph is read once per graph state as a small projection (people, organisations and identifiers with
the ownership and ``EXPLOITED_AT`` relationships), not node by node.

- **Watchlist** (``screening.watchlist``): a flagged person or organisation brings its name, aliases and the
  identifiers it uses or owns; a flagged identifier is flagged alone. Reference: the watchlist entry id.
- **Analysis marks** (setting ``SIGHTLINE_SCREENING_ANALYSIS_MARKS``, off by default): people the
  extraction gave an exploiting role (recruiter, exploiter, controller, transporter) and organisations
  someone was ``EXPLOITED_AT``, with their identifiers. Reference: ``A-`` and a keyed hash of the node id
  (``analysis_reference``), so a partner never sees a node id; ``sightline watchlist lookup`` resolves it.
- **Imported lists** (``screening.lists``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from screening.lists import FlaggedLists
from screening.watchlist import WatchEntry, Watchlist
from graph import model as m
from graph.analysis._common import is_exploiter, is_social_org, is_victim, roles_of
from screening.keys import identifier_key
from screening.models import FlaggedEntity
from screening.victim_rule import (
    RuleWarning, identifier_warning, list_warnings, person_warning, rule_key, withheld_keys,
)
from nlp.identifiers import identifier_hash

KIND_OF_LABEL = {m.PHONE: "phone", m.EMAIL: "email", m.BANK_ACCOUNT: "iban", m.CRYPTO_WALLET: "wallet"}
OWNERSHIP = frozenset({m.USES_PHONE, m.USES_EMAIL, m.OWNS_ACCOUNT})
PROJECTED_LABELS = (m.PERSON, m.ORGANIZATION, *KIND_OF_LABEL)
PROJECTED_TYPES = (*sorted(OWNERSHIP), m.EXPLOITED_AT)
# The category an analysis mark gets, by the person's exploiting role (first in this order wins).
ROLE_CATEGORY = (("recruiter", "recruitment"), ("controller", "control"), ("transporter", "transport"),
                 ("exploiter", "exploitation"))
SITE_CATEGORY = "exploitation_site"


@dataclass(slots=True)
class GraphFacts:
    """The part of the graph screening reads, and the identifier keys no partner may ever be matched on."""

    graph: nx.MultiDiGraph
    victim_keys: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def read(cls, store: Any) -> GraphFacts:
        graph = store.project(labels=PROJECTED_LABELS, types=PROJECTED_TYPES)
        facts = cls(graph)
        for node, data in graph.nodes(data=True):
            if is_victim(data):
                for kind, value in facts.owned(node, include_victims=True):
                    key = identifier_key(kind, value)
                    if key is not None:
                        facts.victim_keys.add((kind, key))
        return facts

    def owned(self, node: str, *, include_victims: bool = False) -> list[tuple[str, str]]:
        """(kind, value) of the screenable identifiers ``node`` uses or owns."""
        G = self.graph
        out: list[tuple[str, str]] = []
        if node not in G:
            return out
        for a, b, data in [*G.out_edges(node, data=True), *G.in_edges(node, data=True)]:
            other = b if a == node else a
            label = G.nodes[other].get("label")
            if data.get("type") in OWNERSHIP and label in KIND_OF_LABEL:
                value = str(G.nodes[other].get("value") or G.nodes[other].get("name") or "")
                if value and (KIND_OF_LABEL[label], value) not in out:
                    out.append((KIND_OF_LABEL[label], value))
        return out

    def is_victim_node(self, node: str) -> bool:
        return node in self.graph and is_victim(self.graph.nodes[node])


def analysis_reference(node_id: str, key: str) -> str:
    """A stable reference for an analysis mark that does not reveal the node id (``A-`` + 12 hex)."""
    return "A-" + identifier_hash(node_id, key.encode("utf-8"))[:12].upper()


def _identifiers(pairs: list[tuple[str, str]]) -> dict[Any, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for kind, value in pairs:
        out.setdefault(kind, []).append(value)
    return {k: tuple(v) for k, v in out.items()}


def _person_or_company(node_id: str, data: dict[str, Any], facts: GraphFacts, **fields: Any) -> FlaggedEntity:
    aliases = tuple(str(a) for a in data.get("aliases") or () if a and a != data.get("name"))
    return FlaggedEntity(kind="person" if data.get("label") == m.PERSON else "company",
                         name=str(data.get("name") or ""), aliases=aliases,
                         identifiers=_identifiers(facts.owned(node_id)), **fields)


def _watched(node_id: str, facts: GraphFacts, store: Any) -> tuple[str, dict[str, Any]] | None:
    """The node a watchlist entry points at, with its data (None: gone from the graph)."""
    if node_id in facts.graph:
        return node_id, dict(facts.graph.nodes[node_id])
    # merged into another node since it was flagged, or a label the projection leaves out
    detail = store.node(node_id)
    if detail is None:
        return None
    node_id, data = detail.node.id, {"label": detail.node.label, "name": detail.node.name, **detail.node.props}
    if node_id in facts.graph:
        data = dict(facts.graph.nodes[node_id])
    return node_id, data


def watchlist_entity(entry: WatchEntry, facts: GraphFacts, store: Any) -> FlaggedEntity | None:
    """The flagged entity of one active watchlist entry (None: the node is gone or cannot be screened)."""
    found = _watched(entry.entity_id, facts, store)
    if found is None:
        return None
    node_id, data = found
    common = {"id": entry.id, "category": entry.category, "reference": entry.id, "reason": entry.reason,
              "source": "watchlist"}
    label = data.get("label")
    if label in (m.PERSON, m.ORGANIZATION):
        if facts.is_victim_node(node_id) or is_victim(data):
            return None
        return _person_or_company(node_id, data, facts, **common)
    if label in KIND_OF_LABEL:
        value = str(data.get("value") or data.get("name") or "")
        return FlaggedEntity(kind="identifier", identifiers={KIND_OF_LABEL[label]: (value,)}, **common)  # type: ignore[dict-item]
    return None


def node_warnings(node_id: str, facts: GraphFacts, store: Any, withheld: set[tuple[str, str]]) -> list[RuleWarning]:
    """What the victim rule keeps from screening if the node ``node_id`` is flagged: the whole person when
    they are also recorded as a victim, else each of its identifiers a victim uses (none: nothing withheld)."""
    found = _watched(node_id, facts, store)
    if found is None:
        return []
    node_id, data = found
    label = data.get("label")
    if label in (m.PERSON, m.ORGANIZATION):
        if facts.is_victim_node(node_id) or is_victim(data):
            return [person_warning()]
        pairs = facts.owned(node_id)
    elif label in KIND_OF_LABEL:
        pairs = [(KIND_OF_LABEL[label], str(data.get("value") or data.get("name") or ""))]
    else:
        return []
    return [identifier_warning(kind, value) for kind, value in pairs if rule_key(kind, value, None) in withheld]


def import_warnings(entities: list[FlaggedEntity], store: Any,
                    decided: set[tuple[str, str]]) -> dict[str, list[RuleWarning]]:
    """Per imported entity id, what the victim rule withholds from it, against the graph as it is now."""
    return list_warnings(entities, withheld_keys(GraphFacts.read(store).victim_keys, decided))


def analysis_entities(facts: GraphFacts, reference_key: str) -> list[FlaggedEntity]:
    """Exploiters and businesses where exploitation was reported, with their identifiers; never a victim."""
    G = facts.graph
    out: list[FlaggedEntity] = []
    for node, data in sorted(G.nodes(data=True)):
        if is_victim(data):
            continue
        if is_exploiter(data):
            roles = roles_of(data)
            category = next(c for role, c in ROLE_CATEGORY if role in roles)
            reason = f"analysis: {', '.join(r for r in roles if r != 'victim')} in the extracted narratives"
        elif is_social_org(data) and any(d.get("type") == m.EXPLOITED_AT for _, _, d in G.in_edges(node, data=True)):
            sites = {a for a, _, d in G.in_edges(node, data=True) if d.get("type") == m.EXPLOITED_AT}
            category, reason = SITE_CATEGORY, f"analysis: exploitation reported here by {len(sites)} person(s)"
        else:
            continue
        out.append(_person_or_company(node, dict(data), facts, id=f"analysis:{node}", category=category,
                                      reference=analysis_reference(node, reference_key), reason=reason,
                                      source="analysis"))
    return out


def without_victims(entity: FlaggedEntity, victim_keys: set[tuple[str, str]]) -> FlaggedEntity | None:
    """The entity less any identifier in ``victim_keys`` (a victim uses it and no analyst decided otherwise);
    None if nothing screenable is left. Each value is keyed as the index keys it, with the entity's country
    for a national phone number: keyed without it, "0722 415 386" on a Romanian row of an imported list
    would have no key here, pass the rule, and still match +40722415386 in the index."""
    if not victim_keys:
        return entity
    kept = {kind: tuple(v for v in values if rule_key(kind, v, entity.country) not in victim_keys)
            for kind, values in entity.identifiers.items()}
    kept = {k: v for k, v in kept.items() if v}
    if kept == entity.identifiers:
        return entity
    if not kept and not entity.name:
        return None
    return replace(entity, identifiers=kept)


@dataclass(slots=True)
class Collected:
    entities: dict[str, FlaggedEntity]
    withheld: int  # entities or identifiers left out because they belong to a victim

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entity in self.entities.values():
            source = entity.source.split(":", 1)[0]
            counts[source] = counts.get(source, 0) + 1
        return counts


def graph_entities(watchlist: Watchlist, facts: GraphFacts, store: Any, *, analysis_marks: bool,
                   reference_key: str) -> list[FlaggedEntity]:
    """The graph-derived sources: active watchlist entries and, if enabled, the analysis's marks."""
    out: list[FlaggedEntity] = []
    offset = 0
    while True:
        page = watchlist.entries(limit=1000, offset=offset)
        for entry in page:
            entity = watchlist_entity(entry, facts, store)
            if entity is not None:
                out.append(entity)
        if len(page) < 1000:
            break
        offset += 1000
    if analysis_marks:
        out += analysis_entities(facts, reference_key)
    return out


def guard(entities: list[FlaggedEntity], victim_keys: set[tuple[str, str]]) -> Collected:
    """Apply the victim rule to every source's entities; keyed by entity id."""
    kept: dict[str, FlaggedEntity] = {}
    withheld = 0
    for entity in entities:
        safe = without_victims(entity, victim_keys)
        if safe is not entity:
            withheld += 1
        if safe is not None:
            kept[safe.id] = safe
    return Collected(kept, withheld)


def collect(watchlist: Watchlist, lists: FlaggedLists, store: Any, *, analysis_marks: bool,
            reference_key: str, decided: frozenset[tuple[str, str]] = frozenset()) -> Collected:
    """Every flagged entity from every source, victims and their identifiers removed (except the identifiers
    in ``decided``, which analysts decided the exploiting side controls)."""
    facts = GraphFacts.read(store)
    entities = graph_entities(watchlist, facts, store, analysis_marks=analysis_marks, reference_key=reference_key)
    return guard(entities + lists.entities(), withheld_keys(facts.victim_keys, set(decided)))


def graph_state(store: Any) -> str:
    """Changes whenever the graph does in a way screening could see (counts per label and type)."""
    return json.dumps(store.stats(), sort_keys=True)
