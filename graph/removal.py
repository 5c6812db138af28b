"""Taking one narrative out of the graph (an administrator's deletion), or rewriting it (a caseworker's
correction), so that the graph is what ingesting the other narratives (or the corrected one) gives.

Both stores run these algorithms on the primitives of ``RemovalOps`` inside one of their transactions, so
a deletion is all-or-nothing and the two stores end up with the same graph, as with ``graph.writing``.

Removing narrative N:

1. every relationship carrying N's evidence loses it; those left with none are deleted (N's mentions, its
   travel legs, relations only N stated, POSSIBLY_SAME_AS pairs only N proposed), and so are N's node and
   its record;
2. every node no remaining narrative mentions is deleted, with whatever still touches it and its search
   keys;
3. every node N touched that remains is folded again from the versions the remaining narratives gave it
   (``graph.materialise`` keeps each narrative's version of a person, organisation or place on its
   MENTIONED_IN relationship), in the order they were written: a person's roles, aliases, context and
   name, an organisation's kind, a place's display name; its search keys follow. A person whose id came
   from N (N named them first) takes the id the earliest remaining narrative gives them, as a rebuild
   would, unless an analyst's decision names the id (it then stays, so that the decision still holds);
4. relationships that keep other evidence keep their first proposal's score and reason (POSSIBLY_SAME_AS)
   and lose the relation cues only N's sentences contain.

What is not undone: resolution that ran while N was in the graph. A person merged with another because
both shared something with N stays merged, a pair proposed against N's version of a person stays as it
was proposed, and a later narrative's resolution note on its mention can still quote what N contributed.
Undoing those would mean resolving every later narrative again; ``docs/graph.md`` lists them.

Rewriting N (a correction) is removing it, writing it again from its corrected extraction, putting it back
in its place in the order, and folding again everything either version touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph import model as m
from graph.build import LocalPerson, NarrativeMeta
from graph.corrections import Correction
from graph.materialise import VERSIONED_LABELS, fold_versions, merge_edge_props
from graph.name_similarity import blocking_keys
from graph.resolution import CONFIRMED, PersonRecord, Thresholds, compare_person, person_id, person_record
from graph.store import NarrativeChange, NarrativeInput
from graph.writing import WriteOps, write_batch
from nlp.extraction import Extraction
from nlp.identifiers import name_key


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


@dataclass(slots=True)
class _Folded:
    node: m.Node
    mentions: list[tuple[str, m.Edge]]  # (narrative source id, its MENTIONED_IN relationship), in written order


@dataclass(slots=True)
class _Run:
    """One removal's bookkeeping."""

    change: NarrativeChange
    gone: str  # the removed narrative's source id
    pivot: tuple[str, str]  # its place in the order of writing: resolution from there on is made again
    thresholds: Thresholds
    records: dict[str, NarrativeRecord] = field(default_factory=dict)
    rewritten: str = ""  # the narrative written again, when correcting it
    seen: dict[str, list[tuple[str, dict[str, Any]]] | None] = field(default_factory=dict)  # versions read,
    # by person, while nothing moves (cleared whenever a part of someone moves)


def delete_narrative(ops: RemovalOps, content_hash: str, thresholds: Thresholds = Thresholds()) -> NarrativeChange:
    """Remove a narrative and everything derived only from it; nothing (and no error) if it is not stored."""
    ops.drop_corrections(content_hash)
    record = ops.narrative_record(content_hash)
    if record is None:
        return NarrativeChange()
    run = _Run(NarrativeChange(source_id=record.source_id), record.source_id,
               (record.ingested_at, record.source_id), thresholds)
    touched = _remove(ops, record, run)
    _explain(ops, _split(ops, _normalise(ops, touched, run), run), run)
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
    run = _Run(NarrativeChange(source_id=record.source_id), record.source_id,
               (record.ingested_at, record.source_id), thresholds)
    pairs: list[m.Edge] = []
    touched = _remove(ops, record, run, pairs)
    run.records[record.source_id] = record  # (its place in the order, for ``_AsOf``)
    write_batch(_AsOf(ops, run), [NarrativeInput(extraction, meta, text, record.content_hash)], thresholds)  # type: ignore[arg-type]
    _restore_pairs(ops, pairs)
    ops.add_narratives([(record.source_id, record.node_id, record.content_hash, record.ingested_at)])
    touched |= {e.source for e in ops.edges_touching(record.node_id) if e.type == m.MENTIONED_IN}
    run.gone, run.rewritten = "", record.source_id  # the narrative is back: nothing of it is to be stripped
    run.records.pop(record.source_id, None)
    _explain(ops, _split(ops, _normalise(ops, touched, run), run), run)
    back = set(ops.get_nodes(run.change.nodes_deleted))
    run.change.nodes_deleted = [n for n in run.change.nodes_deleted if n not in back]
    run.change.nodes_changed = sorted(set(run.change.nodes_changed) | back)
    return run.change


