"""Taking one narrative out of the graph (an administrator's deletion), or writing it again (a caseworker's
correction), so that the graph is what a rebuild gives: ingesting the other narratives, or all of them with
the correction, in the order they were written.

Both stores run these algorithms on the primitives of ``RemovalOps`` inside one of their transactions, so
a deletion is all-or-nothing and the two stores end up with the same graph, as with ``graph.pipeline.writing``.

Removing narrative N:

1. every relationship carrying N's evidence loses it; those left with none are deleted (N's mentions, its
   travel legs, relations only N stated, POSSIBLY_SAME_AS pairs only N proposed), and so are N's node and
   its record (``_remove``);
2. every node no remaining narrative mentions is deleted, with whatever still touches it and its search
   keys (``_remove``);
3. every person, organisation and place N touched is folded again from the versions the remaining
   narratives left on their MENTIONED_IN relationships (``graph.materialise``), in the order they were
   written; a person whose id came from N takes the id the earliest remaining narrative gives them
   (``_normalise``);
4. resolution after N is made again without it: who joins whom, as each person then stood (``remake_merges``);
5. resolution notes and POSSIBLY_SAME_AS proposals after N are written again, withdrawn or added
   (``rewrite_resolution``).

People an analyst's decision names are left as they are, so that the decision still holds. What can still
differ from a rebuild, and why, is listed in ``docs/graph.md``.

Rewriting N (a correction) is removing it, writing it again from its corrected extraction as resolution
saw the graph when N was first written (``_AsOf``), putting it back in its place in the order, and steps 3
to 5 over everything either version touched.
"""

from __future__ import annotations

from typing import Any

from graph import model as m
from graph.build import NarrativeMeta
from graph.corrections import Correction
from graph.materialise import VERSIONED_LABELS, fold_versions
from graph.pipeline.replay import remake_merges, rewrite_resolution
from graph.pipeline.versions import Run, order_in, person_at, says, versions_of, written_id
from graph.pipeline.writing import write_batch
from graph.resolution import PersonRecord, Thresholds, person_id
from graph.stores.ops import NarrativeRecord, RemovalOps
from graph.stores.protocol import NarrativeChange, NarrativeInput
from nlp.extraction import Extraction


def delete_narrative(ops: RemovalOps, content_hash: str, thresholds: Thresholds = Thresholds()) -> NarrativeChange:
    """Remove a narrative and everything derived only from it; nothing (and no error) if it is not stored."""
    ops.drop_corrections(content_hash)
    record = ops.narrative_record(content_hash)
    if record is None:
        return NarrativeChange()
    run = Run(NarrativeChange(source_id=record.source_id), record.source_id,
               (record.ingested_at, record.source_id), thresholds)
    touched = _remove(ops, record, run)
    _resolve_again(ops, _normalise(ops, touched, run), run)
    return run.change


def correct_narrative(ops: RemovalOps, correction: Correction, extraction: Extraction, text: str,
                      thresholds: Thresholds) -> NarrativeChange:
    """Record a correction and, if its narrative is stored, rewrite the narrative with it applied."""
    ops.put_corrections([correction])
    record = ops.narrative_record(correction.content_hash)
    if record is None:  # not written yet: the ingest will apply it
        return NarrativeChange()
    stored = ops.get_nodes([record.node_id])[record.node_id]
    meta = NarrativeMeta(**{name: stored.props.get(name) for name in
                            ("source_id", "organisation", "date", "language", "consent", "grading")})
    run = Run(NarrativeChange(source_id=record.source_id), record.source_id,
               (record.ingested_at, record.source_id), thresholds)
    pairs: list[m.Edge] = []
    touched = _remove(ops, record, run, pairs)
    run.records[record.source_id] = record  # (its place in the order, for ``_AsOf``)
    write_batch(_AsOf(ops, run), [NarrativeInput(extraction, meta, text, record.content_hash)], thresholds)  # type: ignore[arg-type]
    _restore_pairs(ops, pairs)
    run.seen.clear()  # (read by ``_AsOf`` before the narrative was written again)
    run.people_of.clear()
    ops.add_narratives([(record.source_id, record.node_id, record.content_hash, record.ingested_at)])
    touched |= {e.source for e in ops.edges_touching(record.node_id) if e.type == m.MENTIONED_IN}
    run.gone, run.rewritten = "", record.source_id  # the narrative is back: nothing of it is to be stripped
    run.records.pop(record.source_id, None)
    _resolve_again(ops, _normalise(ops, touched, run), run)
    back = set(ops.get_nodes(run.change.nodes_deleted))
    run.change.nodes_deleted = [n for n in run.change.nodes_deleted if n not in back]
    run.change.nodes_changed = sorted(set(run.change.nodes_changed) | back)
    return run.change


