"""Move a whole graph between stores as JSON lines, without loss: ``sightline export`` / ``import``.

One record per line, in an order that can be replayed: nodes, the narratives that were fully written,
relationships with all their evidence, then the merge map. ``apply_records`` writes a chunk of records
through the same ``WriteOps`` primitives the ingest uses, in the importing store's transaction; records
already present are replaced by the same content, so importing twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
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


def apply_records(ops: Any, records: Sequence[dict[str, Any]]) -> None:
    """Write records through ``graph.writing.WriteOps`` primitives (inside the caller's transaction)."""
    nodes = [m.Node(r["id"], r["label"], r["name"], r["props"]) for r in records if r["kind"] == "node"]
    if nodes:
        ops.put_nodes(nodes)
    narratives = [(r["source_id"], r["node"], r["content_hash"], r["ingested_at"])
                  for r in records if r["kind"] == "narrative"]
    if narratives:
        ops.add_narratives(narratives)
    edges = [m.Edge(r["id"], r["type"], r["source"], r["target"], r["props"],
                    [m.EvidenceRef(**e) for e in r["evidence"]]) for r in records if r["kind"] == "edge"]
    if edges:
        ops.put_edges(edges)
    for r in records:
        if r["kind"] == "merged":
            ops.put_merged(r["old"], r["new"])
