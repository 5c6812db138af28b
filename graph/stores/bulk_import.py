"""A first load of a large graph into a new local Neo4j with Neo4j's own import tool: ``sightline import --bulk``.

Why: the transactional path (``transfer.load_batches``) checks every element against what is stored and
logs every change, which a first load of an empty database does not need. Here the export's records are
folded into exactly what that path would leave in Neo4j (graph nodes with ``:Node`` plus their model label
and the same property values, ``:SearchKey`` nodes with ``KEY_OF`` links, ``:Merged`` nodes, narratives'
``ingested_at``), written as the import tool's CSV files, and imported while the server is stopped. Once it
runs again, opening a ``Neo4jStore`` creates the constraints and indexes (``schema.cypher``) and loads the
decision and correction logs, as for any database, so increments then go through the normal path.

Folding follows the transactional statements: a node written twice keeps its last values and every label
and search key it had; a relationship keeps its first type and its last properties and evidence; one
whose end is not a node is skipped (``edges_put`` matches nothing); merges are replayed in order
(``merged_put`` re-points earlier merges into the old id).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph import model as m
from graph.corrections import CorrectionLog
from graph.decisions import DecisionLog
from graph.neo4j_local import bulk
from graph.neo4j_local.config import LocalNeo4j
from graph.neo4j_local.errors import Neo4jServerError
from graph.neo4j_local.layout import neo4j_dir
from graph.neo4j_local.server import local_uri, start, stop
from graph.stores.cypher_files import statement
from graph.stores.neo4j import Neo4jStore
from graph.stores.neo4j_rows import (  # the rows the transactional path writes, the same text
    edge_record_row,
    key_rows,
    node_row,
)
from graph.stores.protocol import StoreError

# Called with what is being done and the share of it done, 0..1.
Stage = Callable[[str, float], None]
INDEX_TIMEOUT_SECONDS = 3600

NODE_HEADER = ("id:ID(Node)", ":LABEL", "label", "name", "props", "kind", "value", "source_id", "content_hash",
               "ingested_at")
EDGE_HEADER = (":START_ID(Node)", ":END_ID(Node)", ":TYPE", "id", "props", "evidence")
KEY_HEADER = ("key:ID(SearchKey)", ":LABEL")
KEY_OF_HEADER = (":START_ID(SearchKey)", ":END_ID(Node)", ":TYPE")
MERGED_HEADER = ("old:ID(Merged)", "new", ":LABEL")


class BulkImportError(RuntimeError):
    """Why a bulk import was refused or failed, as one message a person can act on."""


@dataclass(frozen=True)
class CsvFiles:
    """The import tool's input: node and relationship files (header line first), and what they hold."""

    nodes: list[Path]
    relationships: list[Path]
    node_count: int
    relationship_count: int
    multiline: bool  # some value holds a line break: the tool must parse fields across lines (slower)
    longest: int  # characters in the longest value: the tool's read buffer must hold it


@dataclass(frozen=True)
class BulkReport:
    """A finished bulk load: model elements (graph nodes plus relationships) and the seconds of each step."""

    elements: int
    nodes: int
    relationships: int
    csv_seconds: float
    import_seconds: float
    index_seconds: float = 0.0
    uri: str | None = None


def _field(value: str | None) -> str:
    """One CSV field: quoted, quotes doubled (RFC 4180); None unquoted and empty, which the tool reads as no value."""
    return "" if value is None else '"' + value.replace('"', '""') + '"'


class _Writer:
    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        self.rows = 0
        self.multiline = False
        self.longest = 0
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._handle.write(",".join(header) + "\n")

    def row(self, values: Sequence[str | None]) -> None:
        line = ",".join([_field(v) for v in values])
        # Measured on the whole line (an upper bound of its longest value), once per row: this runs per element.
        self.longest = max(self.longest, len(line))
        if "\n" in line or "\r" in line:
            self.multiline = True
        self._handle.write(line + "\n")
        self.rows += 1

    def close(self) -> None:
        self._handle.close()


