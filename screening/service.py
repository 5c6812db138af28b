"""The screening service: one ``ScreeningIndex`` per process, kept in step with every source of flagged entities.

Built from ``screening.flagged`` at start and then followed, without assuming this is the only process:

- **what analysts and importers change** (watchlist entries, imported lists, partner secrets, analysts'
  decisions on the victim rule) bumps one counter in ``api.sqlite`` (triggers, ``state.db``), whichever
  process or tool made the change; every screening request reads that counter (one indexed row) and
  catches up before it answers;
- **the graph** (a victim newly known, a watched person's new phone, a merge) is checked through the
  store's counts at most every ``SIGHTLINE_SCREENING_GRAPH_CHECK_SECONDS``.

Catching up patches the index: entities that disappeared are removed, new or changed ones re-added, so
a watchlist edit costs a handful of index operations even with a large imported list loaded (an imported
list is re-read only when its import time changes). The per-partner hash tables and the PSI set of the
privacy-preserving modes are derived from the index and dropped whenever it changes.

Answers are ``ScreenMatch`` values (``screening.models``): matched or not, score, what matched and
how, category and reference. Nothing else about a flagged entity leaves this module.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from state.db import ApiDatabase
from screening.flagged import GraphFacts, graph_entities, graph_state, guard, node_warnings
from screening.partner_keys import PartnerSecrets, hashed_identifier
from screening.lists import FlaggedLists
from state.secrets import partner_cipher_keys, pseudonym_key
from state.settings import Settings
from screening.watchlist import Watchlist
from screening.models import FlaggedEntity, MatchedOn, ScreenMatch, ScreenQuery
from screening.victim_rule import ControlDecisions, RuleWarning, withheld_keys

log = logging.getLogger("sightline.screening")

MAX_QUERIES = 1000  # per request, and the PSI set size the service prepares for
NO_MATCH = ScreenMatch(matched=False, score=0.0, matched_on=None, category=None, reference=None)
PSI_FALSE_POSITIVE_RATE = 1e-9  # for a whole request of MAX_QUERIES items
_SOURCE_ORDER = {"watchlist": 0, "analysis": 1}  # which entity answers when several share an identifier


class NoPartnerSecret(LookupError):
    """The partner's organisation has no HMAC secret yet (``sightline partners hmac-key ORG``)."""


class QuotaExceeded(RuntimeError):
    """The key has screened more than its hourly allowance (``SIGHTLINE_SCREENING_QUERIES_PER_HOUR``)."""


class PsiUnavailable(RuntimeError):
    """The PSI package is not installed or the request cannot be read."""


def make_index() -> Any:
    from screening.index import ScreeningIndex

    return ScreeningIndex()


def default_threshold() -> float:
    from screening import index

    return float(index.DEFAULT_THRESHOLD)


@dataclass(slots=True)
class _State:
    version: int = -1
    graph_state: str | None = None
    graph_checked: float = 0.0
    facts: GraphFacts | None = None
    lists_signature: tuple[tuple[str, str], ...] | None = None
    list_entities: list[FlaggedEntity] = field(default_factory=list)
    entities: dict[str, FlaggedEntity] = field(default_factory=dict)
    withheld: int = 0
    hashed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # org -> hash -> (kind, entity)
    psi: tuple[Any, bytes] | None = None  # (server, serialised setup message)
    builds: int = 0  # bumped whenever the index changes; derived tables built meanwhile are not kept