class _AsOf:
    """The store as resolution found it when the narrative was first written: people as far as narratives
    written before it made them, so that a rewritten narrative resolves as it did (and as a rebuild would),
    not against people that only came later."""

    def __init__(self, ops: RemovalOps, run: _Run) -> None:
        self._ops = ops
        self._run = run

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ops, name)

    def person_candidates(self, keys: set[str]) -> list[PersonRecord]:
        out = []
        for record in self._ops.person_candidates(keys):
            held = _versions(self._ops, record.id, self._run, None, self._run.seen)
            if held is None:
                out.append(record)  # written before versions were kept: as it stands
                continue
            before = [(s, v) for s, v in held if _order(self._ops, self._run, s) < self._run.pivot]
            if before:
                out.append(_record_at(record.id, before))
        return out


# -- 1 and 2: evidence, relationships, nodes ------------------------------------------------------------

def _remove(ops: RemovalOps, record: NarrativeRecord, run: _Run, pairs: list[m.Edge] | None = None) -> set[str]:
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


def _props_without(edge: m.Edge, rest: list[m.EvidenceRef], gone: str, ops: RemovalOps, run: _Run) -> dict[str, Any]:
    """A relationship's properties once ``gone``'s evidence is off it."""
    props = dict(edge.props)
    if edge.type == m.POSSIBLY_SAME_AS:  # the first proposal still standing gives the score and the reason
        first = min(rest, key=lambda e: _order(ops, run, e.narrative))
        props.update(score=first.confidence, reason=first.sentence)
    elif props.get("cue"):
        theirs = [e.sentence for e in edge.evidence if e.narrative == gone]
        left = [e.sentence for e in rest]
        cues = [c for c in str(props["cue"]).split("|")
                if not _says(theirs, c) or _says(left, c)]  # keep a cue unless only the gone sentences hold it
        if cues:
            props["cue"] = "|".join(cues)
        else:
            props.pop("cue")
    return props


def _says(sentences: Iterable[str], word: str) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    return any(pattern.search(s) for s in sentences)


def _order(ops: RemovalOps, run: _Run, source_id: str) -> tuple[str, str]:
    """Where a narrative stands in the order of writing: its time, then its id."""
    if source_id not in run.records:
        run.records.update(ops.narrative_records([source_id]))
    record = run.records.get(source_id)
    return (record.ingested_at if record else "", source_id)


# -- 3: nodes folded again from the remaining narratives' versions -----------------------------------

def _normalise(ops: RemovalOps, node_ids: set[str], run: _Run) -> set[str]:
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
        mentions.sort(key=lambda pair: _order(ops, run, pair[0]))
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
                   run: _Run) -> str | None:
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
    if any(_moved_id(edge, edge.source, edge.target, run) != edge.id for edge in edges):
        return None  # relationships not laid out as writing lays them out (an analyst's merge): leave them
    return own[0]


def _moved_id(edge: m.Edge, source: str, target: str, run: _Run) -> str | None:
    """A relationship's id with these endpoints, as ``graph.model.edge_id`` gives it when a narrative is written."""
    if edge.type == m.POSSIBLY_SAME_AS:
        return m.edge_id(edge.type, *sorted((source, target)))
    if edge.type == m.TRAVELLED:
        narratives = {e.narrative for e in edge.evidence}
        record = run.records.get(next(iter(narratives))) if len(narratives) == 1 else None
        route, prefix = str(edge.props.get("route", "")), f"{record.source_id}:" if record else ""
        if record is None or not route.startswith(prefix):
            return None
        qualifier = f"{record.content_hash}:{route[len(prefix):]}:{edge.props.get('seq')}"
        return m.edge_id(edge.type, source, target, qualifier)
    return m.edge_id(edge.type, source, target)