def _text(value: Any, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BulkImportError(f"a node's {what} is not text; the bulk import stores these as text, so use the "
                          "transactional import (without --bulk) for this file")


def _replay_merges(merges: Sequence[tuple[str, str]]) -> dict[str, str]:
    """``merged_put`` in order: ``old`` answers as ``new``, and so does every earlier merge into ``old``."""
    merged: dict[str, str] = {}
    into: dict[str, set[str]] = {}
    for old, new in merges:
        if old in merged:
            into[merged[old]].discard(old)
        for earlier in into.pop(old, set()):
            merged[earlier] = new
            into.setdefault(new, set()).add(earlier)
        merged[old] = new
        into.setdefault(new, set()).add(old)
    return merged


def write_csv(records: Sequence[dict[str, Any]], folder: Path) -> CsvFiles:
    """Fold the export's records into what the transactional import would store, as the import tool's CSV files."""
    nodes: dict[str, dict[str, Any]] = {}
    labels: dict[str, set[str]] = {}
    keys: set[tuple[str, str]] = set()
    for r in records:
        if r["kind"] == "node":
            node = m.Node(r["id"], r["label"], r["name"], r["props"])
            nodes[node.id] = node_row(node)
            labels.setdefault(node.id, {"Node"}).add(node.label)
            keys.update((k["key"], k["node"]) for k in key_rows([node]))
    ingested = {r["node"]: r["ingested_at"] for r in records
                if r["kind"] == "narrative" and m.NARRATIVE in labels.get(r["node"], ())}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in records:
        if r["kind"] == "edge" and r["source"] in nodes and r["target"] in nodes:
            row = edge_record_row(r)
            stored = edges.setdefault((r["id"], r["source"], r["target"]), row)
            if stored is not row:
                stored.update(props=row["props"], evidence=row["evidence"])
    merged = _replay_merges([(r["old"], r["new"]) for r in records if r["kind"] == "merged"])

    writers = {name: _Writer(folder / f"{name}.csv", header) for name, header in (
        ("nodes", NODE_HEADER), ("keys", KEY_HEADER), ("merged", MERGED_HEADER), ("edges", EDGE_HEADER),
        ("key_of", KEY_OF_HEADER))}
    try:
        for node_id, row in nodes.items():
            writers["nodes"].row((node_id, ";".join(sorted(labels[node_id])), row["label"], row["name"], row["props"],
                                  _text(row["kind"], "kind"), _text(row["value"], "value"), row["source_id"],
                                  row["content_hash"], ingested.get(node_id)))
        for key in sorted({k for k, _ in keys}):
            writers["keys"].row((key, "SearchKey"))
        for old, new in merged.items():
            writers["merged"].row((old, new, "Merged"))
        for row in edges.values():
            writers["edges"].row((row["source"], row["target"], row["type"], row["id"], row["props"], row["evidence"]))
        for key, node_id in sorted(keys):
            writers["key_of"].row((key, node_id, "KEY_OF"))
    finally:
        for writer in writers.values():
            writer.close()
    return CsvFiles(nodes=[writers[n].path for n in ("nodes", "keys", "merged")],
                    relationships=[writers[n].path for n in ("edges", "key_of")],
                    node_count=len(nodes), relationship_count=len(edges),
                    multiline=any(w.multiline for w in writers.values()),
                    longest=max(w.longest for w in writers.values()))


def import_offline(records: Sequence[dict[str, Any]], home: Path, *, overwrite: bool = False, max_memory: str = "1g",
                   heap: str = "512m", on_stage: Stage | None = None) -> BulkReport:
    """Write the records into the local Neo4j's database files under ``home``; the server must be stopped.

    ``overwrite`` replaces an existing database (the caller has checked that it holds no graph). The CSV
    files live next to the database while the tool runs and are removed afterwards.
    """
    stage = on_stage or (lambda what, share: None)
    folder = neo4j_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix="bulk-csv-") as scratch:
        stage("writing CSV files", 0.0)
        began = time.monotonic()
        files = write_csv(records, Path(scratch))
        csv_seconds = time.monotonic() - began
        stage("writing CSV files", 1.0)
        buffer = max(4 * 1024 * 1024, 4 * files.longest + 1024)  # a UTF-8 character takes up to 4 bytes
        try:
            result = bulk.run_import(home, files.nodes, files.relationships, overwrite=overwrite, heap=heap,
                                     max_memory=max_memory, multiline=files.multiline, read_buffer=buffer,
                                     on_progress=lambda what, share: stage(f"Neo4j import tool: {what}", share))
        except Neo4jServerError as error:
            raise BulkImportError(str(error)) from None
    return BulkReport(elements=files.node_count + files.relationship_count, nodes=files.node_count,
                      relationships=files.relationship_count, csv_seconds=round(csv_seconds, 2),
                      import_seconds=result.seconds)


