"""Resolution after a removed or rewritten narrative, made again without it (steps 4 and 5 of
``graph.pipeline.removal``).

Resolution that ran after narrative N ran against a graph holding N's version of people. Without N, a later
narrative's person may no longer match the person it joined (they shared only what N said), or may match
someone else better; pairs it proposed may no longer be called for, or new ones may be; its resolution note
may quote what N contributed. ``remake_merges`` replays, person by person and in the order of writing, who
joins whom as each person then stood (their versions written before), moving each narrative's part with its
evidence; ``rewrite_resolution`` then writes the notes and pairs as resolution would have written them.
Both use ``graph.resolution.compare_person``, the comparison resolution itself makes, so the words and
scores are the same as a rebuild's.
"""

from __future__ import annotations

from typing import Any

from graph import model as m
from graph.build import LocalPerson
from graph.materialise import fold_versions, merge_edge_props
from graph.name_similarity import blocking_keys
from graph.pipeline.versions import Run, local_person, order_in, person_at, says, versions_of, written_id
from graph.resolution import CONFIRMED, compare_person, person_id
from graph.stores.ops import RemovalOps
from nlp.identifiers import name_key


def remake_merges(ops: RemovalOps, people: set[str], run: Run) -> set[str]:
    """Make again, in the order of writing, the merges narratives written from the narrative on made into
    these people. Each joins, as resolution would have without the narrative, whichever person it matches
    best as that person then stood: the one it is part of, a part of it split off before, or someone else;
    or nobody, and then it is a person of its own again, with the id a rebuild gives it. Its evidence moves
    with it. The people afterwards, all whose parts moved included."""
    out = set(people)
    rivals = _rivals(ops, people)
    for person in [*sorted(people), *sorted(rivals)]:  # the people it touched first: their parts may move
        if person not in ops.get_nodes([person]) or ops.has_history(person):
            continue
        held = versions_of(ops, person, run, None, {})
        if held is None or order_in(ops, run, held[-1][0]) < run.pivot:
            continue  # nothing of it was resolved after the narrative
        if person in rivals and not _tempted(ops, held, out, run):
            continue
        groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}  # person id -> the versions it holds
        moves: dict[str, str] = {}  # narrative -> the person it now joins (or founds)
        for source, version in held:
            local = local_person(version)
            if order_in(ops, run, source) < run.pivot or local.narrator:
                groups.setdefault(person, []).append((source, version))  # resolved before: nothing changed
                continue
            best: tuple[tuple[float, int], str] | None = None
            for candidate, before in sorted(_candidates(ops, local, source, version, person, groups, run).items()):
                match = compare_person(local, person_at(candidate, before))
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
        if moves:
            run.seen.clear()  # versions read so far may have moved, and with them who holds whom
            run.people_of.clear()
            out.add(person)
        for target in sorted(set(moves.values())):
            members = {s for s, t in moves.items() if t == target}
            if _move_part(ops, person, members, target, groups.get(target, []), run):
                out.add(target)
        left = ops.edges_touching(person) if person not in groups else []
        if person not in groups and not any(e.type == m.MENTIONED_IN and e.source == person for e in left):
            # all of it joined others: nothing names it any more
            ops.delete_edges(left)
            ops.delete_node(person)
            out.discard(person)
            run.change.edges_deleted += len(left)
            run.change.nodes_deleted.append(person)
            run.change.nodes_changed = [n for n in run.change.nodes_changed if n != person]
    return out


def _tempted(ops: RemovalOps, held: list[tuple[str, dict[str, Any]]], people: set[str], run: Run) -> bool:
    """Whether a narrative that joined someone else after the narrative would now also join one of these
    people (only then can its choice have changed: the someone else is as it was)."""
    for source, version in held:
        if order_in(ops, run, source) < run.pivot:
            continue
        local = local_person(version)
        for person in people:
            theirs = versions_of(ops, person, run, None, run.seen) or []
            before = [(s, v) for s, v in theirs if order_in(ops, run, s) < order_in(ops, run, source)]
            if before and compare_person(local, person_at(person, before)).merges(run.thresholds):
                return True
    return False


def _rivals(ops: RemovalOps, people: set[str]) -> set[str]:
    """Whoever resolution could have weighed against these people: a narrative that joined one of them may now
    match one of these better, or one that joined one of these may now match them better."""
    out: set[str] = set()
    for node in ops.get_nodes(sorted(people)).values():
        if node.label == m.PERSON:
            names = [node.name, *node.props.get("aliases", [])]
            out |= {r.id for r in ops.person_candidates(set().union(*(blocking_keys(n) for n in names)))}
    return out - people