def _rename(ops: RemovalOps, person: m.Node, new_id: str, edges: list[m.Edge], mentions: list[tuple[str, m.Edge]],
            run: _Run) -> None:
    """Give a person a new id: the node and every relationship touching it, under the ids writing gives them."""
    first = mentions[0][1].id  # the narrative that now names them first: no resolution note, as it created them
    moved = []
    for edge in edges:
        source = new_id if edge.source == person.id else edge.source
        target = new_id if edge.target == person.id else edge.target
        if edge.type == m.POSSIBLY_SAME_AS:  # a pair runs from the smaller id to the larger, as written
            source, target = sorted((source, target))
        edge_id = _moved_id(edge, source, target, run)
        assert edge_id is not None
        props = {k: v for k, v in edge.props.items() if not (edge.id == first and k == "resolution")}
        moved.append(m.Edge(edge_id, edge.type, source, target, props, edge.evidence))
    ops.delete_edges(edges)
    ops.delete_node(person.id)
    ops.put_nodes([m.Node(new_id, person.label, person.name, person.props)])
    ops.put_edges(moved)
    run.change.renamed[person.id] = new_id


# -- 5: merges after the narrative, made again without it ------------------------------------------------

def _split(ops: RemovalOps, people: set[str], run: _Run) -> set[str]:
    """Make again, in the order of writing, the merges narratives written from the narrative on made into
    these people. Each joins, as resolution would have without the narrative, whichever person it matches
    best as that person then stood: the one it is part of, a part of it split off before, or someone else;
    or nobody, and then it is a person of its own again, with the id a rebuild gives it. Its evidence moves
    with it. The people afterwards, all whose parts moved included."""
    out = set(people)
    for person in sorted(people):
        run.seen.clear()  # (the narrative was written again, or parts moved, since they were read)
        if person not in ops.get_nodes([person]) or ops.has_history(person):
            continue
        held = _versions(ops, person, run, None, {})
        if held is None:
            continue
        groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}  # person id -> the versions it holds
        moves: dict[str, str] = {}  # narrative -> the person it now joins (or founds)
        for source, version in held:
            local = _local(version)
            if _order(ops, run, source) < run.pivot or local.narrator:
                groups.setdefault(person, []).append((source, version))  # resolved before: nothing changed
                continue
            best: tuple[tuple[float, int], str] | None = None
            for candidate, before in sorted(_candidates(ops, local, source, version, person, groups, run).items()):
                match = compare_person(local, _record_at(candidate, before))
                rank = (match.score, len(match.shared))
                if match.merges(run.thresholds) and (best is None or rank > best[0]):
                    best = (rank, candidate)
            if best is not None:
                target = best[1]
            else:  # it founds a person: this one, if its id is the one the narrative gives
                target = person_id(version["name"], run.records[source].content_hash, False)
            groups.setdefault(target, []).append((source, version))
            if target != person:
                moves[source] = target
        run.seen.clear()
        for target in sorted(set(moves.values())):
            members = {s for s, t in moves.items() if t == target}
            if _move_part(ops, person, members, target, groups.get(target, []), run):
                out.add(target)
        if person not in groups and set(moves) == {s for s, _ in held}:  # all of it joined others
            left = ops.edges_touching(person)
            ops.delete_edges(left)
            ops.delete_node(person)
            out.discard(person)
            run.change.edges_deleted += len(left)
            run.change.nodes_deleted.append(person)
            run.change.nodes_changed = [n for n in run.change.nodes_changed if n != person]
    return out


