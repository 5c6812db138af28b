"""The Neo4j store: the same interface as the embedded store, over the official ``neo4j`` driver.

Every statement comes from ``cypher/`` with bound parameters. Writes run in managed transactions
(``execute_write``), which the driver retries on transient errors (deadlocks, lock timeouts, leader
changes); the write algorithm itself is ``graph.pipeline.writing``, shared with SQLite, so retrying re-runs a batch
from scratch inside a fresh transaction and the graph is the same as the embedded store would hold.
Reads that analysis needs stream only ids, labels, names and JSON properties, and go through the same
``to_networkx`` projection, so analysis results are identical on both stores.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import Any, TypeVar

import networkx as nx
from neo4j import Driver, GraphDatabase, ManagedTransaction, Query, RoutingControl
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

from graph import model as m
from graph.corrections import Correction, CorrectionLog
from graph.decisions import Decision, DecisionLog
from graph.projection import to_networkx
from graph.resolution import CANDIDATE_LIMIT, COMMON_KEY, PersonRecord, person_record
from graph.stores.cypher_files import schema_statements, statement
from graph.stores.ops import NarrativeRecord, RemovalOps
from graph.stores.bounded import Link, cap_evidence, choose_links, scan_bound
from graph.stores.protocol import NodeDetail, PairReview, SearchPage, StoreError, Subgraph
from graph.stores.neo4j_rows import LoadRows, edge_row, load_rows, narrative_rows, node_key_rows
from graph.stores.search_index import find_page

_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
_UNREACHABLE = (ServiceUnavailable, SessionExpired, OSError)
READ_TIMEOUT_SECONDS = 60  # a read that runs longer is stopped by Neo4j and reported, not left to run
T = TypeVar("T")


def _lucene_escape(word: str) -> str:
    return _LUCENE_SPECIAL.sub(lambda mt: "\\" + mt.group(1), word)


def _list(items: Sequence[str] | None) -> list[str] | None:
    return list(items) if items else None


def _node(record: Any) -> m.Node:
    return m.Node(record["id"], record["label"], record["name"], json.loads(record["props"] or "{}"))


def _edge(record: Any) -> m.Edge:
    evidence = [m.EvidenceRef(**e) for e in json.loads(record["evidence"] or "[]")]
    return m.Edge(record["id"], record["type"], record["source"], record["target"],
                  json.loads(record["props"] or "{}"), evidence)


def _locked(work: Callable[..., T]) -> Callable[..., T]:
    """``work`` run after taking the graph's write lock in the same transaction (see write_lock.cypher)."""

    def run(tx: ManagedTransaction, *args: Any) -> T:
        tx.run(statement("write_lock")).consume()
        return work(tx, *args)

    return run


def _record(row: Any) -> NarrativeRecord:
    return NarrativeRecord(row["source_id"], row["node_id"], row["content_hash"], row["ingested_at"])


def _load_logs(ops: _Ops, decisions: Sequence[Decision], corrections: Sequence[Correction]) -> None:
    for decision in decisions:
        ops.put_decision(decision)
    if corrections:
        ops.put_corrections(corrections)


