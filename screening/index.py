"""The screening index: flagged entities findable by identifier key and by name, without a scan.

Identifiers are a dictionary lookup on ``keys.identifier_key``; names go through ``blocking.NameBlocks``
(people and companies apart) and are scored by ``names.score``. A query with a name and identifiers is
answered per flagged entity: an identifier hit wins (score 1.0, ``matched_on`` the identifier kind,
``exact`` or ``normalised``), otherwise the name score counts (``fuzzy``, or ``exact`` / ``normalised``
when the names are the same). Identifier hits are reported whatever the threshold; name scores only from
the threshold up.

The index follows the watchlist: ``add`` (which also replaces an entity with the same id), ``remove`` and
``replace_all`` (built aside, then swapped in, so queries running meanwhile see the old or the new list,
never half of one). One lock makes it safe to share between the API's threads.

``screen`` returns ``ScreenMatch`` values only, the partner-facing shape; ``screen_hits`` returns the
same matches with the flagged entity's id and the score's reasons, for analysts, audit and tests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from screening.blocking import NameBlocks, NameRecord
from screening.keys import identifier_key, match_method
from screening.models import FlaggedEntity, IdentifierKind, MatchedOn, ScreenMatch, ScreenQuery
from screening.names import MAX_BONUS, PreparedName, prepare, score

#: Name score from which a name match is reported. Chosen on the evaluation set (``bench/
#: screening_quality.py``, docs/screening.md): the best F1 there (0.990: precision 0.993, recall 0.988 on
#: 11,339 labelled pairs); above it recall falls fast (0.977 at 0.85, 0.961 at 0.88), below it precision
#: does (0.988 at 0.80, 0.860 at 0.70). A perfect name with a birth year one off (0.85) is still reported,
#: two off (0.70) is not. The API exposes it as a setting.
DEFAULT_THRESHOLD = 0.83

_METHOD_RANK = {"exact": 0, "normalised": 1, "fuzzy": 2}
_NAME_KINDS = ("person", "company")


@dataclass(frozen=True, slots=True)
class ScreenHit:
    """A match with what only Sightline may see: the flagged entity's id and why it scored so."""

    entity_id: str
    score: float
    matched_on: MatchedOn
    category: str
    reference: str
    reasons: tuple[str, ...] = ()
    explanation: tuple[str, ...] = ()

    def to_match(self) -> ScreenMatch:
        return ScreenMatch(matched=True, score=self.score, matched_on=self.matched_on,
                           category=self.category, reference=self.reference, explanation=self.explanation)

    def sort_key(self) -> tuple[float, int, str, str]:
        return (-self.score, _METHOD_RANK[self.matched_on.method], self.reference, self.entity_id)


class _State:
    """Everything the index holds; replaced whole by ``replace_all``."""

    def __init__(self) -> None:
        self.entities: dict[str, FlaggedEntity] = {}
        self.identifiers: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.names: dict[str, NameBlocks] = {kind: NameBlocks() for kind in _NAME_KINDS}
        self.records_of: dict[str, list[int]] = {}
        self.next_record = 0

    def add(self, entity: FlaggedEntity) -> list[tuple[str, str]]:
        self.remove(entity.id)
        self.entities[entity.id] = entity
        rejected: list[tuple[str, str]] = []
        for kind, values in entity.identifiers.items():
            for value in values:
                key = identifier_key(kind, value, entity.country)
                if key is None:
                    rejected.append((kind, value))
                    continue
                self.identifiers.setdefault((kind, key), {}).setdefault(entity.id, []).append(value)
        if entity.kind in _NAME_KINDS:
            names = dict.fromkeys(n for n in (entity.name, *entity.aliases) if n and n.strip())
            rids: list[int] = []
            for name in names:
                prepared = prepare(name, entity.kind)
                if not prepared.full_tokens:
                    continue
                self.names[entity.kind].add(self.next_record, NameRecord(entity.id, prepared))
                rids.append(self.next_record)
                self.next_record += 1
            self.records_of[entity.id] = rids
        return rejected

    def remove(self, entity_id: str) -> bool:
        entity = self.entities.pop(entity_id, None)
        if entity is None:
            return False
        for kind, values in entity.identifiers.items():
            for value in values:
                key = identifier_key(kind, value, entity.country)
                holders = self.identifiers.get((kind, key)) if key else None
                if holders is not None:
                    holders.pop(entity_id, None)
                    if not holders:
                        del self.identifiers[(kind, key)]
        for rid in self.records_of.pop(entity_id, []):
            self.names[entity.kind].remove(rid)
        return True


