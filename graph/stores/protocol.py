"""The one store interface both adapters implement, and the factory that picks one from the settings.

Callers (ingest, analysis, reports, the API) only see this protocol, so the embedded SQLite store and
Neo4j are interchangeable. Everything returned is plain data from ``graph.model``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import networkx as nx

from graph import model as m
from graph.analysis.results import PathResult
from graph.build import NarrativeMeta
from graph.corrections import Correction
from graph.resolution import Thresholds
from nlp.extraction import Extraction


MAX_PATH_HOPS = 8  # both stores report a shortest path longer than this as none


class StoreError(RuntimeError):
    """The store cannot do what was asked (unreachable, locked, inconsistent); the message says why."""


class ConflictError(StoreError):
    """The request contradicts what is stored, e.g. a narrative id already holding different text."""


@dataclass(frozen=True, slots=True)
class NarrativeInput:
    extraction: Extraction
    meta: NarrativeMeta
    text: str
    content_hash: str


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)  # source ids of narratives added
    skipped: list[str] = field(default_factory=list)  # already stored (same content hash)
    merged: int = 0  # people resolved to an existing node
    candidates: int = 0  # POSSIBLY_SAME_AS pairs proposed


@dataclass(slots=True)
class NarrativeChange:
    """What deleting or correcting one narrative did to the graph."""

    source_id: str | None = None  # the narrative's id in the graph; None when it was not stored
    nodes_deleted: list[str] = field(default_factory=list)  # supported by it alone (its own node included)
    nodes_changed: list[str] = field(default_factory=list)  # folded again from the other narratives
    edges_deleted: int = 0
    edges_changed: int = 0  # kept, with its evidence taken off
    renamed: dict[str, str] = field(default_factory=dict)  # person ids it had given: old -> new
    split: dict[str, str] = field(default_factory=dict)  # people it had merged, apart again: new -> old
    joined: dict[str, str] = field(default_factory=dict)  # people it had merged, now part of another: that -> old


@dataclass(slots=True)
class NodeDetail:
    node: m.Node
    edges: list[m.Edge]  # every relationship touching it, with evidence: its provenance
    narratives: list[str]  # source ids of the narratives that mention it


@dataclass(slots=True)
class Subgraph:
    nodes: list[m.Node]
    edges: list[m.Edge]
    truncated: bool = False


@dataclass(slots=True)
class PairReview:
    a: m.Node
    b: m.Node
    score: float
    reason: str
    status: str
    edge_id: str


class GraphStore(Protocol):
    def write(self, batch: Sequence[NarrativeInput], thresholds: Thresholds = Thresholds()) -> WriteResult:
        """Write a batch atomically: all of it or none. Narratives already stored are skipped."""

    def has_narrative(self, content_hash: str) -> bool: ...

    def narrative_hash(self, source_id: str) -> str | None:
        """The content hash stored under a narrative id, if any."""

    def node(self, node_id: str) -> NodeDetail | None: ...

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500) -> Subgraph: ...

    def shortest_path(self, a: str, b: str) -> PathResult | None:
        """The strongest shortest path over social ties, each hop with its narratives; None if unconnected."""

    def all_paths(self, a: str, b: str, cutoff: int = 4, limit: int = 50) -> list[PathResult]: ...

    def search(self, query: str, labels: Sequence[str] | None = None, limit: int = 20) -> list[m.Node]: ...

    def list_nodes(self, label: str, limit: int = 100, offset: int = 0) -> list[m.Node]: ...

    def project(self, labels: Sequence[str] | None = None, types: Sequence[str] | None = None) -> nx.MultiDiGraph: ...

    def stats(self) -> dict[str, Any]: ...

    def pairs(self, status: str | None = "pending") -> list[PairReview]: ...

    def decide(self, a: str, b: str, decision: str, by: str) -> None:
        """Confirm (merge b into a) or reject a POSSIBLY_SAME_AS pair; the decision persists."""

    def delete_narrative(self, content_hash: str, thresholds: Thresholds = Thresholds()) -> NarrativeChange:
        """Remove a narrative and everything derived only from it, in one transaction (``graph.pipeline.removal``).
        Deleting what is not stored changes nothing; its corrections are forgotten either way. ``thresholds``
        are resolution's, to judge again the pairs proposed after it."""

    def correct(self, correction: Correction, extraction: Extraction, text: str,
                thresholds: Thresholds = Thresholds()) -> NarrativeChange:
        """Record a caseworker's correction (it persists) and rewrite its narrative, if stored, from
        ``extraction`` (as extracted) with every correction of it applied, in one transaction."""

    def dump(self) -> Iterator[dict[str, Any]]:
        """Every node, narrative, relationship (with evidence) and merge, as records for ``graph.stores.transfer``."""

    def load(self, records: Sequence[dict[str, Any]]) -> None:
        """Write exported records in one transaction."""

    def prepare_load(self, records: Sequence[dict[str, Any]]) -> Any:
        """What ``load_prepared`` writes for these records, computed without touching the store, so that an
        import can prepare the next batch while the store writes this one (``graph.stores.transfer.load_batches``)."""

    def load_prepared(self, prepared: Any) -> None:
        """``load`` of records already passed through ``prepare_load``."""

    def close(self) -> None: ...


def open_store(home: Path, kind: str = "sqlite", *, neo4j_uri: str | None = None, neo4j_user: str = "neo4j",
               neo4j_password: str | None = None, neo4j_database: str = "neo4j") -> GraphStore:
    """The embedded store in ``home``, or Neo4j: ``neo4j_uri`` if given, else the local one started from ``home``."""
    from graph.corrections import CorrectionLog
    from graph.decisions import DecisionLog

    if kind == "sqlite":
        from graph.stores.sqlite import SQLiteStore

        return SQLiteStore(home / "graph.sqlite", DecisionLog(home), CorrectionLog(home))
    if kind == "neo4j":
        from graph.neo4j_local.server import local_uri
        from graph.stores.neo4j import Neo4jStore

        uri = neo4j_uri or local_uri(home)
        if uri is None:
            raise StoreError(f"SIGHTLINE_STORE=neo4j but no Neo4j is running for {home} and SIGHTLINE_NEO4J_URI is "
                             "not set; run `sightline neo4j start` or point SIGHTLINE_NEO4J_URI at a server")
        return Neo4jStore(uri, neo4j_user, neo4j_password, neo4j_database, DecisionLog(home), CorrectionLog(home))
    raise StoreError(f"unknown store {kind!r}; SIGHTLINE_STORE must be 'sqlite' or 'neo4j'")


def open_configured_store(settings: Any) -> GraphStore:
    """The store the settings name (``SIGHTLINE_STORE`` and, for Neo4j, ``SIGHTLINE_NEO4J_*``)."""
    return open_store(settings.home, settings.store, neo4j_uri=settings.neo4j_uri, neo4j_user=settings.neo4j_user,
                      neo4j_password=settings.neo4j_password, neo4j_database=settings.neo4j_database)