def _resolve_again(ops: RemovalOps, people: set[str], run: Run) -> None:
    """Steps 4 and 5 (``graph.pipeline.replay``)."""
    rewrite_resolution(ops, remake_merges(ops, people, run), run)


class _AsOf:
    """The store as resolution found it when the narrative was first written: people as far as narratives
    written before it made them, so that a rewritten narrative resolves as it did (and as a rebuild would),
    not against people that only came later."""

    def __init__(self, ops: RemovalOps, run: Run) -> None:
        self._ops = ops
        self._run = run

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ops, name)

    def person_candidates(self, keys: set[str]) -> list[PersonRecord]:
        out = []
        for record in self._ops.person_candidates(keys):
            held = versions_of(self._ops, record.id, self._run, None, self._run.seen)
            if held is None:
                out.append(record)  # written before versions were kept: as it stands
                continue
            before = [(s, v) for s, v in held if order_in(self._ops, self._run, s) < self._run.pivot]
            if before:
                out.append(person_at(record.id, before))
        return out


# -- 1 and 2: evidence, relationships, nodes ------------------------------------------------------------

def _remove(ops: RemovalOps, record: NarrativeRecord, run: Run, pairs: list[m.Edge] | None = None) -> set[str]:
    """Strip the narrative's evidence and delete what nothing else supports; the surviving nodes it touched.
    ``pairs`` collects the POSSIBLY_SAME_AS pairs other narratives proposed with the people deleted, for a
    rewrite to restore when the narrative names those people again."""
    own = ops.edges_touching(record.node_id)
    mentioned = {e.source for e in own if e.type == m.MENTIONED_IN}
    carrying = {e.id: e for e in ops.edges_with_evidence(record.source_id, sorted(mentioned | {record.node_id}))}
    carrying.update((e.id, e) for e in own)
    touched = set(mentioned)
    dropped: list[m.Edge] = []
    kept: list[m.Edge] = []
    for edge in carrying.values():
        touched |= {edge.source, edge.target}
        rest = [e for e in edge.evidence if e.narrative != record.source_id]
        if rest and record.node_id not in (edge.source, edge.target):
            kept.append(m.Edge(edge.id, edge.type, edge.source, edge.target,
                               _props_without(edge, rest, record.source_id, ops, run), rest))
        else:
            dropped.append(edge)
    if dropped or kept:
        ops.delete_edges(dropped + kept)
    if kept:
        ops.put_edges(kept)
    run.change.edges_deleted += len(dropped)
    run.change.edges_changed += len(kept)
    touched.discard(record.node_id)
    survivors = set()
    for node_id in sorted(touched):
        edges = ops.edges_touching(node_id)
        if any(e.type == m.MENTIONED_IN and e.source == node_id for e in edges):
            survivors.add(node_id)
            continue
        if edges:
            ops.delete_edges(edges)
            run.change.edges_deleted += len(edges)
            if pairs is not None:
                pairs.extend(e for e in edges if e.type == m.POSSIBLY_SAME_AS)
        ops.delete_node(node_id)
        run.change.nodes_deleted.append(node_id)
    ops.delete_node(record.node_id)
    ops.drop_narrative(record.source_id)
    run.change.nodes_deleted.append(record.node_id)
    run.change.nodes_deleted.sort()
    return survivors


def _restore_pairs(ops: RemovalOps, pairs: list[m.Edge]) -> None:
    """Put back the pairs whose two people exist again, with any proposals the rewrite made of them."""
    ends = ops.get_nodes(sorted({end for pair in pairs for end in (pair.source, pair.target)}))
    kept = [pair for pair in pairs if pair.source in ends and pair.target in ends]
    stored = ops.get_edges(kept)
    back = []
    for pair in kept:
        again = stored.get(pair.id)
        if again is not None:
            pair = m.Edge(pair.id, pair.type, pair.source, pair.target, pair.props,
                          m.merged_evidence(pair.evidence, again.evidence))
        back.append(pair)
    if back:
        ops.delete_edges(back)
        ops.put_edges(back)


def _props_without(edge: m.Edge, rest: list[m.EvidenceRef], gone: str, ops: RemovalOps, run: Run) -> dict[str, Any]:
    """A relationship's properties once ``gone``'s evidence is off it."""
    props = dict(edge.props)
    if edge.type == m.POSSIBLY_SAME_AS:  # the first proposal still standing gives the score and the reason
        first = min(rest, key=lambda e: order_in(ops, run, e.narrative))
        props.update(score=first.confidence, reason=first.sentence)
    elif props.get("cue"):
        theirs = [e.sentence for e in edge.evidence if e.narrative == gone]
        left = [e.sentence for e in rest]
        cues = [c for c in str(props["cue"]).split("|")
                if not says(theirs, c) or says(left, c)]  # keep a cue unless only the gone sentences hold it
        if cues:
            props["cue"] = "|".join(cues)
        else:
            props.pop("cue")
    return props