def _candidates(ops: RemovalOps, local: LocalPerson, source: str, version: dict[str, Any], person: str,
                groups: dict[str, list[tuple[str, dict[str, Any]]]], run: _Run) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Whom a narrative's person could have joined when it was written: the parts of the person being replayed,
    and everyone else blocking finds, each with their versions written before it."""
    out = {gid: list(group) for gid, group in groups.items() if group}
    keys = set().union(*(blocking_keys(n) for n in local.names))
    for record in ops.person_candidates(keys):
        if record.id in groups or record.id == person or record.narrator or ops.has_history(record.id):
            continue
        held = _versions(ops, record.id, run, None, run.seen) or []
        if _taken(ops, run, source, version, record.id):
            continue
        before = [(s, v) for s, v in held if _order(ops, run, s) < _order(ops, run, source)]
        if before:
            out[record.id] = before
    return out


def _move_part(ops: RemovalOps, person: str, members: set[str], target: str,
               group: list[tuple[str, dict[str, Any]]], run: _Run) -> bool:
    """Move these narratives' part of a person (their evidence, mentions and versions) to ``target``, a person
    of their own or someone else; both are folded again. False if the part cannot be moved as writing lays out
    relationships (then nothing moves)."""
    founds = target not in ops.get_nodes([target])
    moved: dict[str, m.Edge] = {}
    rewritten: list[m.Edge] = []
    for edge in ops.edges_touching(person):
        if edge.type == m.POSSIBLY_SAME_AS:
            continue  # a narrative that merged proposed nothing; proposals against the person stay with it
        theirs = [e for e in edge.evidence if e.narrative in members]
        if not theirs:
            continue
        rest = [e for e in edge.evidence if e.narrative not in members]
        source_id = target if edge.source == person else edge.source
        target_id = target if edge.target == person else edge.target
        rewritten.append(m.Edge(edge.id, edge.type, edge.source, edge.target, _cues_of(edge.props, rest), rest))
        if source_id == target_id:
            continue  # two people of one narrative that are now one: writing keeps no relationship to itself
        part = m.Edge(edge.id, edge.type, source_id, target_id, _cues_of(edge.props, theirs), theirs)
        edge_id = _moved_id(part, source_id, target_id, run)
        if edge_id is None:
            return False
        props = dict(part.props)
        if edge.type == m.MENTIONED_IN:
            props.pop("resolution", None)  # written again by ``_explain`` for those that joined someone
            if not founds or edge.evidence[0].narrative != group[0][0]:
                props["resolution"] = "resolved: (made again)"
        held = moved.get(edge_id)
        if held is not None:  # two relationships of the person land on one (a relation to the other part)
            theirs = m.merged_evidence(held.evidence, theirs)
        moved[edge_id] = m.Edge(edge_id, edge.type, source_id, target_id, props, theirs)
    stored = ops.get_edges(list(moved.values())) if not founds else {}
    for edge_id, old in stored.items():
        new = moved[edge_id]
        moved[edge_id] = m.Edge(edge_id, new.type, new.source, new.target, merge_edge_props(old.props, new.props),
                                m.merged_evidence(old.evidence, new.evidence))
    ops.delete_edges(rewritten + list(stored.values()))
    ops.put_edges([e for e in rewritten if e.evidence])
    if founds:
        name, props = fold_versions(m.PERSON, [v for _, v in group])
        ops.put_nodes([m.Node(target, m.PERSON, name, props)])
    ops.put_edges(list(moved.values()))
    for node_id in (person, target):  # both folded again from the versions their mentions now carry
        old = ops.get_nodes([node_id])[node_id]
        held = _versions(ops, node_id, run, None, {})
        if not held:
            continue  # nothing of it left (``_split`` deletes it)
        name, props = fold_versions(m.PERSON, [v for _, v in held])
        if (name, props) != (old.name, old.props):
            ops.drop_keys([old])
            ops.put_nodes([m.Node(node_id, m.PERSON, name, props)])
        if node_id not in run.change.nodes_changed and not (founds and node_id == target):
            run.change.nodes_changed.append(node_id)
    (run.change.split if founds else run.change.joined)[target] = person
    run.change.edges_changed += len(rewritten)
    return True


def _cues_of(props: dict[str, Any], evidence: list[m.EvidenceRef]) -> dict[str, Any]:
    """A relation's properties for part of its evidence: the cues those sentences hold."""
    out = dict(props)
    if props.get("cue"):
        cues = [c for c in str(props["cue"]).split("|") if _says([e.sentence for e in evidence], c)]
        if cues:
            out["cue"] = "|".join(cues)
        else:
            out.pop("cue")
    return out


# -- 6: resolution after the narrative, explained again without it --------------------------------------

