"""Entity resolution: which existing person, if any, each person in a new narrative is.

Identifiers, places and organisations resolve by value in ``graph.build``. People are harder: a name is
not an identity, and a wrong merge can join a victim to her trafficker. So the rule is conservative:

- **merge** when the names score at least ``merge_threshold`` (``graph.name_similarity``: same name up to
  case, accents, script and word order scores 1.0) *and* the two share context in a consistent role: the
  same relationship type to the same phone, email, account, wallet, business or place ("uses phone
  +40722415386" in both). For a full name (two words or more) it is enough that both narratives name the
  same phone, email, account, wallet or business, because the extracted relationships are sparse
  (relation recall is about 0.3, see ``docs/extraction.md``) while a full name plus a shared identifier
  is rarely a coincidence. A one-word name ("Marek") needs the relationship-level link. A victim is
  never merged with someone on the exploiting side.
- **propose** a ``POSSIBLY_SAME_AS`` pair, with its score and reason, when the names score at least
  ``candidate_threshold``, or at least 0.5 with shared context ("Andi" and "Andrei Munteanu" using the same
  phone). An analyst confirms or rejects it (``sightline resolve``).
- an analyst's decision wins: a confirmed pair is merged and stays merged on every later ingest; a rejected
  pair is never proposed or merged again.

A new person's id is derived from its name and the narrative's content hash, so ingesting the same
narratives again, in the same order, yields the same ids and the same decisions apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from graph import model as m
from graph.build import Fragment, LocalPerson
from graph.name_similarity import blocking_keys, compare, tokens
from nlp.identifiers import name_key

SHARED_CONTEXT_FLOOR = 0.5
CONFIRMED = "confirmed by an analyst"
CANDIDATE_LIMIT = 100  # people compared per name: those sharing the most blocking keys with it
COMMON_KEY = 500  # a blocking key held by more people than this (a common first name) does not block
_VICTIM_SIDE = frozenset({"victim"})


@dataclass(slots=True)
class PersonRecord:
    id: str
    name: str
    aliases: list[str]
    roles: set[str]
    context: set[tuple[str, str]]  # (relationship type, node id)
    narrator: bool = False
    nearby: set[str] = field(default_factory=set)  # identifiers and businesses named in its narratives


def person_record(node: m.Node) -> PersonRecord:
    """A stored person as resolution sees it; context and nearby are kept on the node by ``materialise``."""
    props = node.props
    return PersonRecord(node.id, node.name, list(props.get("aliases", [])), set(props.get("roles", {})),
                        {(t, n) for t, n in props.get("context", [])}, bool(props.get("narrator")),
                        set(props.get("nearby", [])))


@dataclass(slots=True)
class Candidate:
    a: str
    b: str
    score: float
    reason: str
    evidence: list[m.EvidenceRef] = field(default_factory=list)


@dataclass(slots=True)
class Resolution:
    ids: dict[str, str] = field(default_factory=dict)  # local person key -> node id
    merged: dict[str, str] = field(default_factory=dict)  # local person key -> why it joined an existing node
    candidates: list[Candidate] = field(default_factory=list)


class ResolutionLookup(Protocol):
    """What resolution needs from a store, read inside the write transaction."""

    def person_candidates(self, keys: set[str]) -> list[PersonRecord]: ...

    def decision(self, a: str, b: str) -> str | None: ...

    def canonical(self, node_id: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Thresholds:
    merge: float = 0.92
    candidate: float = 0.75


def new_person_id(person: LocalPerson, content_hash: str) -> str:
    return person_id(person.name, content_hash, person.narrator)


def person_id(name: str, content_hash: str, narrator: bool) -> str:
    """The id a narrative gives a person it names first: its name key and the narrative's content hash."""
    return m.person_node_id(f"{name_key(name)}|{content_hash}|{'narrator' if narrator else ''}")


def _side(roles: Iterable[str]) -> str | None:
    roles = set(roles)
    if roles & _VICTIM_SIDE:
        return "victim"
    if roles & m.EXPLOITER_ROLES:
        return "exploiter"
    return None