class Neo4jStore:
    def __init__(self, uri: str, user: str = "neo4j", password: str | None = None, database: str = "neo4j",
                 decisions: DecisionLog | None = None, corrections: CorrectionLog | None = None) -> None:
        self.uri = uri
        self.database = database
        self.decisions = decisions
        self.corrections = corrections
        try:
            self._driver: Driver = GraphDatabase.driver(uri, auth=(user, password) if password else None,
                                                        connection_timeout=10, max_transaction_retry_time=30,
                                                        notifications_min_severity="OFF")
        except ValueError as error:  # a malformed URI
            raise StoreError(f"Neo4j at {uri}: {error}") from None
        try:
            self._driver.verify_connectivity()
            for text in schema_statements():
                self._driver.execute_query(text, database_=database)
            loaded = decisions.load() if decisions is not None else []
            corrected = corrections.load() if corrections is not None else []
            if loaded or corrected:
                with self._driver.session(database=database) as session:
                    session.execute_write(_locked(lambda tx: _load_logs(_Ops(tx), loaded, corrected)))
        except _UNREACHABLE as error:
            self._driver.close()
            raise StoreError(f"cannot reach Neo4j at {uri}: {error}") from None
        except AuthError as error:
            self._driver.close()
            raise StoreError(f"Neo4j at {uri} refused the credentials: {error.message}") from None
        except (ValueError, Neo4jError) as error:  # an unreadable log, a schema statement refused
            self._driver.close()
            raise StoreError(f"Neo4j at {uri}: {error}") from None

    def close(self) -> None:
        self._driver.close()

    # -- plumbing -----------------------------------------------------------------------------------

    def _read(self, name: str, **params: Any) -> list[Any]:
        try:
            query = Query(statement(name), timeout=READ_TIMEOUT_SECONDS)
            records, _, _ = self._driver.execute_query(query, params, database_=self.database,
                                                       routing_=RoutingControl.READ)
        except _UNREACHABLE as error:
            raise StoreError(f"cannot reach Neo4j at {self.uri}: {error}") from None
        except Neo4jError as error:
            raise StoreError(f"Neo4j at {self.uri} failed: {error.message}") from None
        return list(records)

    def _write(self, work: Any, *args: Any) -> Any:
        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(_locked(work), *args)
        except _UNREACHABLE as error:
            raise StoreError(f"cannot reach Neo4j at {self.uri}; nothing of this batch was written ({error})") from None
        except Neo4jError as error:
            raise StoreError(f"Neo4j at {self.uri} refused the write; nothing of it was written: {error.message}") from None

    # -- writing ------------------------------------------------------------------------------------

    def has_narrative(self, content_hash: str) -> bool:
        return bool(self._read("narrative_by_hash", hash=content_hash))

    def narrative_hash(self, source_id: str) -> str | None:
        rows = self._read("narrative_by_source", source_id=source_id)
        return rows[0]["content_hash"] if rows else None

    def transact(self, work: Callable[[RemovalOps], T], *, erasing: bool = False,
                 record: Callable[[T], None] | None = None) -> T:
        """One managed write transaction under the graph's write lock; the driver may retry ``work`` on a
        transient error, so ``record`` runs once, after the commit. (Neo4j keeps no deleted content in its
        store files to overwrite, so ``erasing`` asks nothing more of it.)"""
        result: T = self._write(lambda tx: work(_Ops(tx)))
        if record is not None:
            record(result)
        return result

    # -- reading ------------------------------------------------------------------------------------

    def _nodes(self, ids: Sequence[str]) -> dict[str, m.Node]:
        return {r["id"]: _node(r) for r in self._read("nodes_get", ids=list(ids))}

    def canonical(self, node_id: str) -> str:
        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_read(lambda tx: _Ops(tx).canonical(node_id))
        except _UNREACHABLE as error:
            raise StoreError(f"cannot reach Neo4j at {self.uri}: {error}") from None

    def node(self, node_id: str) -> NodeDetail | None:
        node_id = self.canonical(node_id)
        found = self._nodes([node_id]).get(node_id)
        if found is None:
            return None
        edges = [_edge(r) for r in self._read("edges_touching", id=node_id)]
        narratives = sorted({e.narrative for edge in edges if edge.type == m.MENTIONED_IN for e in edge.evidence})
        return NodeDetail(found, sorted(edges, key=lambda e: e.id), narratives)

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500, types: Sequence[str] | None = None,
                      edge_limit: int | None = None, evidence_limit: int | None = None) -> Subgraph:
        """APOC's expander stops at ``limit + 1`` nodes; the links among them are read bare (with a LIMIT),
        chosen as on SQLite (``graph.stores.bounded``), and only the chosen ones read whole."""
        wanted = sorted(types or [t for t in m.REL_TYPES if t != m.MENTIONED_IN])
        ids = [r["id"] for r in self._read("neighbourhood", id=node_id, depth=depth, limit=limit + 1,
                                           filter="|".join(wanted))]
        truncated = len(ids) > limit
        if truncated:
            ids = [node_id, *sorted(i for i in ids if i != node_id)][:limit]
        nodes = self._nodes(ids)
        bound = scan_bound(edge_limit)
        links = [Link(r["id"], r["source"], r["target"]) for r in
                 self._read("links_among", ids=sorted(nodes), types=wanted, limit=bound)]
        chosen, cut = choose_links(node_id, links, edge_limit, depth)
        ends = {link.id: link.source for link in links}
        edges = [_edge(r) for r in self._read("edges_get", rows=[{"id": i, "source": ends[i]} for i in chosen])]
        totals = cap_evidence(edges, evidence_limit)
        return Subgraph([nodes[i] for i in sorted(nodes)], sorted(edges, key=lambda e: e.id), truncated,
                        edges_truncated=cut or (bound is not None and len(links) >= bound), evidence_totals=totals)

    def path_candidates(self, a: str, b: str, cutoff: int | None = None, limit: int = 50) -> nx.MultiDiGraph:
        """The nodes of every shortest path (``cutoff`` None) or of the paths Neo4j expands, with the social
        relationships among them: enough for ``graph.connections`` to choose as on the embedded store."""
        types = sorted(m.SOCIAL_TYPES | {m.POSSIBLY_SAME_AS})
        if cutoff is None:
            rows = self._read("shortest_paths", a=a, b=b, types=types)
        else:
            rows = self._read("paths_expand", a=a, b=b, cutoff=cutoff, filter="|".join(types), limit=limit * 20)
        if not rows:
            return nx.MultiDiGraph()
        ids = sorted({a, b, *(n for r in rows for n in r["nodes"])})
        nodes = self._nodes(ids).values()
        edges = [_edge(r) for r in self._read("edges_among", ids=ids, types=types)]
        return to_networkx(nodes, edges)

    def search(self, query: str, labels: Sequence[str] | None = None, limit: int = 20) -> list[m.Node]:
        return self.search_page(query, labels, limit).nodes

    def search_page(self, query: str, labels: Sequence[str] | None = None, limit: int = 20, offset: int = 0,
                    scan: int = 2_000, also: Sequence[str] = ()) -> SearchPage:
        return find_page(query, labels, limit, offset, scan, also=also, nodes=self._nodes,
                         ids_for_key=self._ids_for_key, ids_for_words=self._ids_for_words)

    def _ids_for_key(self, key: str, labels: Sequence[str] | None, cap: int) -> list[str]:
        return [r["id"] for r in self._read("search_keys", exact=key, labels=_list(labels), limit=cap)]

    def _ids_for_words(self, words: list[str], labels: Sequence[str] | None, cap: int) -> list[str]:
        """Full-text hits with every word as a prefix, then nodes with a name token starting with each word;
        each query stops at ``cap``."""
        lucene = " ".join(f"+{_lucene_escape(w)}*" for w in words)
        ids = [r["id"] for r in self._read("search_names", query=lucene, labels=_list(labels), limit=cap)]
        prefixes = [f"t:{w}" for w in sorted(words, key=lambda w: (-len(w), w))]
        ids += [r["id"] for r in self._read("search_words", prefixes=prefixes, labels=_list(labels), limit=cap)]
        return list(dict.fromkeys(ids))[:cap]

    def list_nodes(self, label: str, limit: int = 100, offset: int = 0) -> list[m.Node]:
        return [_node(r) for r in self._read("nodes_by_label", label=label, limit=limit, offset=offset)]

    def project(self, labels: Sequence[str] | None = None, types: Sequence[str] | None = None) -> nx.MultiDiGraph:
        nodes = [_node(r) for r in self._read("project_nodes", labels=list(labels) if labels else None)]
        edges = [_edge(r) for r in self._read("project_edges", types=list(types) if types else None,
                                              labels=list(labels) if labels else None)]
        return to_networkx(nodes, edges)

    def stats(self) -> dict[str, Any]:
        nodes = {r["label"]: r["count"] for r in self._read("stats_nodes")}
        rels = {r["type"]: r["count"] for r in self._read("stats_relationships")}
        narratives = self._read("stats_narratives")[0]["count"]
        return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(rels.items())),
                "narratives": narratives, "total_nodes": sum(nodes.values()), "total_relationships": sum(rels.values())}

    def pairs(self, status: str | None = "pending") -> list[PairReview]:
        rows = self._read("pairs")
        nodes = self._nodes(sorted({r["a"] for r in rows} | {r["b"] for r in rows}))
        out = []
        for row in rows:
            props = json.loads(row["props"] or "{}")
            if status and props.get("status") != status or row["a"] not in nodes or row["b"] not in nodes:
                continue
            out.append(PairReview(nodes[row["a"]], nodes[row["b"]], props.get("score", 0.0), props.get("reason", ""),
                                  props.get("status", "pending"), row["id"]))
        out.sort(key=lambda p: (-p.score, p.edge_id))
        return out

    # -- export / import ----------------------------------------------------------------------------

    def dump(self) -> Iterator[dict[str, Any]]:
        for r in self._read("dump_nodes"):
            node = _node(r)
            yield {"kind": "node", "id": node.id, "label": node.label, "name": node.name, "props": node.props}
            if node.label == m.NARRATIVE and r["ingested_at"]:
                yield {"kind": "narrative", "source_id": node.props["source_id"], "node": node.id,
                       "content_hash": node.props["content_hash"], "ingested_at": r["ingested_at"]}
        for r in self._read("dump_edges"):
            edge = _edge(r)
            yield {"kind": "edge", "id": edge.id, "type": edge.type, "source": edge.source, "target": edge.target,
                   "props": edge.props, "evidence": [e.to_dict() for e in edge.evidence]}
        for r in self._read("dump_merged"):
            yield {"kind": "merged", "old": r["old"], "new": r["new"]}

    def load(self, records: Sequence[dict[str, Any]]) -> None:
        self.load_prepared(self.prepare_load(records))

    def prepare_load(self, records: Sequence[dict[str, Any]]) -> LoadRows:
        return load_rows(records)

    def load_prepared(self, prepared: LoadRows) -> None:
        self._write(_write_rows, prepared)


