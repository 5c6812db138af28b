"""The embedded store: the whole graph in one SQLite file under ``SIGHTLINE_HOME``, no server.

WAL mode lets readers (analysis, the API) work while an ingest writes. Each batch is one
``BEGIN IMMEDIATE`` transaction, so a process killed mid-batch leaves the file exactly as it was before
the batch: SQLite's journal guarantees it, and ``tests/test_graph_ingest.py`` kills a real process to
check. ``synchronous=NORMAL`` in WAL mode is safe against a killed process; after a power loss the last
committed batches may be missing but the file is never corrupt.

Resolution runs inside the write transaction (``_Ops``), so a batch sees its own earlier narratives
and two writers cannot both create the same person.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from graph import model as m
from graph.corrections import Correction, CorrectionLog
from graph.decisions import Decision, DecisionLog
from graph.projection import to_networkx
from graph.resolution import CANDIDATE_LIMIT, COMMON_KEY, PersonRecord, person_record
from graph.stores import sqlite_reads
from graph.stores.ops import NarrativeRecord, RemovalOps
from graph.stores.protocol import NodeDetail, PairReview, SearchPage, StoreError, Subgraph
from graph.stores.search_index import find_page, search_keys
from graph.stores.sqlite_reads import chunks as _chunks
from graph.stores.sqlite_reads import read_edges as _read_edges
from graph.stores.sqlite_reads import read_nodes as _read_nodes
from graph.stores.sqlite_reads import row_node as _node

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL, props TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes(label);
CREATE TABLE IF NOT EXISTS edges (id TEXT PRIMARY KEY, type TEXT NOT NULL, source TEXT NOT NULL,
                                  target TEXT NOT NULL, props TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS edges_source ON edges(source, type);
CREATE INDEX IF NOT EXISTS edges_target ON edges(target, type);
CREATE TABLE IF NOT EXISTS evidence (edge_id TEXT NOT NULL, narrative TEXT NOT NULL, sentence TEXT NOT NULL,
                                     start INTEGER NOT NULL, end INTEGER NOT NULL, confidence REAL NOT NULL,
                                     PRIMARY KEY (edge_id, narrative, start, end)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS evidence_narrative ON evidence(narrative);
CREATE TABLE IF NOT EXISTS narratives (source_id TEXT PRIMARY KEY, node_id TEXT NOT NULL,
                                       content_hash TEXT NOT NULL UNIQUE, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keys (key TEXT NOT NULL, node_id TEXT NOT NULL, PRIMARY KEY (key, node_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS merged (old TEXT PRIMARY KEY, new TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (a TEXT NOT NULL, b TEXT NOT NULL, decision TEXT NOT NULL,
                                      decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS corrections (content_hash TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
                                        label TEXT NOT NULL, correction TEXT NOT NULL,
                                        PRIMARY KEY (content_hash, start, end, label)) WITHOUT ROWID;
"""
_CONTEXT_LABELS = (m.PHONE, m.EMAIL, m.BANK_ACCOUNT, m.CRYPTO_WALLET, m.ONLINE_ACCOUNT, m.ORGANIZATION, m.LOCATION)


