"""The embedded store's reads that answer analysts, each bounded in its SQL.

A neighbourhood is found level by level, reading the relationships of the frontier only until enough new
nodes turned up (the cursor is dropped there, so SQLite stops stepping); the relationships among the kept
nodes are read as bare links (``graph.stores.bounded``) with a LIMIT, and only the chosen ones are read
whole, with at most the strongest ``evidence_limit`` items each (a window in the query). Search lookups
carry a LIMIT too. Id lists go in as one JSON parameter (``json_each``), so no list meets SQLite's bound on
the number of parameters.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from graph import model as m
from graph.stores.bounded import SCAN_FACTOR, Link, choose_links, scan_bound
from graph.stores.protocol import Subgraph
from graph.stores.search_index import search_keys

_IDS = "(SELECT value FROM json_each(?))"


def row_node(row: sqlite3.Row | tuple[Any, ...]) -> m.Node:
    return m.Node(row[0], row[1], row[2], json.loads(row[3]))


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def read_nodes(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, m.Node]:
    out: dict[str, m.Node] = {}
    for chunk in chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"SELECT id, label, name, props FROM nodes WHERE id IN ({marks})", chunk):
            out[row[0]] = row_node(row)
    return out


def read_edges(db: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[m.Edge]:
    rows = db.execute(f"SELECT id, type, source, target, props FROM edges WHERE {where}", params).fetchall()
    edges = {r[0]: m.Edge(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows}
    for chunk in chunks(list(edges), 500):
        marks = ",".join("?" * len(chunk))
        for e in db.execute(f"SELECT edge_id, narrative, sentence, start, end, confidence FROM evidence "
                            f"WHERE edge_id IN ({marks}) ORDER BY narrative, start, end", chunk):
            edges[e[0]].evidence.append(m.EvidenceRef(*e[1:]))
    return list(edges.values())


def _capped_edges(db: sqlite3.Connection, ids: list[str], evidence_limit: int | None) -> tuple[list[m.Edge], dict[str, int]]:
    """These edges, each with its ``evidence_limit`` strongest evidence items (the rest never leave SQLite);
    and edge id -> how many it has, for those cut."""
    if evidence_limit is None:
        return read_edges(db, f"id IN {_IDS}", (json.dumps(ids),)), {}
    rows = db.execute(f"SELECT id, type, source, target, props FROM edges WHERE id IN {_IDS}", (json.dumps(ids),))
    edges = {r[0]: m.Edge(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows}
    totals: dict[str, int] = {}
    for e in db.execute(
            "SELECT edge_id, narrative, sentence, start, end, confidence, total FROM ("
            " SELECT *, ROW_NUMBER() OVER (PARTITION BY edge_id ORDER BY confidence DESC, narrative, start, end) AS rank,"
            " COUNT(*) OVER (PARTITION BY edge_id) AS total"
            f" FROM evidence WHERE edge_id IN {_IDS}) WHERE rank <= ? ORDER BY edge_id, rank",
            (json.dumps(list(edges)), evidence_limit)):
        edges[e[0]].evidence.append(m.EvidenceRef(*e[1:6]))
        if e[6] > evidence_limit:
            totals[e[0]] = e[6]
    return list(edges.values()), totals


def _new_neighbours(db: sqlite3.Connection, frontier: list[str], types: str, seen: dict[str, int],
                    take: int) -> list[str]:
    """Up to ``take`` nodes next to the frontier and not seen yet, in the order the index yields them."""
    found: dict[str, None] = {}
    cursor = db.execute(f"SELECT target FROM edges WHERE source IN {_IDS} AND type IN {_IDS} UNION ALL "
                        f"SELECT source FROM edges WHERE target IN {_IDS} AND type IN {_IDS}",
                        (json.dumps(frontier), types, json.dumps(frontier), types))
    for (other,) in cursor:
        if other not in seen and other not in found:
            found[other] = None
            if len(found) >= take:
                break
    cursor.close()
    return list(found)


def neighbourhood(db: sqlite3.Connection, node_id: str, depth: int, limit: int, types: Sequence[str] | None,
                  edge_limit: int | None, evidence_limit: int | None) -> Subgraph:
    """Nodes within ``depth`` hops (provenance links to narratives left out unless asked for), bounded as
    ``GraphStore.neighbourhood`` says."""
    wanted = json.dumps(list(types or [t for t in m.REL_TYPES if t != m.MENTIONED_IN]))
    seen: dict[str, int] = {node_id: 0}  # node -> hops from the centre
    frontier = [node_id]
    truncated = False
    for level in range(1, depth + 1):
        room = max(0, limit - len(seen))
        found = _new_neighbours(db, frontier, wanted, seen, room + 1)
        if len(found) > room:
            found, truncated = found[:room], True
        seen.update(dict.fromkeys(found, level))
        frontier = found
        if truncated or not frontier:
            break
    nodes = read_nodes(db, list(seen))
    ids = json.dumps(sorted(nodes))
    inner = json.dumps(sorted(n for n in nodes if seen[n] < depth))  # the walk followed their links only
    bound = scan_bound(edge_limit)
    # through the inner nodes' own index entries, as the walk went (the planner would otherwise start from
    # the outer nodes, hubs among them, and read every relationship they have)
    rows = db.execute(f"SELECT id, source, target FROM edges INDEXED BY edges_source WHERE source IN {_IDS} "
                      f"AND +type IN {_IDS} AND +target IN {_IDS} UNION SELECT id, source, target FROM edges "
                      f"INDEXED BY edges_target WHERE target IN {_IDS} AND +type IN {_IDS} AND +source IN {_IDS} LIMIT ?",
                      (inner, wanted, ids, inner, wanted, ids, -1 if bound is None else bound)).fetchall()
    chosen, cut = choose_links(node_id, [Link(*r) for r in rows], edge_limit, depth)
    edges, totals = _capped_edges(db, chosen, evidence_limit)
    return Subgraph([nodes[i] for i in sorted(nodes)], sorted(edges, key=lambda e: e.id), truncated,
                    edges_truncated=cut or (bound is not None and len(rows) >= bound), evidence_totals=totals)


def ids_for_key(db: sqlite3.Connection, key: str, labels: Sequence[str] | None, cap: int) -> list[str]:
    """Nodes indexed under exactly this key (of these labels), at most ``cap``."""
    return [r[0] for r in db.execute(
        "SELECT k.node_id FROM keys k JOIN nodes n ON n.id = k.node_id WHERE k.key = ? "
        f"AND (? IS NULL OR n.label IN {_IDS}) LIMIT ?", (key, _labels(labels), _labels(labels) or "[]", cap))]


def ids_for_words(db: sqlite3.Connection, words: list[str], labels: Sequence[str] | None, cap: int) -> list[str]:
    """Nodes (of these labels) with a name token starting with each word, at most ``cap``. The longest word's
    keys are read in index order (the fewest, most often) and each node is kept when every other word
    prefixes one of its own name tokens; at most ``SCAN_FACTOR * cap`` keys are read whatever the words."""
    first, *others = sorted(words, key=lambda w: (-len(w), w))
    cursor = db.execute("SELECT DISTINCT n.id, n.label, n.name, n.props FROM keys k JOIN nodes n ON n.id = k.node_id "
                        f"WHERE k.key >= ? AND k.key < ? AND (? IS NULL OR n.label IN {_IDS}) LIMIT ?",
                        (f"t:{first}", f"t:{first}\U0010ffff", _labels(labels), _labels(labels) or "[]", cap * SCAN_FACTOR))
    out: list[str] = []
    for row in cursor:
        own = [k for k in search_keys(row_node(row)) if k.startswith("t:")]
        if all(any(k.startswith(f"t:{w}") for k in own) for w in others):
            out.append(row[0])
            if len(out) >= cap:
                break
    cursor.close()
    return out


def _labels(labels: Sequence[str] | None) -> str | None:
    return json.dumps(list(labels)) if labels else None
