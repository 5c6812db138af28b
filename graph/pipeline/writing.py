"""How a batch is written and how two people are merged, once, for every store.

Both adapters implement the small set of primitives in ``WriteOps`` (``graph.stores.ops``) inside one of their transactions
(SQLite rows, Cypher statements); the algorithms here (skip what is stored, refuse a reused id, apply the
caseworkers' corrections, build, resolve, materialise, combine with what is there, merge on an analyst's
decision) run on top of them; ``graph.pipeline.removal`` adds deleting and rewriting one narrative.
That is what makes the two stores give the same graph from the same narratives.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from graph import model as m
from graph.build import build_fragment
from graph.corrections import Correction, apply_corrections
from graph.decisions import DECISIONS, Decision, make_decision
from graph.materialise import better_name, materialise, merge_edge_props, merge_node_props
from graph.resolution import PersonRecord, Thresholds, person_record, resolve_persons
from graph.stores.ops import WriteOps
from graph.stores.protocol import ConflictError, NarrativeInput, StoreError, WriteResult
from graph.stores.search_index import search_keys


def now() -> str:
    """To the microsecond: narratives written in one batch keep their order (``graph.pipeline.removal`` folds by it)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class BatchOverlay:
    """A batch's writes held in memory, read back before the store's, then written in one go.

    Resolution of the tenth narrative in a batch must see the nine before it, but sending each narrative's
    nodes and relationships separately costs a round trip per statement per narrative. The overlay answers
    reads from what the batch has written so far, falls through to the store for the rest, and ``flush``
    hands the store every node, relationship and narrative of the batch at once: one ``UNWIND`` per kind
    on Neo4j, one executemany on SQLite. The store's transaction still makes the batch all-or-nothing.
    """

    def __init__(self, ops: WriteOps) -> None:
        self.ops = ops
        self.nodes: dict[str, m.Node] = {}
        self.edges: dict[str, m.Edge] = {}
        self.narratives: dict[str, tuple[str, str, str]] = {}  # source id -> (node id, hash, ingested at)
        self._person_keys: dict[str, set[str]] = {}  # blocking keys of people written in this batch

    def get_nodes(self, ids: Sequence[str]) -> dict[str, m.Node]:
        found = {i: self.nodes[i] for i in ids if i in self.nodes}
        missing = [i for i in ids if i not in found]
        if missing:
            found.update(self.ops.get_nodes(missing))
        return found

    def put_nodes(self, nodes: Sequence[m.Node]) -> None:
        for node in nodes:
            self.nodes[node.id] = node
            if node.label == m.PERSON:
                self._person_keys[node.id] = {k[2:] for k in search_keys(node) if k.startswith("b:")}

    def get_edges(self, edges: Sequence[m.Edge]) -> dict[str, m.Edge]:
        found = {e.id: self.edges[e.id] for e in edges if e.id in self.edges}
        missing = [e for e in edges if e.id not in found]
        if missing:
            found.update(self.ops.get_edges(missing))
        return found

    def put_edges(self, edges: Sequence[m.Edge]) -> None:
        for edge in edges:
            self.edges[edge.id] = edge

    def has_narrative(self, content_hash: str) -> bool:
        return any(h == content_hash for _, h, _ in self.narratives.values()) or self.ops.has_narrative(content_hash)

    def narrative_hash(self, source_id: str) -> str | None:
        if source_id in self.narratives:
            return self.narratives[source_id][1]
        return self.ops.narrative_hash(source_id)

    def add_narrative(self, source_id: str, node_id: str, content_hash: str, ingested_at: str) -> None:
        self.narratives[source_id] = (node_id, content_hash, ingested_at)

    def canonical(self, node_id: str) -> str:
        return self.ops.canonical(node_id)

    def decision(self, a: str, b: str) -> str | None:
        return self.ops.decision(a, b)

    def person_candidates(self, keys: set[str]) -> list[PersonRecord]:
        """The store's candidates, as this batch has updated them, plus people new in this batch."""
        found = {r.id: r for r in self.ops.person_candidates(keys)}
        for person_id, held in self._person_keys.items():
            if person_id in found or held & keys:
                found[person_id] = person_record(self.nodes[person_id])
        return list(found.values())

    def flush(self) -> None:
        if self.nodes:
            self.ops.put_nodes(list(self.nodes.values()))
        if self.edges:
            self.ops.put_edges(list(self.edges.values()))
        if self.narratives:
            self.ops.add_narratives([(source_id, node_id, digest, at)
                                     for source_id, (node_id, digest, at) in self.narratives.items()])


def write_batch(ops: WriteOps, batch: Sequence[NarrativeInput], thresholds: Thresholds) -> WriteResult:
    overlay = BatchOverlay(ops)
    corrections = ops.corrections_for(sorted({item.content_hash for item in batch})) if batch else {}
    result = _write_each(overlay, batch, thresholds, corrections)
    overlay.flush()
    return result