def _candidates(ops: RemovalOps, local: LocalPerson, source: str, version: dict[str, Any], person: str,
                groups: dict[str, list[tuple[str, dict[str, Any]]]], run: Run) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Whom a narrative's person could have joined when it was written: the parts of the person being replayed,
    and everyone else blocking finds, each with their versions written before it."""
    when = order_in(ops, run, source)
    out = {}
    for gid, group in groups.items():  # someone else joined in this replay holds their own versions too
        held = (versions_of(ops, gid, run, None, run.seen) or []) if gid != person else []
        joined = sorted([*held, *group], key=lambda pair: order_in(ops, run, pair[0]))
        if joined:
            out[gid] = [(s, v) for s, v in joined if order_in(ops, run, s) < when] or joined
    keys = set().union(*(blocking_keys(n) for n in local.names))
    for record in ops.person_candidates(keys):
        if record.id in groups or record.id == person or record.narrator or ops.has_history(record.id):
            continue
        held = versions_of(ops, record.id, run, None, run.seen) or []
        before = [(s, v) for s, v in held if order_in(ops, run, s) < when]
        if before and not _taken(ops, run, source, version, record.id):
            out[record.id] = before
    return out


def _move_part(ops: RemovalOps, person: str, members: set[str], target: str,
               group: list[tuple[str, dict[str, Any]]], run: Run) -> bool:
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
        edge_id = written_id(part, source_id, target_id, run)
        if edge_id is None:
            return False
        props = dict(part.props)
        if edge.type == m.MENTIONED_IN:
            props.pop("resolution", None)  # written again by ``rewrite_resolution`` for those that joined someone
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
        held = versions_of(ops, node_id, run, None, {})
        if not held:
            continue  # nothing of it left (``remake_merges`` deletes it)
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
        cues = [c for c in str(props["cue"]).split("|") if says([e.sentence for e in evidence], c)]
        if cues:
            out["cue"] = "|".join(cues)
        else:
            out.pop("cue")
    return out


def rewrite_resolution(ops: RemovalOps, people: set[str], run: Run) -> None:
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
        held = versions_of(ops, person, run, edges, versions)
        if held is None:
            continue
        mentions = {e.evidence[0].narrative: e for e in edges
                    if e.type == m.MENTIONED_IN and e.source == person and e.evidence}
        changed: list[m.Edge] = []
        for index, (source, version) in enumerate(held):
            note = mentions[source].props.get("resolution")
            if index == 0 or note is None or order_in(ops, run, source) < run.pivot:
                continue
            match = compare_person(local_person(version), person_at(person, held[:index]))
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
        if created and order_in(ops, run, held[0][0]) >= run.pivot:
            changed = list({e.id: e for e in [*changed, *_propose_again(ops, person, held, run, versions,
                                                                            {e.id: e for e in changed})]}.values())
        if changed:
            ops.delete_edges(changed)
            ops.put_edges([e for e in changed if e.evidence])
            run.change.edges_changed += sum(1 for e in changed if e.evidence)
            run.change.edges_deleted += sum(1 for e in changed if not e.evidence)


def _pair_again(ops: RemovalOps, pair: m.Edge, run: Run,
                versions: dict[str, list[tuple[str, dict[str, Any]]] | None]) -> list[m.Edge]:
    """A pending pair with each proposal after the narrative made again: kept (with its reason and score as
    they would read now), or dropped if the names and context left no longer call for it."""
    ends = {end: versions_of(ops, end, run, None, versions) for end in (pair.source, pair.target)}
    if any(held is None for held in ends.values()):
        return []
    evidence = []
    for proposal in pair.evidence:
        if order_in(ops, run, proposal.narrative) < run.pivot:
            evidence.append(proposal)
            continue
        # the proposer is the person the narrative founded (a narrative that merges proposes nothing)
        mine = [end for end, held in ends.items() if held and held[0][0] == proposal.narrative]
        if len(mine) != 1:
            evidence.append(proposal)
            continue
        other = pair.target if mine[0] == pair.source else pair.source
        version = next(v for s, v in ends[mine[0]] or [] if s == proposal.narrative)
        before = [(s, v) for s, v in ends[other] or [] if order_in(ops, run, s) < order_in(ops, run, proposal.narrative)]
        if not before or _taken(ops, run, proposal.narrative, version, other):
            continue  # the other person did not exist yet without the narrative, or was taken: no proposal
        match = compare_person(local_person(version), person_at(other, before))
        if match.proposes(run.thresholds):
            evidence.append(m.EvidenceRef(proposal.narrative, match.proposal_reason(), proposal.start, proposal.end,
                                          match.pair_score))
    if evidence == pair.evidence:
        return []
    props = dict(pair.props)
    if evidence:
        first = min(evidence, key=lambda e: order_in(ops, run, e.narrative))
        props.update(score=first.confidence, reason=first.sentence)
    return [m.Edge(pair.id, pair.type, pair.source, pair.target, props, evidence)]


def _propose_again(ops: RemovalOps, person: str, held: list[tuple[str, dict[str, Any]]], run: Run,
                   versions: dict[str, list[tuple[str, dict[str, Any]]] | None],
                   pending: dict[str, m.Edge]) -> list[m.Edge]:
    """The pairs resolution would have proposed with a person that now begins with a later narrative (its
    first narrative was removed, or it was split off): those its first narrative proposes, having found
    nobody to merge with (before, it had merged and proposed nothing), and those the first narratives of
    people written after it propose with it (before, it was part of someone else)."""
    source, version = held[0]
    keys = set().union(*(blocking_keys(n) for n in local_person(version).names))
    out: dict[str, m.Edge] = {}
    for candidate in sorted(ops.person_candidates(keys), key=lambda r: r.id):
        if candidate.id == person or candidate.narrator or ops.decision(person, candidate.id) is not None:
            continue
        theirs = versions_of(ops, candidate.id, run, None, versions) or []
        if not theirs:
            continue
        if order_in(ops, run, theirs[0][0]) < order_in(ops, run, source):  # it proposes, against them as they were
            proposer, local, other, earlier = source, local_person(version), candidate.id, theirs
        else:  # they propose, against it as it was
            proposer, local, other, earlier = theirs[0][0], local_person(theirs[0][1]), person, held
        before = [(s, v) for s, v in earlier if order_in(ops, run, s) < order_in(ops, run, proposer)]
        if not before or local.narrator or (proposer != source and _taken(ops, run, proposer, theirs[0][1], person)):
            continue
        match = compare_person(local, person_at(other, before))
        if match.merges(run.thresholds) or not match.proposes(run.thresholds):
            continue  # (a merge it would have made instead is beyond repair here: see the module docstring)
        a, b = sorted((person, candidate.id))
        pair = m.Edge(m.edge_id(m.POSSIBLY_SAME_AS, a, b), m.POSSIBLY_SAME_AS, a, b)
        stored = out.get(pair.id) or pending.get(pair.id) or ops.get_edges([pair]).get(pair.id)
        proposal = m.EvidenceRef(proposer, match.proposal_reason(), 0, 0, match.pair_score)
        evidence = [e for e in (stored.evidence if stored else []) if e.key() != proposal.key()] + [proposal]
        first_proposal = min(evidence, key=lambda e: order_in(ops, run, e.narrative))
        props = {**(stored.props if stored else {"status": "pending"}), "score": first_proposal.confidence,
                 "reason": first_proposal.sentence}
        out[pair.id] = m.Edge(pair.id, pair.type, a, b, props, evidence)
    return list(out.values())


def _taken(ops: RemovalOps, run: Run, narrative: str, version: dict[str, Any], person: str) -> bool:
    """Whether another person of the same narrative, resolved before this one, had joined ``person``: resolution
    never puts two people of one narrative together, and compares each with nobody already taken."""
    record = run.records.get(narrative)
    if record is None:
        return False
    if narrative not in run.people_of:
        keys: dict[str, list[str]] = {}  # person id -> name keys of the narrative's people in it
        for edge in ops.edges_touching(record.node_id):
            seen = edge.props.get("version") if edge.type == m.MENTIONED_IN else None
            if seen and "aliases" in seen["props"] and not seen["props"].get("narrator"):
                keys.setdefault(edge.source, []).append(name_key(seen["name"]))
        run.people_of[narrative] = keys
    keys = run.people_of[narrative]
    order = {key: f"p{index}" for index, key in enumerate(sorted({k for ks in keys.values() for k in ks}))}
    mine = order.get(name_key(version["name"]))
    return mine is not None and any(order[k] < mine for k in keys.get(person, []))