class SQLiteStore:
    def __init__(self, path: Path, decisions: DecisionLog | None = None, corrections: CorrectionLog | None = None) -> None:
        self.path = path
        self.decisions = decisions or DecisionLog(path.parent)
        self.corrections = corrections or CorrectionLog(path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._load_decisions()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path}: cannot open the graph store ({error})") from None
        except ValueError as error:
            raise StoreError(str(error)) from None

    def _load_decisions(self) -> None:
        """Bring the analysts' decisions and the caseworkers' corrections into the tables the writes read
        (the logs are the record)."""
        with self._transaction() as db:
            ops = _Ops(db)
            for d in self.decisions.load():
                ops.put_decision(d)
            ops.put_corrections(self.corrections.load())

    # -- transactions -------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    # -- writing ------------------------------------------------------------------------------------

    def has_narrative(self, content_hash: str) -> bool:
        return _Ops(self._db).has_narrative(content_hash)

    def narrative_hash(self, source_id: str) -> str | None:
        return _Ops(self._db).narrative_hash(source_id)

    def transact(self, work: Callable[[RemovalOps], T], *, erasing: bool = False,
                 record: Callable[[T], None] | None = None) -> T:
        """One ``BEGIN IMMEDIATE`` transaction; ``record`` runs inside it, so a failed log append rolls back."""
        with self._erasing() if erasing else nullcontext(), self._transaction() as db:
            result = work(_Ops(db))
            if record is not None:
                record(result)
        return result

    def canonical(self, node_id: str) -> str:
        return _Ops(self._db).canonical(node_id)

    # -- reading ------------------------------------------------------------------------------------

    def _nodes(self, ids: Sequence[str]) -> dict[str, m.Node]:
        return _read_nodes(self._db, ids)

    def _edges(self, where: str, params: Sequence[Any]) -> list[m.Edge]:
        return _read_edges(self._db, where, params)

    def node(self, node_id: str) -> NodeDetail | None:
        node_id = _Ops(self._db).canonical(node_id)
        found = self._nodes([node_id]).get(node_id)
        if found is None:
            return None
        edges = self._edges("source = ? OR target = ?", (node_id, node_id))
        narratives = sorted({e.narrative for edge in edges if edge.type == m.MENTIONED_IN for e in edge.evidence})
        return NodeDetail(found, edges, narratives)

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500, types: Sequence[str] | None = None,
                      edge_limit: int | None = None, evidence_limit: int | None = None) -> Subgraph:
        return sqlite_reads.neighbourhood(self._db, node_id, depth, limit, types, edge_limit, evidence_limit)

    def path_candidates(self, a: str, b: str, cutoff: int | None = None, limit: int = 50) -> nx.MultiDiGraph:
        """The whole social projection: the store holds no path index of its own."""
        return self.project(types=sorted(m.SOCIAL_TYPES | {m.POSSIBLY_SAME_AS}))

    def search(self, query: str, labels: Sequence[str] | None = None, limit: int = 20) -> list[m.Node]:
        return self.search_page(query, labels, limit).nodes

    def search_page(self, query: str, labels: Sequence[str] | None = None, limit: int = 20, offset: int = 0,
                    scan: int = 2_000, also: Sequence[str] = ()) -> SearchPage:
        return find_page(query, labels, limit, offset, scan, also=also, nodes=self._nodes,
                         ids_for_key=lambda key, kept, cap: sqlite_reads.ids_for_key(self._db, key, kept, cap),
                         ids_for_words=lambda words, kept, cap: sqlite_reads.ids_for_words(self._db, words, kept, cap))

    def list_nodes(self, label: str, limit: int = 100, offset: int = 0) -> list[m.Node]:
        rows = self._db.execute("SELECT id, label, name, props FROM nodes WHERE label = ? ORDER BY id LIMIT ? OFFSET ?",
                                (label, limit, offset))
        return [_node(r) for r in rows]

    def project(self, labels: Sequence[str] | None = None, types: Sequence[str] | None = None) -> nx.MultiDiGraph:
        node_sql = "SELECT id, label, name, props FROM nodes"
        params: list[Any] = []
        if labels:
            node_sql += f" WHERE label IN ({','.join('?' * len(labels))})"
            params = list(labels)
        nodes = [_node(r) for r in self._db.execute(node_sql, params)]
        keep = {n.id for n in nodes}
        edge_sql = "1 = 1" if not types else f"type IN ({','.join('?' * len(types))})"
        edges = [e for e in self._edges(edge_sql, list(types or [])) if e.source in keep and e.target in keep]
        return to_networkx(nodes, edges)

    def stats(self) -> dict[str, Any]:
        """Counts per label and type. The analysis cache asks for them on every request to tell whether the
        graph changed, and counting a large graph takes a tenth of a second or more; so they are kept until
        SQLite says the file changed: ``PRAGMA data_version`` moves when another connection commits,
        ``total_changes`` when this one writes. Both are read without touching the tables."""
        version = (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes)
        cached = getattr(self, "_stats_cache", None)
        if cached is not None and cached[0] == version:
            return copy.deepcopy(cached[1])
        counted = self._count()
        self._stats_cache = (version, counted)
        return copy.deepcopy(counted)

    def _count(self) -> dict[str, Any]:
        nodes = dict(self._db.execute("SELECT label, COUNT(*) FROM nodes GROUP BY label ORDER BY label").fetchall())
        rels = dict(self._db.execute("SELECT type, COUNT(*) FROM edges GROUP BY type ORDER BY type").fetchall())
        narratives = self._db.execute("SELECT COUNT(*) FROM narratives").fetchone()[0]
        return {"nodes": nodes, "relationships": rels, "narratives": narratives,
                "total_nodes": sum(nodes.values()), "total_relationships": sum(rels.values())}

    # -- review of POSSIBLY_SAME_AS pairs -------------------------------------------------------------

    def pairs(self, status: str | None = "pending") -> list[PairReview]:
        rows = self._db.execute("SELECT id, source, target, props FROM edges WHERE type = ? ORDER BY id",
                                (m.POSSIBLY_SAME_AS,)).fetchall()
        nodes = self._nodes(sorted({r[1] for r in rows} | {r[2] for r in rows}))
        out = []
        for edge_id, a, b, raw in rows:
            props = json.loads(raw)
            if status and props.get("status") != status or a not in nodes or b not in nodes:
                continue
            out.append(PairReview(nodes[a], nodes[b], props.get("score", 0.0), props.get("reason", ""),
                                  props.get("status", "pending"), edge_id))
        out.sort(key=lambda p: (-p.score, p.edge_id))
        return out

    # -- export / import ----------------------------------------------------------------------------

    def dump(self) -> Iterator[dict[str, Any]]:
        for row in self._db.execute("SELECT id, label, name, props FROM nodes ORDER BY id"):
            node = _node(row)
            yield {"kind": "node", "id": node.id, "label": node.label, "name": node.name, "props": node.props}
        for source_id, node_id, digest, at in self._db.execute("SELECT * FROM narratives ORDER BY source_id"):
            yield {"kind": "narrative", "source_id": source_id, "node": node_id, "content_hash": digest,
                   "ingested_at": at}
        for edge in self._edges("1 = 1", ()):
            yield {"kind": "edge", "id": edge.id, "type": edge.type, "source": edge.source, "target": edge.target,
                   "props": edge.props, "evidence": [e.to_dict() for e in edge.evidence]}
        for old, new in self._db.execute("SELECT old, new FROM merged ORDER BY old"):
            yield {"kind": "merged", "old": old, "new": new}

    def load(self, records: Sequence[dict[str, Any]]) -> None:
        from graph.stores.transfer import apply_records

        with self._transaction() as db:
            apply_records(_Ops(db), records)

    def prepare_load(self, records: Sequence[dict[str, Any]]) -> Sequence[dict[str, Any]]:
        return records  # nothing to do ahead: the store writes in this process, a second thread would compete with it

    def load_prepared(self, prepared: Sequence[dict[str, Any]]) -> None:
        self.load(prepared)

    @contextmanager
    def _erasing(self) -> Iterator[None]:
        """Deleted rows overwritten with zeros, and the write-ahead log folded back and emptied afterwards
        (as far as readers allow), so that a deleted narrative's sentences do not linger in the file."""
        self._db.execute("PRAGMA secure_delete=ON")
        try:
            yield
        finally:
            self._db.execute("PRAGMA secure_delete=OFF")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _Ops:
    """``graph.pipeline.writing.WriteOps`` (and resolution's lookup) on one connection, inside its transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def get_nodes(self, ids: Sequence[str]) -> dict[str, m.Node]:
        return _read_nodes(self._db, ids)

    def put_nodes(self, nodes: Sequence[m.Node]) -> None:
        for node in nodes:
            self._db.execute("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?)",
                             (node.id, node.label, node.name, json.dumps(node.props, ensure_ascii=False, sort_keys=True)))
            self._db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", [(k, node.id) for k in search_keys(node)])

    def get_edges(self, edges: Sequence[m.Edge]) -> dict[str, m.Edge]:
        out: dict[str, m.Edge] = {}
        for chunk in _chunks([e.id for e in edges], 500):
            found = _read_edges(self._db, f"id IN ({','.join('?' * len(chunk))})", chunk)
            out.update((e.id, e) for e in found)
        return out

    def put_edges(self, edges: Sequence[m.Edge]) -> None:
        for edge in edges:
            self._db.execute("INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?, ?)",
                             (edge.id, edge.type, edge.source, edge.target, json.dumps(edge.props, ensure_ascii=False)))
            self._db.executemany("INSERT OR IGNORE INTO evidence VALUES (?, ?, ?, ?, ?, ?)",
                                 [(edge.id, e.narrative, e.sentence, e.start, e.end, e.confidence) for e in edge.evidence])

    def edges_touching(self, node_id: str) -> list[m.Edge]:
        return _read_edges(self._db, "source = ? OR target = ?", (node_id, node_id))

    def delete_edges(self, edges: Sequence[m.Edge]) -> None:
        self._db.executemany("DELETE FROM edges WHERE id = ?", [(e.id,) for e in edges])
        self._db.executemany("DELETE FROM evidence WHERE edge_id = ?", [(e.id,) for e in edges])

    def delete_node(self, node_id: str) -> None:
        self._db.execute("DELETE FROM nodes WHERE id = ?", (node_id,))
        self._db.execute("DELETE FROM keys WHERE node_id = ?", (node_id,))

    def has_narrative(self, content_hash: str) -> bool:
        return self._db.execute("SELECT 1 FROM narratives WHERE content_hash = ?", (content_hash,)).fetchone() is not None

    def narrative_hash(self, source_id: str) -> str | None:
        row = self._db.execute("SELECT content_hash FROM narratives WHERE source_id = ?", (source_id,)).fetchone()
        return row[0] if row else None

    def add_narratives(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO narratives VALUES (?, ?, ?, ?)", rows)

    def put_decision(self, decision: Decision) -> None:
        self._db.execute("INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?)",
                         (decision.a, decision.b, decision.decision, decision.by, decision.at))

    def put_merged(self, old: str, new: str) -> None:
        self._db.execute("UPDATE merged SET new = ? WHERE new = ?", (new, old))
        self._db.execute("INSERT OR REPLACE INTO merged VALUES (?, ?)", (old, new))

    def canonical(self, node_id: str) -> str:
        for _ in range(32):
            row = self._db.execute("SELECT new FROM merged WHERE old = ?", (node_id,)).fetchone()
            if row is None:
                return node_id
            node_id = row[0]
        raise StoreError(f"merge chain too long at {node_id}")

    def decision(self, a: str, b: str) -> str | None:
        lo, hi = sorted((a, b))
        row = self._db.execute("SELECT decision FROM decisions WHERE a = ? AND b = ?", (lo, hi)).fetchone()
        return row[0] if row else None

    def corrections_for(self, content_hashes: Sequence[str]) -> dict[str, list[Correction]]:
        out: dict[str, list[Correction]] = {}
        for chunk in _chunks(list(content_hashes), 500):
            marks = ",".join("?" * len(chunk))
            for (raw,) in self._db.execute(f"SELECT correction FROM corrections WHERE content_hash IN ({marks}) "
                                           "ORDER BY content_hash, start, end, label", chunk):
                correction = Correction(**json.loads(raw))
                out.setdefault(correction.content_hash, []).append(correction)
        return out

    def put_corrections(self, corrections: Sequence[Correction]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO corrections VALUES (?, ?, ?, ?, ?)",
                             [(*c.key(), json.dumps(asdict(c), ensure_ascii=False)) for c in corrections])

    def drop_corrections(self, content_hash: str) -> None:
        self._db.execute("DELETE FROM corrections WHERE content_hash = ?", (content_hash,))

    def narrative_record(self, content_hash: str) -> NarrativeRecord | None:
        row = self._db.execute("SELECT source_id, node_id, content_hash, ingested_at FROM narratives "
                               "WHERE content_hash = ?", (content_hash,)).fetchone()
        return NarrativeRecord(*row) if row else None

    def narrative_records(self, source_ids: Sequence[str]) -> dict[str, NarrativeRecord]:
        out = {}
        for chunk in _chunks(list(source_ids), 500):
            rows = self._db.execute("SELECT source_id, node_id, content_hash, ingested_at FROM narratives "
                                    f"WHERE source_id IN ({','.join('?' * len(chunk))})", chunk)
            out.update((r[0], NarrativeRecord(*r)) for r in rows)
        return out

    def drop_narrative(self, source_id: str) -> None:
        self._db.execute("DELETE FROM narratives WHERE source_id = ?", (source_id,))

    def edges_with_evidence(self, source_id: str, node_ids: Sequence[str]) -> list[m.Edge]:
        """Every relationship with evidence from the narrative (the evidence table is indexed by it)."""
        return _read_edges(self._db, "id IN (SELECT edge_id FROM evidence WHERE narrative = ?)", (source_id,))

    def drop_keys(self, nodes: Sequence[m.Node]) -> None:
        self._db.executemany("DELETE FROM keys WHERE key = ? AND node_id = ?",
                             [(k, n.id) for n in nodes for k in search_keys(n)])

    def has_history(self, node_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM decisions WHERE a = ?1 OR b = ?1 UNION ALL "
                                "SELECT 1 FROM merged WHERE old = ?1 OR new = ?1 LIMIT 1", (node_id,)).fetchone() is not None

    def person_candidates(self, keys: set[str]) -> list[PersonRecord]:
        """People sharing the most blocking keys with the name (CANDIDATE_LIMIT at most); keys held by more
        than COMMON_KEY people are skipped, so the cost per name stays bounded as the graph grows."""
        shared: Counter[str] = Counter()
        for key in sorted(keys):
            rows = self._db.execute("SELECT node_id FROM keys WHERE key = ? LIMIT ?",
                                    (f"b:{key}", COMMON_KEY + 1)).fetchall()
            if len(rows) <= COMMON_KEY:
                shared.update(r[0] for r in rows)
        ids = [i for i, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATE_LIMIT]]
        return [person_record(node) for node in _read_nodes(self._db, ids).values()]