def finish(uri: str, home: Path) -> float:
    """After the server started on an imported database: create the schema and load the decision and
    correction logs (what opening a ``Neo4jStore`` does), then wait until every index is online, so the
    first search does not meet a full-text index still being built. Returns the seconds it took."""
    began = time.monotonic()
    store = Neo4jStore(uri, decisions=DecisionLog(home), corrections=CorrectionLog(home))
    store.close()
    with GraphDatabase.driver(uri, auth=None, notifications_min_severity="OFF") as driver:
        driver.execute_query(statement("bulk_await_indexes"), seconds=INDEX_TIMEOUT_SECONDS)
    return round(time.monotonic() - began, 2)


def holds_graph(uri: str) -> bool:
    """True if the database has any graph node, search key or merge: a bulk import would replace them."""
    with GraphDatabase.driver(uri, auth=None, notifications_min_severity="OFF") as driver:
        records, _, _ = driver.execute_query(statement("bulk_graph_present"))
    return bool(records[0]["present"])


def bulk_import_local(records: Sequence[dict[str, Any]], config: LocalNeo4j, *, max_memory: str = "1g",
                      on_stage: Stage | None = None) -> BulkReport:
    """``sightline import --bulk``: load ``records`` into the local Neo4j under ``config.home`` with the import
    tool, leaving the server running with the schema in place. Refused if the database holds a graph.

    A running local server is stopped for the import (after checking that it is empty); a stopped one
    with an existing database is started once to check the same. Either way it runs afterwards.
    """
    stage = on_stage or (lambda what, share: None)
    home = Path(config.home).resolve()
    config = LocalNeo4j(home, config.port, config.heap, config.page_cache)
    try:
        uri = local_uri(home)
        if uri is None and bulk.database_exists(home):
            stage("starting Neo4j to check that its database is empty", 0.0)
            uri = start(config).uri
        if uri is not None:
            if holds_graph(uri):
                raise BulkImportError("the local Neo4j already holds a graph; a bulk import only writes a new, "
                                      "empty database (import into it without --bulk, or start from a new "
                                      "SIGHTLINE_HOME)")
            stage("stopping Neo4j for the import", 0.0)
            stop(home)
        report = import_offline(records, home, overwrite=bulk.database_exists(home), max_memory=max_memory,
                                heap=config.heap, on_stage=stage)
        stage("starting Neo4j", 0.0)
        uri = start(config).uri
        stage("creating constraints and indexes", 0.0)
        index_seconds = finish(uri, home)
        stage("creating constraints and indexes", 1.0)
    except Neo4jServerError as error:
        raise BulkImportError(str(error)) from None
    except StoreError as error:
        raise BulkImportError(str(error)) from None
    except (Neo4jError, ServiceUnavailable, SessionExpired, OSError) as error:
        raise BulkImportError(f"the local Neo4j failed during the bulk import: {error}") from None
    return BulkReport(report.elements, report.nodes, report.relationships, report.csv_seconds,
                      report.import_seconds, index_seconds, uri)
