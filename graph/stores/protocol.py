"""The one store interface both adapters implement (``graph.stores.factory`` picks one).

Callers (the pipeline, analysis, reports, the API) only see this protocol, so the embedded SQLite store and
Neo4j are interchangeable. Everything returned is plain data from ``graph.model``. A store persists and
answers queries; what the graph becomes when a narrative is written, deleted or corrected is decided by
``graph.pipeline``, which runs inside ``transact`` on the primitives of ``graph.stores.ops``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import networkx as nx

from graph import model as m
from graph.build import NarrativeMeta
from graph.corrections import CorrectionLog
from graph.decisions import DecisionLog
from graph.stores.ops import RemovalOps
from nlp.extraction import Extraction

T = TypeVar("T")
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
    """A neighbourhood, bounded: each flag says which limit cut it (the API reports them; docs/api.md)."""

    nodes: list[m.Node]
    edges: list[m.Edge]
    truncated: bool = False  # more nodes were within reach than the node limit
    edges_truncated: bool = False  # more relationships among the nodes than the relationship limit
    evidence_totals: dict[str, int] = field(default_factory=dict)  # edge id -> its evidence, where more than listed


@dataclass(slots=True)
class SearchPage:
    """One page of search results, ranked the same on every store (``graph.stores.search_index``)."""

    nodes: list[m.Node]
    more: bool = False  # ranked results follow this page
    capped: bool = False  # the query matched more entities than were ranked (the scan bound): narrow it


@dataclass(slots=True)
class PairReview:
    a: m.Node
    b: m.Node
    score: float
    reason: str
    status: str
    edge_id: str


class GraphStore(Protocol):
    decisions: DecisionLog | None  # the analysts' decisions on pairs, the record the store replays on opening
    corrections: CorrectionLog | None  # the caseworkers' corrections, likewise

    def transact(self, work: Callable[[RemovalOps], T], *, erasing: bool = False,
                 record: Callable[[T], None] | None = None) -> T:
        """Run ``work`` on this store's primitives inside one write transaction: all of it or nothing.
        ``erasing``: deleted content is overwritten, not just unlinked (a deletion or correction).
        ``record`` appends the result to a log: inside the transaction where a failed append can still
        roll the change back (SQLite), after the commit where the work may be retried (Neo4j)."""

    def has_narrative(self, content_hash: str) -> bool: ...

    def narrative_hash(self, source_id: str) -> str | None:
        """The content hash stored under a narrative id, if any."""

    def node(self, node_id: str) -> NodeDetail | None: ...

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500, types: Sequence[str] | None = None,
                      edge_limit: int | None = None, evidence_limit: int | None = None) -> Subgraph:
        """Nodes within ``depth`` hops, at most ``limit`` of them (the store stops looking once it has found
        more), the relationships among them (at most ``edge_limit``: those that reached each node first,
        then the rest; ``graph.stores.bounded``) and their evidence (the ``evidence_limit`` strongest of each)."""

    def canonical(self, node_id: str) -> str:
        """The id a node answers to now, following merges."""

    def path_candidates(self, a: str, b: str, cutoff: int | None = None, limit: int = 50) -> nx.MultiDiGraph:
        """The social relationships (and POSSIBLY_SAME_AS pairs) paths from ``a`` to ``b`` may use: with no
        ``cutoff``, enough for every shortest path; else for ``limit`` paths of at most ``cutoff`` hops.
        ``graph.connections`` chooses among them."""

    def search(self, query: str, labels: Sequence[str] | None = None, limit: int = 20) -> list[m.Node]: ...

    def search_page(self, query: str, labels: Sequence[str] | None = None, limit: int = 20, offset: int = 0,
                    scan: int = 2_000, also: Sequence[str] = ()) -> SearchPage:
        """Results ``offset`` to ``offset + limit`` of a search that ranks at most ``scan`` matching entities
        (read with a bound in the query); ``also``: more written forms of an identifier to look up."""

    def list_nodes(self, label: str, limit: int = 100, offset: int = 0) -> list[m.Node]: ...

    def project(self, labels: Sequence[str] | None = None, types: Sequence[str] | None = None) -> nx.MultiDiGraph: ...

    def stats(self) -> dict[str, Any]: ...

    def pairs(self, status: str | None = "pending") -> list[PairReview]: ...

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