def _explain(ops: RemovalOps, people: set[str], run: _Run) -> None:
    """Rewrite the resolution notes and POSSIBLY_SAME_AS proposals made after the narrative about these people,
    as resolution would have written them without it: a note or reason must not quote what it contributed,
    and a pair proposed only on the strength of its names or context is withdrawn. (Merges it made possible
    stay; see the module docstring.)"""
    versions: dict[str, list[tuple[str, dict[str, Any]]] | None] = {}
    done: set[str] = set()
    for person in sorted(people):
        if ops.has_history(person):
            continue
        edges = ops.edges_touching(person)
        held = _versions(ops, person, run, edges, versions)
        if held is None:
            continue
        mentions = {e.evidence[0].narrative: e for e in edges
                    if e.type == m.MENTIONED_IN and e.source == person and e.evidence}
        changed: list[m.Edge] = []
        for index, (source, version) in enumerate(held):
            note = mentions[source].props.get("resolution")
            if index == 0 or note is None or _order(ops, run, source) < run.pivot:
                continue
            match = compare_person(_local(version), _record_at(person, held[:index]))
            if note.startswith(f"resolved: {CONFIRMED}"):
                wanted = f"resolved: {CONFIRMED}; {match.why}"
            elif match.shared:
                wanted = f"resolved: {match.merge_reason()}"
            else:
                wanted = f"resolved: {match.why}; shared only what a deleted or corrected narrative said"
            if wanted != note:
                edge = mentions[source]
                changed.append(m.Edge(edge.id, edge.type, edge.source, edge.target,
                                      {**edge.props, "resolution": wanted}, edge.evidence))
        for edge in edges:
            if edge.type == m.POSSIBLY_SAME_AS and edge.id not in done and edge.props.get("status") == "pending":
                done.add(edge.id)
                changed.extend(_pair_again(ops, edge, run, versions))
        created = (person in run.change.renamed.values() or person in run.change.split or person in run.change.joined
                   or held[0][0] == run.rewritten)  # (a person the rewritten narrative founds may be new)
        if created and _order(ops, run, held[0][0]) >= run.pivot:
            changed = list({e.id: e for e in [*changed, *_propose_again(ops, person, held, run, versions,
                                                                            {e.id: e for e in changed})]}.values())
        if changed:
            ops.delete_edges(changed)
            ops.put_edges([e for e in changed if e.evidence])
            run.change.edges_changed += sum(1 for e in changed if e.evidence)
            run.change.edges_deleted += sum(1 for e in changed if not e.evidence)


def _pair_again(ops: RemovalOps, pair: m.Edge, run: _Run,
                versions: dict[str, list[tuple[str, dict[str, Any]]] | None]) -> list[m.Edge]:
    """A pending pair with each proposal after the narrative made again: kept (with its reason and score as
    they would read now), or dropped if the names and context left no longer call for it."""
    ends = {end: _versions(ops, end, run, None, versions) for end in (pair.source, pair.target)}
    if any(held is None for held in ends.values()):
        return []
    evidence = []
    for proposal in pair.evidence:
        if _order(ops, run, proposal.narrative) < run.pivot:
            evidence.append(proposal)
            continue
        # the proposer is the person the narrative founded (a narrative that merges proposes nothing)
        mine = [end for end, held in ends.items() if held and held[0][0] == proposal.narrative]
        if len(mine) != 1:
            evidence.append(proposal)
            continue
        other = pair.target if mine[0] == pair.source else pair.source
        version = next(v for s, v in ends[mine[0]] or [] if s == proposal.narrative)
        before = [(s, v) for s, v in ends[other] or [] if _order(ops, run, s) < _order(ops, run, proposal.narrative)]
        if not before or _taken(ops, run, proposal.narrative, version, other):
            continue  # the other person did not exist yet without the narrative, or was taken: no proposal
        match = compare_person(_local(version), _record_at(other, before))
        if match.proposes(run.thresholds):
            evidence.append(m.EvidenceRef(proposal.narrative, match.proposal_reason(), proposal.start, proposal.end,
                                          match.pair_score))
    if evidence == pair.evidence:
        return []
    props = dict(pair.props)
    if evidence:
        first = min(evidence, key=lambda e: _order(ops, run, e.narrative))
        props.update(score=first.confidence, reason=first.sentence)
    return [m.Edge(pair.id, pair.type, pair.source, pair.target, props, evidence)]


