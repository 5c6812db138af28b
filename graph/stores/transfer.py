"""Move a whole graph between stores as JSON lines, without loss: ``sightline export`` / ``import``.

One record per line, in an order that can be replayed: nodes, the narratives that were fully written,
relationships with all their evidence, then the merge map. ``apply_records`` writes a chunk of records
through the same ``WriteOps`` primitives the ingest uses, in the importing store's transaction; records
already present are replaced by the same content, so importing twice changes nothing. ``load_batches``
drives an import: one transaction per batch, the next batch prepared while the store writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from graph import model as m

KINDS = ("node", "narrative", "edge", "merged")
_ORDER = {kind: i for i, kind in enumerate(KINDS)}


class Transferable(Protocol):
    def dump(self) -> Iterator[dict[str, Any]]: ...

    def load(self, records: Sequence[dict[str, Any]]) -> None: ...


class TransferError(ValueError):
    """A record that cannot be imported; the message names its line."""


def export_lines(store: Transferable) -> Iterator[str]:
    records = sorted(store.dump(), key=lambda r: (_ORDER[r["kind"]], r.get("id") or r.get("source_id") or r.get("old")))
    for record in records:
        yield json.dumps(record, ensure_ascii=False, sort_keys=True)


def parse_lines(lines: Iterable[str], where: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise TransferError(f"{where}:{number}: not valid JSON ({error.msg})") from None
        if not isinstance(record, dict) or record.get("kind") not in KINDS:
            raise TransferError(f"{where}:{number}: expected a record with \"kind\" in {', '.join(KINDS)}")
        try:
            _check(record)
        except (KeyError, TypeError, ValueError) as error:
            raise TransferError(f"{where}:{number}: malformed {record['kind']} record ({error})") from None
        yield record


def _check(record: dict[str, Any]) -> None:
    kind = record["kind"]
    if kind == "node":
        if record["label"] not in m.NODE_LABELS or not isinstance(record["props"], dict):
            raise ValueError(f"unknown label {record['label']!r}")
        str(record["id"]), str(record["name"])
    elif kind == "edge":
        if record["type"] not in m.REL_TYPES:
            raise ValueError(f"unknown relationship type {record['type']!r}")
        [m.EvidenceRef(**e) for e in record["evidence"]]
        str(record["source"]), str(record["target"])
    elif kind == "narrative":
        str(record["source_id"]), str(record["node"]), str(record["content_hash"]), str(record["ingested_at"])
    else:
        str(record["old"]), str(record["new"])


@dataclass(frozen=True, slots=True)
class RecordBatch:
    """One chunk of records as model objects, in the order they are written: nodes, narratives, edges, merges."""

    nodes: list[m.Node]
    narratives: list[tuple[str, str, str, str]]  # (source_id, node, content_hash, ingested_at)
    edges: list[m.Edge]
    merged: list[tuple[str, str]]  # (old, new)


def record_batch(records: Sequence[dict[str, Any]]) -> RecordBatch:
    return RecordBatch(
        nodes=[m.Node(r["id"], r["label"], r["name"], r["props"]) for r in records if r["kind"] == "node"],
        narratives=[(r["source_id"], r["node"], r["content_hash"], r["ingested_at"])
                    for r in records if r["kind"] == "narrative"],
        edges=[m.Edge(r["id"], r["type"], r["source"], r["target"], r["props"],
                      [m.EvidenceRef(**e) for e in r["evidence"]]) for r in records if r["kind"] == "edge"],
        merged=[(r["old"], r["new"]) for r in records if r["kind"] == "merged"])


def apply_records(ops: Any, records: Sequence[dict[str, Any]]) -> None:
    """Write records through ``graph.pipeline.writing.WriteOps`` primitives (inside the caller's transaction)."""
    batch = record_batch(records)
    if batch.nodes:
        ops.put_nodes(batch.nodes)
    if batch.narratives:
        ops.add_narratives(batch.narratives)
    if batch.edges:
        ops.put_edges(batch.edges)
    for old, new in batch.merged:
        ops.put_merged(old, new)


class PreparedLoader(Protocol):
    def prepare_load(self, records: Sequence[dict[str, Any]]) -> Any: ...

    def load_prepared(self, prepared: Any) -> None: ...


def load_batches(store: PreparedLoader, records: Sequence[dict[str, Any]], batch: int,
                 advance: Callable[[int], None] = lambda n: None) -> None:
    """Write records ``batch`` at a time, one transaction each, in order; the next batch is prepared (rows
    built, keys computed) on a second thread while the store writes the current one. On Neo4j preparing is
    a fifth of the work and the client would otherwise sit idle while the server writes."""
    chunks = [records[i:i + batch] for i in range(0, len(records), batch)]
    if not chunks:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare-load") as pool:
        pending = pool.submit(store.prepare_load, chunks[0])
        for i, chunk in enumerate(chunks):
            prepared = pending.result()
            if i + 1 < len(chunks):
                pending = pool.submit(store.prepare_load, chunks[i + 1])
            store.load_prepared(prepared)
            advance(len(chunk))