class ScreeningIndex:
    """Flagged entities, screened by identifier keys and blocked name matching."""

    def __init__(self, entities: Iterable[FlaggedEntity] = (), *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = _checked(threshold)
        self._lock = threading.RLock()
        self._state = _State()
        for entity in entities:
            self._state.add(entity)

    def __len__(self) -> int:
        return len(self._state.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._state.entities

    def add(self, entity: FlaggedEntity) -> list[tuple[str, str]]:
        """Add or replace ``entity``; returns the ``(kind, value)`` identifiers that have no key and are not
        screenable (invalid, or a national phone number without a country), for the importer to report."""
        with self._lock:
            return self._state.add(entity)

    def remove(self, entity_id: str) -> bool:
        """Forget an entity; ``False`` if it was not in the index."""
        with self._lock:
            return self._state.remove(entity_id)

    def replace_all(self, entities: Iterable[FlaggedEntity]) -> list[tuple[str, str, str]]:
        """Swap the whole list at once; returns ``(entity id, kind, value)`` for identifiers without a key."""
        state = _State()
        rejected = [(e.id, kind, value) for e in entities for kind, value in state.add(e)]
        with self._lock:
            self._state = state
        return rejected

    def identifier_keys(self) -> Iterator[tuple[IdentifierKind, str, str]]:
        """Every ``(kind, key, entity id)``: what the privacy mode hashes on the flagged side."""
        with self._lock:
            rows = [(kind, key, eid) for (kind, key), holders in self._state.identifiers.items() for eid in holders]
        yield from rows  # type: ignore[misc]

    def entity(self, entity_id: str) -> FlaggedEntity | None:
        return self._state.entities.get(entity_id)

    def screen(self, query: ScreenQuery, *, threshold: float | None = None, limit: int = 5,
               require_dob_match: bool = False) -> list[ScreenMatch]:
        """Matches for one query, best first; an empty list means no match. ``require_dob_match`` makes a
        conflicting date of birth a veto for name matches (``names.score``)."""
        return [hit.to_match() for hit in self.screen_hits(query, threshold=threshold, limit=limit,
                                                           require_dob_match=require_dob_match)]

    def screen_many(self, queries: Iterable[ScreenQuery], *, threshold: float | None = None,
                    limit: int = 5) -> list[list[ScreenMatch]]:
        return [self.screen(q, threshold=threshold, limit=limit) for q in queries]

    def screen_hits(self, query: ScreenQuery, *, threshold: float | None = None, limit: int = 5,
                    require_dob_match: bool = False) -> list[ScreenHit]:
        """``screen`` with the flagged entity's id and the reasons: never for partners."""
        return self._hits(query, threshold, limit, blocked=True, require_dob_match=require_dob_match)

    def scan_hits(self, query: ScreenQuery, *, threshold: float | None = None, limit: int = 5,
                  require_dob_match: bool = False) -> list[ScreenHit]:
        """The reference answer: every flagged name of the query's kind scored, no blocking. Tests and
        benchmarks compare ``screen_hits`` with it; it is far too slow to serve."""
        return self._hits(query, threshold, limit, blocked=False, require_dob_match=require_dob_match)

    def name_candidates(self, query: ScreenQuery, *, threshold: float | None = None) -> list[str]:
        """Entity ids whose names blocking passes on to scoring (one per name or alias): what a query costs,
        for tests and benchmarks."""
        if not query.name or query.kind not in _NAME_KINDS:
            return []
        cut = self.threshold if threshold is None else _checked(threshold)
        with self._lock:
            blocks = self._state.names[query.kind]
            return [blocks.record(rid).entity_id
                    for rid in blocks.candidates(prepare(query.name, query.kind), _name_reach(cut))]

    def vocabulary_size(self) -> int:
        """Distinct name tokens indexed, people and companies together."""
        return sum(blocks.vocabulary_size() for blocks in self._state.names.values())

    def _hits(self, query: ScreenQuery, threshold: float | None, limit: int, *, blocked: bool,
              require_dob_match: bool = False) -> list[ScreenHit]:
        cut = self.threshold if threshold is None else _checked(threshold)
        with self._lock:
            hits = _hits_in(self._state, query, cut, blocked=blocked, require_dob_match=require_dob_match)
        return sorted(hits.values(), key=ScreenHit.sort_key)[:max(limit, 0)]


def _checked(threshold: float) -> float:
    """A name threshold must be a score some names reach and others do not: in (0, 1]."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    return threshold


def _name_reach(threshold: float) -> float:
    """The name score a flagged name must be able to reach for the evidence beside it (a date of birth and
    a country that agree) to lift it to ``threshold``: what blocking looks for."""
    return max(threshold - MAX_BONUS, 1e-9)


def match_entity(query: ScreenQuery, entity: FlaggedEntity, *, require_dob_match: bool = False) -> ScreenHit | None:
    """One query against one flagged entity with no threshold: how evaluation pairs are scored."""
    state = _State()
    state.add(entity)
    return _hits_in(state, query, 1e-9, blocked=False, require_dob_match=require_dob_match).get(entity.id)


def _hits_in(state: _State, query: ScreenQuery, threshold: float, *, blocked: bool,
             require_dob_match: bool = False) -> dict[str, ScreenHit]:
    hits = _identifier_hits(state, query)
    if query.name and query.kind in _NAME_KINDS:
        blocks = state.names[query.kind]
        prepared = prepare(query.name, query.kind)
        if blocked:
            reach = _name_reach(threshold)
            records: Iterable[NameRecord] = (blocks.record(rid) for rid in blocks.candidates(prepared, reach))
        else:
            records = (record for _, record in blocks.records())
        _add_name_hits(hits, state, query, prepared, records, threshold, require_dob_match)
    return hits


def _identifier_hits(state: _State, query: ScreenQuery) -> dict[str, ScreenHit]:
    hits: dict[str, ScreenHit] = {}
    region = query.region or query.country
    for kind, values in query.identifiers.items():
        for value in values:
            key = identifier_key(kind, value, region)
            if key is None:
                continue
            for eid, written in state.identifiers.get((kind, key), {}).items():
                entity = state.entities[eid]
                method = match_method(value, written)
                hit = ScreenHit(eid, 1.0, MatchedOn(kind, method), entity.category, entity.reference,
                                (f"{kind} {method}",), (f"{kind}: {method} match",))
                if eid not in hits or hit.sort_key() < hits[eid].sort_key():
                    hits[eid] = hit
    return hits


def _add_name_hits(hits: dict[str, ScreenHit], state: _State, query: ScreenQuery, prepared: PreparedName,
                   records: Iterable[NameRecord], threshold: float, require_dob_match: bool = False) -> None:
    for record in records:
        if record.entity_id in hits and hits[record.entity_id].matched_on.feature != "name":
            continue
        entity = state.entities[record.entity_id]
        result = score(prepared, record.name, query_birth=query.birth_date, flagged_birth=entity.birth_date,
                       query_country=query.country, flagged_country=entity.country,
                       require_dob_match=require_dob_match)
        if result.score < threshold:
            continue
        hit = ScreenHit(entity.id, result.score, MatchedOn("name", result.method), entity.category,
                        entity.reference, result.reasons, result.explanation)
        if entity.id not in hits or hit.sort_key() < hits[entity.id].sort_key():
            hits[entity.id] = hit