# -- 3: nodes folded again from the remaining narratives' versions ----------------------------------

def _normalise(ops: RemovalOps, node_ids: set[str], run: Run) -> set[str]:
    """Fold the nodes again; the people among them, under their ids after any renaming."""
    nodes = ops.get_nodes(sorted(node_ids))
    people = set()
    plans: list[tuple[m.Node, list[m.Edge], list[tuple[str, m.Edge]]]] = []
    for node_id in sorted(nodes):
        node = nodes[node_id]
        if node.label not in VERSIONED_LABELS:
            continue
        edges = ops.edges_touching(node_id)
        mentions = [(e.evidence[0].narrative, e) for e in edges
                    if e.type == m.MENTIONED_IN and e.source == node_id and e.evidence]
        plans.append((node, edges, mentions))
    wanted = sorted({source for _, _, mentions in plans for source, _ in mentions} - set(run.records))
    if wanted:
        run.records.update(ops.narrative_records(wanted))
    for node, edges, mentions in plans:
        if run.change.renamed:  # a person renamed before this node may be at the other end of its relationships
            edges = ops.edges_touching(node.id)
            mentions = [(e.evidence[0].narrative, e) for e in edges
                        if e.type == m.MENTIONED_IN and e.source == node.id and e.evidence]
        mentions.sort(key=lambda pair: order_in(ops, run, pair[0]))
        if any("version" not in e.props for _, e in mentions):
            folded = _legacy(node, run.gone)  # written before versions were kept: only the roles can be fixed
        else:
            name, props = fold_versions(node.label, [e.props["version"] for _, e in mentions])
            folded = m.Node(node.id, node.label, name, props)
        target = _new_person_id(ops, folded, edges, mentions, run) if node.label == m.PERSON else None
        if target is not None:
            _rename(ops, folded, target, edges, mentions, run)
        elif folded.name != node.name or folded.props != node.props:
            ops.drop_keys([node])
            ops.put_nodes([folded])
            run.change.nodes_changed.append(node.id)
        if node.label == m.PERSON:
            people.add(target or node.id)
    run.change.nodes_changed.sort()
    return people


def _legacy(node: m.Node, gone: str) -> m.Node:
    if node.label != m.PERSON or not gone:
        return node
    roles = {role: [n for n in narratives if n != gone] for role, narratives in node.props.get("roles", {}).items()}
    return m.Node(node.id, node.label, node.name, {**node.props, "roles": {r: n for r, n in roles.items() if n}})


def _new_person_id(ops: RemovalOps, person: m.Node, edges: list[m.Edge], mentions: list[tuple[str, m.Edge]],
                   run: Run) -> str | None:
    """The id a rebuild would give this person, if theirs came from a narrative that no longer names them."""
    if not mentions or any("version" not in e.props for _, e in mentions):
        return None
    own = [person_id(e.props["version"]["name"], run.records[source].content_hash,
                     bool(e.props["version"]["props"].get("narrator")))
           for source, e in mentions if source in run.records]
    if len(own) != len(mentions) or person.id in own or own[0] in ops.get_nodes([own[0]]):
        return None
    if ops.has_history(person.id):
        return None  # an analyst's decision names this id: keep it, so that the decision still holds
    if any(written_id(edge, edge.source, edge.target, run) != edge.id for edge in edges):
        return None  # relationships not laid out as writing lays them out (an analyst's merge): leave them
    return own[0]


def _rename(ops: RemovalOps, person: m.Node, new_id: str, edges: list[m.Edge], mentions: list[tuple[str, m.Edge]],
            run: Run) -> None:
    """Give a person a new id: the node and every relationship touching it, under the ids writing gives them."""
    first = mentions[0][1].id  # the narrative that now names them first: no resolution note, as it created them
    moved = []
    for edge in edges:
        source = new_id if edge.source == person.id else edge.source
        target = new_id if edge.target == person.id else edge.target
        if edge.type == m.POSSIBLY_SAME_AS:  # a pair runs from the smaller id to the larger, as written
            source, target = sorted((source, target))
        edge_id = written_id(edge, source, target, run)
        assert edge_id is not None
        props = {k: v for k, v in edge.props.items() if not (edge.id == first and k == "resolution")}
        moved.append(m.Edge(edge_id, edge.type, source, target, props, edge.evidence))
    ops.delete_edges(edges)
    ops.delete_node(person.id)
    ops.put_nodes([m.Node(new_id, person.label, person.name, person.props)])
    ops.put_edges(moved)
    run.change.renamed[person.id] = new_id