def _propose_again(ops: RemovalOps, person: str, held: list[tuple[str, dict[str, Any]]], run: _Run,
                   versions: dict[str, list[tuple[str, dict[str, Any]]] | None],
                   pending: dict[str, m.Edge]) -> list[m.Edge]:
    """The pairs resolution would have proposed with a person that now begins with a later narrative (its
    first narrative was removed, or it was split off): those its first narrative proposes, having found
    nobody to merge with (before, it had merged and proposed nothing), and those the first narratives of
    people written after it propose with it (before, it was part of someone else)."""
    source, version = held[0]
    keys = set().union(*(blocking_keys(n) for n in _local(version).names))
    out: dict[str, m.Edge] = {}
    for candidate in sorted(ops.person_candidates(keys), key=lambda r: r.id):
        if candidate.id == person or candidate.narrator or ops.decision(person, candidate.id) is not None:
            continue
        theirs = _versions(ops, candidate.id, run, None, versions) or []
        if not theirs:
            continue
        if _order(ops, run, theirs[0][0]) < _order(ops, run, source):  # it proposes, against them as they were
            proposer, local, other, earlier = source, _local(version), candidate.id, theirs
        else:  # they propose, against it as it was
            proposer, local, other, earlier = theirs[0][0], _local(theirs[0][1]), person, held
        before = [(s, v) for s, v in earlier if _order(ops, run, s) < _order(ops, run, proposer)]
        if not before or local.narrator or (proposer != source and _taken(ops, run, proposer, theirs[0][1], person)):
            continue
        match = compare_person(local, _record_at(other, before))
        if match.merges(run.thresholds) or not match.proposes(run.thresholds):
            continue  # (a merge it would have made instead is beyond repair here: see the module docstring)
        a, b = sorted((person, candidate.id))
        pair = m.Edge(m.edge_id(m.POSSIBLY_SAME_AS, a, b), m.POSSIBLY_SAME_AS, a, b)
        stored = out.get(pair.id) or pending.get(pair.id) or ops.get_edges([pair]).get(pair.id)
        proposal = m.EvidenceRef(proposer, match.proposal_reason(), 0, 0, match.pair_score)
        evidence = [e for e in (stored.evidence if stored else []) if e.key() != proposal.key()] + [proposal]
        first_proposal = min(evidence, key=lambda e: _order(ops, run, e.narrative))
        props = {**(stored.props if stored else {"status": "pending"}), "score": first_proposal.confidence,
                 "reason": first_proposal.sentence}
        out[pair.id] = m.Edge(pair.id, pair.type, a, b, props, evidence)
    return list(out.values())


def _taken(ops: RemovalOps, run: _Run, narrative: str, version: dict[str, Any], person: str) -> bool:
    """Whether another person of the same narrative, resolved before this one, had joined ``person``: resolution
    never puts two people of one narrative together, and compares each with nobody already taken."""
    record = run.records.get(narrative)
    if record is None:
        return False
    keys: dict[str, list[str]] = {}  # person id -> name keys of the narrative's people in it
    for edge in ops.edges_touching(record.node_id):
        seen = edge.props.get("version") if edge.type == m.MENTIONED_IN else None
        if seen and "aliases" in seen["props"] and not seen["props"].get("narrator"):
            keys.setdefault(edge.source, []).append(name_key(seen["name"]))
    order = {key: f"p{index}" for index, key in enumerate(sorted({k for ks in keys.values() for k in ks}))}
    mine = order.get(name_key(version["name"]))
    return mine is not None and any(order[k] < mine for k in keys.get(person, []))


def _versions(ops: RemovalOps, person: str, run: _Run, edges: list[m.Edge] | None,
              cache: dict[str, list[tuple[str, dict[str, Any]]] | None]) -> list[tuple[str, dict[str, Any]]] | None:
    """A person's versions, in the order of writing; None if some mention has none (written before versions)."""
    if person not in cache:
        mentions = [e for e in (edges if edges is not None else ops.edges_touching(person))
                    if e.type == m.MENTIONED_IN and e.source == person and e.evidence]
        if not mentions or any("version" not in e.props for e in mentions):
            cache[person] = None
        else:
            held = [(e.evidence[0].narrative, e.props["version"]) for e in mentions]
            held.sort(key=lambda pair: _order(ops, run, pair[0]))
            cache[person] = held
    return cache[person]


def _local(version: dict[str, Any]) -> LocalPerson:
    """A narrative's person as resolution saw it, from the version it left on its mention."""
    props = version["props"]
    names = sorted(props.get("aliases") or [version["name"]], key=lambda n: (-len(n.split()), -len(n), n))
    return LocalPerson("", names, bool(props.get("narrator")), dict.fromkeys(props.get("roles", {})),  # type: ignore[arg-type]
                       {(t, n) for t, n in props.get("context", [])}, set(props.get("nearby", [])))


def _record_at(person: str, earlier: list[tuple[str, dict[str, Any]]]) -> PersonRecord:
    """A person as resolution found them when a later narrative was written: its predecessors' versions."""
    name, props = fold_versions(m.PERSON, [v for _, v in earlier])
    return person_record(m.Node(person, m.PERSON, name, props))