def _best_name_match(person: LocalPerson, record: PersonRecord) -> tuple[float, str]:
    best = (0.0, "")
    for mine in person.names:
        for theirs in [record.name, *record.aliases]:
            match = compare(mine, theirs)
            if match.score > best[0]:
                best = (match.score, f"{mine!r} ~ {theirs!r}: {match.reason}")
    return best


def _shared(person: LocalPerson, record: PersonRecord, full_name: bool) -> list[tuple[str, str]]:
    """Relationship-level context in common; for full names, also identifiers/businesses named alongside."""
    shared = sorted(person.context & record.context)
    if not shared and full_name:
        shared = [("named with", node) for node in sorted(person.nearby & record.nearby)]
    return shared


@dataclass(frozen=True, slots=True)
class Comparison:
    """One narrative's person against one known person: the name score, why, shared context, role conflict."""

    score: float
    why: str
    shared: list[tuple[str, str]]
    conflict: bool

    def merges(self, thresholds: Thresholds) -> bool:
        return self.score >= thresholds.merge and bool(self.shared) and not self.conflict

    def proposes(self, thresholds: Thresholds) -> bool:
        return self.score >= thresholds.candidate or (bool(self.shared) and self.score >= SHARED_CONTEXT_FLOOR)

    @property
    def pair_score(self) -> float:
        return round(min(self.score, 1.0), 4)

    def merge_reason(self) -> str:
        return f"{self.why}; shares {', '.join(f'{t} {n}' for t, n in self.shared)}"

    def proposal_reason(self) -> str:
        notes = [self.why]
        if self.shared:
            notes.append("shares " + ", ".join(f"{t} {n}" for t, n in self.shared))
        else:
            notes.append("no shared identifier, business or place")
        if self.conflict:
            notes.append("roles conflict (victim / exploiting side)")
        return "; ".join(notes)


def compare_person(person: LocalPerson, record: PersonRecord) -> Comparison:
    score, why = _best_name_match(person, record)
    shared = _shared(person, record, full_name=len(tokens(person.name)) > 1)
    conflict = {_side(person.roles), _side(record.roles)} == {"victim", "exploiter"}
    return Comparison(score, why, shared, conflict)


def resolve_persons(fragment: Fragment, lookup: ResolutionLookup, thresholds: Thresholds = Thresholds()) -> Resolution:
    resolution = Resolution()
    taken: set[str] = set()
    for key in sorted(fragment.persons):
        person = fragment.persons[key]
        own_id = lookup.canonical(new_person_id(person, fragment.content_hash))
        if person.narrator:
            resolution.ids[key] = own_id
            continue
        keys = set().union(*(blocking_keys(n) for n in person.names))
        best: tuple[tuple[float, int], PersonRecord, str] | None = None
        proposals: list[Candidate] = []
        # in id order, so that every store (whatever order it returns candidates in) picks the same one
        for record in sorted(lookup.person_candidates(keys), key=lambda r: r.id):
            if record.narrator or record.id == own_id or record.id in taken:
                continue
            decided = lookup.decision(own_id, record.id)
            if decided == "rejected":
                continue
            match = compare_person(person, record)
            if decided == "confirmed":
                rank = (2.0, 0)
                if best is None or rank > best[0]:
                    best = (rank, record, f"{CONFIRMED}; {match.why}")
                continue
            if match.merges(thresholds):
                rank = (match.score, len(match.shared))  # the closest name, then the most shared context
                if best is None or rank > best[0]:
                    best = (rank, record, match.merge_reason())
                continue
            if match.proposes(thresholds):
                proposals.append(Candidate(own_id, record.id, match.pair_score, match.proposal_reason()))
        if best is not None:
            resolution.ids[key] = best[1].id
            resolution.merged[key] = best[2]
            taken.add(best[1].id)
            continue
        resolution.ids[key] = own_id
        resolution.candidates.extend(proposals)
    return resolution
