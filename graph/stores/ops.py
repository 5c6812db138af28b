"""What the pipeline asks of a store inside one write transaction: the primitives both adapters implement.

``graph.pipeline`` runs its algorithms (write, merge, delete, correct) on these; the adapters in
``graph.stores`` only carry them out as SQLite rows or Cypher statements. Keeping the contract here, apart
from both, is what lets the pipeline and the stores import it without importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from graph import model as m
from graph.corrections import Correction
from graph.decisions import Decision
from graph.resolution import ResolutionLookup


class WriteOps(ResolutionLookup, Protocol):
    """Primitives a store offers inside one write transaction."""

    def get_nodes(self, ids: Sequence[str]) -> dict[str, m.Node]: ...

    def put_nodes(self, nodes: Sequence[m.Node]) -> None:
        """Insert or replace these nodes whole, and index their search keys."""

    def get_edges(self, edges: Sequence[m.Edge]) -> dict[str, m.Edge]:
        """The stored versions (with evidence) of these edges, by id; absent ones are missing."""

    def put_edges(self, edges: Sequence[m.Edge]) -> None:
        """Insert or replace these edges whole, evidence included."""

    def edges_touching(self, node_id: str) -> list[m.Edge]: ...

    def delete_edges(self, edges: Sequence[m.Edge]) -> None: ...

    def delete_node(self, node_id: str) -> None:
        """Remove a node (already without edges) and its search keys."""

    def has_narrative(self, content_hash: str) -> bool: ...

    def narrative_hash(self, source_id: str) -> str | None: ...

    def add_narratives(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """Mark narratives as fully written: (source id, node id, content hash, ingested at) each."""

    def put_decision(self, decision: Decision) -> None: ...

    def put_merged(self, old: str, new: str) -> None:
        """Record that ``old`` now answers as ``new`` (and re-point anything that pointed at ``old``)."""

    def corrections_for(self, content_hashes: Sequence[str]) -> dict[str, list[Correction]]:
        """The caseworkers' corrections of these narratives, in the order they were made."""


@dataclass(frozen=True, slots=True)
class NarrativeRecord:
    source_id: str
    node_id: str
    content_hash: str
    ingested_at: str


class RemovalOps(WriteOps, Protocol):
    """What removing or rewriting a narrative needs from a store beyond writing, in the same transaction."""

    def narrative_record(self, content_hash: str) -> NarrativeRecord | None: ...

    def narrative_records(self, source_ids: Sequence[str]) -> dict[str, NarrativeRecord]: ...

    def drop_narrative(self, source_id: str) -> None:
        """Forget that a narrative was written (its node goes with ``delete_node``)."""

    def edges_with_evidence(self, source_id: str, node_ids: Sequence[str]) -> list[m.Edge]:
        """Relationships carrying evidence from this narrative (at least those touching ``node_ids``)."""

    def drop_keys(self, nodes: Sequence[m.Node]) -> None:
        """Remove these nodes' search keys (before they are put again with fewer names)."""

    def has_history(self, node_id: str) -> bool:
        """Whether an analyst's decision or a merge names this node id."""

    def put_corrections(self, corrections: Sequence[Correction]) -> None: ...

    def drop_corrections(self, content_hash: str) -> None: ...