def _write_rows(tx: ManagedTransaction, rows: LoadRows) -> None:
    """``graph.stores.transfer.apply_records`` for prepared rows: the same statements in the same order."""
    ops = _Ops(tx)
    if rows.nodes:
        ops.run_rows("nodes_put", rows.nodes)
    if rows.narratives:
        ops.run_rows("narrative_add", rows.narratives)
    if rows.edges:
        ops.run_rows("edges_put", rows.edges)
    for old, new in rows.merged:
        ops.put_merged(old, new)


class _Ops:
    """``graph.pipeline.writing.WriteOps`` (and resolution's lookup) as Cypher statements in one managed transaction."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self._tx = tx

    def _run(self, name: str, **params: Any) -> list[Any]:
        return list(self._tx.run(statement(name), params))

    def get_nodes(self, ids: Sequence[str]) -> dict[str, m.Node]:
        return {r["id"]: _node(r) for r in self._run("nodes_get", ids=list(ids))}

    def run_rows(self, name: str, rows: list[dict[str, Any]]) -> None:
        self._run(name, rows=rows)

    def put_nodes(self, nodes: Sequence[m.Node]) -> None:
        self._run("nodes_put", rows=node_key_rows(nodes))

    def get_edges(self, edges: Sequence[m.Edge]) -> dict[str, m.Edge]:
        rows = self._run("edges_get", rows=[{"id": e.id, "source": e.source} for e in edges])
        return {r["id"]: _edge(r) for r in rows}

    def put_edges(self, edges: Sequence[m.Edge]) -> None:
        self._run("edges_put", rows=[edge_row(e) for e in edges])

    def edges_touching(self, node_id: str) -> list[m.Edge]:
        return [_edge(r) for r in self._run("edges_touching", id=node_id)]

    def delete_edges(self, edges: Sequence[m.Edge]) -> None:
        self._run("edges_delete", rows=[{"id": e.id, "source": e.source} for e in edges])

    def delete_node(self, node_id: str) -> None:
        self._run("node_delete", id=node_id)

    def has_narrative(self, content_hash: str) -> bool:
        return bool(self._run("narrative_by_hash", hash=content_hash))

    def narrative_hash(self, source_id: str) -> str | None:
        rows = self._run("narrative_by_source", source_id=source_id)
        return rows[0]["content_hash"] if rows else None

    def add_narratives(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        self._run("narrative_add", rows=narrative_rows(rows))

    def put_decision(self, decision: Decision) -> None:
        self._run("decision_put", a=decision.a, b=decision.b, decision=decision.decision, by=decision.by,
                  at=decision.at)

    def put_merged(self, old: str, new: str) -> None:
        self._run("merged_put", old=old, new=new)

    def corrections_for(self, content_hashes: Sequence[str]) -> dict[str, list[Correction]]:
        out: dict[str, list[Correction]] = {}
        for row in self._run("corrections_get", hashes=list(content_hashes)):
            correction = Correction(**json.loads(row["correction"]))
            out.setdefault(correction.content_hash, []).append(correction)
        return out

    def put_corrections(self, corrections: Sequence[Correction]) -> None:
        latest = {c.key(): c for c in corrections}  # one MERGE per mention, the last correction of it
        self._run("corrections_put", rows=[{"content_hash": c.content_hash, "start": c.start, "end": c.end,
                                            "label": c.label, "correction": json.dumps(asdict(c), ensure_ascii=False)}
                                           for c in latest.values()])

    def drop_corrections(self, content_hash: str) -> None:
        self._run("corrections_drop", hash=content_hash)

    def narrative_record(self, content_hash: str) -> NarrativeRecord | None:
        rows = self._run("narrative_record", hash=content_hash)
        return _record(rows[0]) if rows else None

    def narrative_records(self, source_ids: Sequence[str]) -> dict[str, NarrativeRecord]:
        return {r["source_id"]: _record(r) for r in self._run("narrative_records", ids=list(source_ids))}

    def drop_narrative(self, source_id: str) -> None:
        """Nothing to do: a narrative's record is its node, which ``delete_node`` removed."""

    def edges_with_evidence(self, source_id: str, node_ids: Sequence[str]) -> list[m.Edge]:
        needle = json.dumps({"narrative": source_id}, ensure_ascii=False)[1:-1]  # as ``neo4j_rows.edge_row`` writes it
        edges = [_edge(r) for r in self._run("edges_with_evidence", ids=list(node_ids), needle=needle)]
        return [e for e in edges if any(ev.narrative == source_id for ev in e.evidence)]

    def drop_keys(self, nodes: Sequence[m.Node]) -> None:
        self._run("keys_drop", ids=[n.id for n in nodes])

    def has_history(self, node_id: str) -> bool:
        return self._run("node_history", id=node_id)[0]["count"] > 0

    def canonical(self, node_id: str) -> str:
        for _ in range(32):
            rows = self._run("merged_get", id=node_id)
            if not rows:
                return node_id
            node_id = rows[0]["new"]
        raise StoreError(f"merge chain too long at {node_id}")

    def decision(self, a: str, b: str) -> str | None:
        lo, hi = sorted((a, b))
        rows = self._run("decision_get", a=lo, b=hi)
        return rows[0]["decision"] if rows else None

    def person_candidates(self, keys: set[str]) -> list[PersonRecord]:
        rows = self._run("person_candidates", keys=[f"b:{k}" for k in sorted(keys)], limit=CANDIDATE_LIMIT,
                         common=COMMON_KEY)
        return [person_record(_node(r)) for r in rows]