class ScreeningService:
    """Thread-safe. Catching up runs under one lock, so that only one thread reads the sources, and without
    holding up queries: the index has its own lock (and ``replace_all`` builds aside), and the derived tables
    are built outside any lock and kept only if the index did not change meanwhile."""

    def __init__(self, settings: Settings, db: ApiDatabase, store: Callable[[], Any]) -> None:
        self.settings = settings
        self.db = db
        self._store = store
        self.watchlist = Watchlist(db)
        self.lists = FlaggedLists(db)
        self.secrets = PartnerSecrets(db, lambda: partner_cipher_keys(settings))
        self.decisions = ControlDecisions(db)  # analysts' exceptions to the victim rule
        self._lock = threading.Lock()  # short: swapping derived tables
        self._refresh_lock = threading.Lock()  # catching up with the sources
        self._index: Any = None
        self._state = _State()

    @property
    def threshold(self) -> float:
        configured = self.settings.screening_name_threshold
        return configured if configured is not None else default_threshold()

    def start(self) -> None:
        """Build the index as the server starts; a failure (store unreachable) is retried on the first request."""
        try:
            self.refresh(force_graph=True)
        except Exception as error:  # noqa: BLE001 - the server must still start; screening says why when called
            log.warning("screening index not built at start (%s); retried on the first screening request", error)

    # -- following the sources --------------------------------------------------------------------------

    def version(self) -> int:
        return int(self.db.query("SELECT version FROM screening_version WHERE id = 1")[0][0])

    def refresh(self, *, force_graph: bool = False) -> None:
        """Catch up with changes made by any process since the last call (cheap when there are none)."""
        version = self.version()
        s = self._state
        due = force_graph or time.monotonic() - s.graph_checked >= self.settings.screening_graph_check_seconds
        if version == s.version and not due and self._index is not None:
            return
        if version == s.version and self._index is not None and self._refresh_lock.locked():
            # Another thread is catching up with the graph: answer from the current index meanwhile rather than
            # queue behind it (reading the graph's facts takes seconds on a large graph, and under ingestion
            # it is due every SIGHTLINE_SCREENING_GRAPH_CHECK_SECONDS: every screening request stalled with it).
            # Not when the version moved: a watchlist or list change must be seen by the next request.
            return
        with self._refresh_lock:
            s = self._state
            store = self._store()
            state = graph_state(store) if due or s.facts is None else s.graph_state
            s.graph_checked = time.monotonic()
            if version == s.version and state == s.graph_state and self._index is not None:
                return
            if state != s.graph_state or s.facts is None:
                s.facts, s.graph_state = GraphFacts.read(store), state
            signature = tuple((i.name, i.imported_at) for i in self.lists.lists())
            if signature != s.lists_signature:
                s.list_entities, s.lists_signature = self.lists.entities(), signature
            entities = graph_entities(self.watchlist, s.facts, store,
                                      analysis_marks=self.settings.screening_analysis_marks,
                                      reference_key=pseudonym_key(self.settings))
            collected = guard(entities + s.list_entities, withheld_keys(s.facts.victim_keys, self.decisions.keys()))
            self._apply(collected.entities)
            with self._lock:
                s.version, s.withheld = version, collected.withheld
                s.hashed.clear()
                s.psi = None
                s.builds += 1
            log.info("screening index: %d flagged entities (%s), %d withheld as victims' (version %d)",
                     len(s.entities), collected.summary(), collected.withheld, version)

    def _apply(self, new: dict[str, FlaggedEntity]) -> None:
        old = self._state.entities
        if self._index is None or len(old) == 0 or len(new) == 0:
            self._index = self._index or make_index()
            self._index.replace_all(list(new.values()))
        else:
            gone = [i for i in old if i not in new]
            changed = [e for i, e in new.items() if old.get(i) != e]
            if len(gone) + len(changed) > len(new) // 2:
                self._index.replace_all(list(new.values()))
            else:
                for entity_id in gone:
                    self._index.remove(entity_id)
                for entity in changed:
                    if entity.id in old:
                        self._index.remove(entity.id)
                    self._index.add(entity)
        self._state.entities = dict(new)

    def stats(self) -> dict[str, Any]:
        self.refresh()
        entities = self._state.entities
        counts: dict[str, int] = {}
        for entity in entities.values():
            source = entity.source.split(":", 1)[0]
            counts[source] = counts.get(source, 0) + 1
        return {"flagged": len(entities), "by_source": counts, "withheld": self._state.withheld,
                "version": self._state.version, "builds": self._state.builds}

    def victim_rule(self) -> tuple[GraphFacts, set[tuple[str, str]]]:
        """The current graph facts and the identifier keys the victim rule withholds (decisions applied),
        read afresh from the graph, for warnings and decisions made now rather than a check period ago."""
        self.refresh(force_graph=True)
        facts = self._state.facts
        assert facts is not None
        return facts, withheld_keys(facts.victim_keys, self.decisions.keys())

    def watch_warnings(self, entity_ids: Sequence[str]) -> dict[str, list[RuleWarning]]:
        """Per graph entity id, what the victim rule keeps from screening if it is (or stays) on the watchlist."""
        facts, withheld = self.victim_rule()
        store = self._store()
        return {entity_id: node_warnings(entity_id, facts, store, withheld) for entity_id in dict.fromkeys(entity_ids)}

    def entity(self, reference: str) -> FlaggedEntity | None:
        """The flagged entity a partner's reference points at (for analysts following up; never for partners)."""
        self.refresh(force_graph=True)
        return next((e for e in self._state.entities.values() if e.reference == reference), None)

    # -- screening ------------------------------------------------------------------------------------

    def screen(self, queries: Sequence[ScreenQuery], *, require_dob_match: bool = False) -> list[ScreenMatch]:
        """The best match per query, or ``NO_MATCH``; ``require_dob_match`` makes a conflicting date of
        birth a veto for name matches."""
        self.refresh()
        threshold = self.threshold
        out = []
        for query in queries:
            found = self._index.screen(query, threshold=threshold, limit=1, require_dob_match=require_dob_match)
            out.append(found[0] if found and found[0].matched else NO_MATCH)
        return out

    def _hash_table(self, organisation: str) -> dict[str, tuple[str, str]]:
        with self._lock:
            table, builds = self._state.hashed.get(organisation), self._state.builds
        if table is None:
            secret = self.secrets.get(organisation)
            if secret is None:
                raise NoPartnerSecret(organisation)
            table = {}
            ranked = sorted(self._index.identifier_keys(), key=lambda item: self._rank(item[2]))
            for kind, key, entity_id in ranked:
                table.setdefault(hashed_identifier(secret, kind, key), (kind, entity_id))
            with self._lock:
                if self._state.builds == builds:
                    self._state.hashed[organisation] = table
        return table

    def _rank(self, entity_id: str) -> tuple[int, str]:
        entity = self._index.entity(entity_id)
        return (_SOURCE_ORDER.get(entity.source, 2) if entity else 3, entity_id)

    def screen_hashed(self, organisation: str, hashes: Sequence[str]) -> list[ScreenMatch]:
        """Match the partner's keyed hashes against the same hashes of every flagged identifier."""
        self.refresh()
        table = self._hash_table(organisation)
        out = []
        for value in hashes:
            hit = table.get(value)
            entity = self._index.entity(hit[1]) if hit else None
            if hit is None or entity is None:
                out.append(NO_MATCH)
                continue
            out.append(ScreenMatch(matched=True, score=1.0, matched_on=MatchedOn(hit[0], "normalised"),  # type: ignore[arg-type]
                                   category=entity.category, reference=entity.reference))
        return out

    def psi_respond(self, request: bytes) -> tuple[bytes, bytes, int]:
        """One ECDH-PSI round (OpenMined PSI): the setup message over every flagged identifier key
        (``kind:key``) and the answer to the partner's blinded request. The service never sees the
        partner's identifiers, only how many there are."""
        try:
            from private_set_intersection.python import DataStructure, Request, server
        except ImportError:
            raise PsiUnavailable("the openmined.psi package is not installed on the server") from None
        self.refresh()
        with self._lock:
            prepared, builds = self._state.psi, self._state.builds
        if prepared is None:  # encrypting every flagged key takes seconds for a large list: not under a lock
            items = sorted({f"{kind}:{key}" for kind, key, _ in self._index.identifier_keys()})
            psi_server = server.CreateWithNewKey(True)
            setup = psi_server.CreateSetupMessage(PSI_FALSE_POSITIVE_RATE, MAX_QUERIES, items, DataStructure.GCS)
            prepared = (psi_server, setup.SerializeToString())
            with self._lock:
                if self._state.builds == builds:
                    self._state.psi = prepared
        psi_server, setup_bytes = prepared
        parsed = Request()
        try:
            parsed.ParseFromString(request)
            count = len(parsed.encrypted_elements)
            if count > MAX_QUERIES:
                raise PsiUnavailable(f"a PSI request holds at most {MAX_QUERIES} items, this one {count}")
            response = psi_server.ProcessRequest(parsed).SerializeToString()
        except PsiUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - the C++ library raises plain RuntimeErrors on bad input
            raise PsiUnavailable(f"the PSI request could not be read ({str(error)[:200]})") from None
        return setup_bytes, response, count

    # -- usage limits ---------------------------------------------------------------------------------

    def charge(self, key_id: str, queries: int) -> None:
        """Count ``queries`` against the key's hourly allowance, in ``api.sqlite`` (shared by all processes)."""
        limit = self.settings.screening_queries_per_hour
        if limit <= 0:
            return
        at = time.time()
        with self.db.transaction() as db:
            db.execute("DELETE FROM screening_usage WHERE at < ?", (at - 3600,))
            used = db.execute("SELECT COALESCE(SUM(queries), 0) FROM screening_usage WHERE key_id = ?",
                              (key_id,)).fetchone()[0]
            if used + queries > limit:
                raise QuotaExceeded(f"this key may screen {limit} queries per hour and has used {used} in the "
                                    f"last hour; try again later or ask for a higher allowance")
            db.execute("INSERT INTO screening_usage VALUES (?, ?, ?)", (key_id, at, queries))