def _write_each(ops: BatchOverlay, batch: Sequence[NarrativeInput], thresholds: Thresholds,
                corrections: dict[str, list[Correction]]) -> WriteResult:
    result = WriteResult()
    for item in batch:
        if ops.has_narrative(item.content_hash):
            result.skipped.append(item.meta.source_id)
            continue
        if ops.narrative_hash(item.meta.source_id) is not None:
            raise ConflictError(f"narrative id {item.meta.source_id!r} is already stored with different text; "
                                "give the new text its own id")
        extraction = apply_corrections(item.extraction, corrections.get(item.content_hash, []))
        fragment = build_fragment(extraction, item.meta, item.text, item.content_hash)
        resolution = resolve_persons(fragment, ops, thresholds)
        nodes, edges = materialise(fragment, resolution)
        upsert_nodes(ops, nodes)
        upsert_edges(ops, edges)
        ops.add_narrative(item.meta.source_id, fragment.narrative.id, item.content_hash, now())
        result.written.append(item.meta.source_id)
        result.merged += len(resolution.merged)
        result.candidates += len(resolution.candidates)
    return result


def upsert_nodes(ops: WriteOps | BatchOverlay, nodes: Sequence[m.Node]) -> None:
    stored = ops.get_nodes([n.id for n in nodes])
    changed = []
    for node in nodes:
        old = stored.get(node.id)
        if old is not None:
            node = m.Node(node.id, old.label, better_name(old.label, old.name, node.name),
                          merge_node_props(old.label, old.props, node.props))
            if node.props == old.props and node.name == old.name:
                continue
        changed.append(node)
    if changed:
        ops.put_nodes(changed)


def upsert_edges(ops: WriteOps | BatchOverlay, edges: Sequence[m.Edge]) -> None:
    stored = ops.get_edges(edges)
    changed = []
    for edge in edges:
        old = stored.get(edge.id)
        if old is not None:
            evidence = m.merged_evidence(old.evidence, edge.evidence)
            props = merge_edge_props(old.props, edge.props)
            if props == old.props and len(evidence) == len(old.evidence):
                continue
            edge = m.Edge(edge.id, edge.type, edge.source, edge.target, props, evidence)
        changed.append(edge)
    if changed:
        ops.put_edges(changed)


def decide(ops: WriteOps, a: str, b: str, decision: str, by: str, reason: str = "") -> Decision:
    """Record an analyst's decision on a pair; a confirmation folds ``b`` into ``a``."""
    if decision not in DECISIONS:
        raise StoreError("decision must be 'confirmed' or 'rejected'")
    a, b = ops.canonical(a), ops.canonical(b)
    found = ops.get_nodes([a, b])
    if a == b or len(found) != 2 or any(n.label != m.PERSON for n in found.values()):
        raise StoreError(f"{a} and {b} are not two distinct people in the graph")
    record = make_decision(a, b, decision, by, reason)
    ops.put_decision(record)
    pair = m.Edge(m.edge_id(m.POSSIBLY_SAME_AS, record.a, record.b), m.POSSIBLY_SAME_AS, record.a, record.b)
    stored = ops.get_edges([pair]).get(pair.id)
    if stored is not None:
        stored.props = {**stored.props, "status": decision, "decided_by": by}
        ops.put_edges([stored])
    if decision == "confirmed":
        merge_people(ops, keep=a, gone=b)
    return record


def merge_people(ops: WriteOps, keep: str, gone: str) -> None:
    """Fold ``gone`` into ``keep``: its relationships, evidence, roles and aliases; remember the mapping."""
    nodes = ops.get_nodes([keep, gone])
    kept, old = nodes[keep], nodes[gone]
    props = merge_node_props(m.PERSON, kept.props, {**old.props, "aliases": [old.name, *old.props.get("aliases", [])]})
    ops.put_nodes([m.Node(keep, m.PERSON, better_name(m.PERSON, kept.name, old.name), props)])
    moved = []
    touching = ops.edges_touching(gone)
    ops.delete_edges(touching)
    for edge in touching:
        source = keep if edge.source == gone else edge.source
        target = keep if edge.target == gone else edge.target
        if source == target:
            continue
        new_id = m.edge_id(edge.type, source, target, edge.id)
        if edge.type == m.POSSIBLY_SAME_AS:
            source, target = sorted((source, target))
            new_id = m.edge_id(edge.type, source, target)
        moved.append(m.Edge(new_id, edge.type, source, target, edge.props, edge.evidence))
    ops.delete_node(gone)
    ops.put_merged(gone, keep)
    upsert_edges(ops, _combine(moved))


def _combine(edges: list[m.Edge]) -> list[m.Edge]:
    """Edges that land on the same id after a merge become one, with both evidence lists."""
    out: dict[str, m.Edge] = {}
    for edge in edges:
        if edge.id in out:
            held = out[edge.id]
            seen = {e.key() for e in held.evidence}
            held.evidence.extend(e for e in edge.evidence if e.key() not in seen)
            held.props = merge_edge_props(held.props, edge.props)
        else:
            out[edge.id] = edge
    return list(out.values())
