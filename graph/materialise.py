"""Turn a resolved fragment into the nodes and edges a store upserts, and say how repeats combine.

Both adapters call these, so "what happens when a second narrative names the same phone" is decided once:
evidence accumulates (deduplicated by narrative and span), a person's roles and aliases are unions with
the narratives behind each role, and a value already known is never overwritten by an unknown one.

Each narrative's own version of a person, organisation or place (the name and properties it gave it) rides
on its ``MENTIONED_IN`` relationship, so a node can be folded again from the versions that remain when a
narrative is deleted or corrected (``graph.pipeline.removal``).
"""

from __future__ import annotations

import copy
from typing import Any

from graph import model as m
from graph.build import LOCAL, Fragment
from graph.resolution import Resolution

# Labels whose node is not fixed by its id: the name and properties a narrative gave it are kept on its
# MENTIONED_IN relationship (``version``), so that removing a narrative can recompute the node from the rest.
VERSIONED_LABELS = frozenset({m.PERSON, m.ORGANIZATION, m.LOCATION})


def materialise(fragment: Fragment, resolution: Resolution) -> tuple[list[m.Node], list[m.Edge]]:
    nodes = [fragment.narrative, *fragment.nodes.values()]
    for key, person in sorted(fragment.persons.items()):
        roles = {role: [fragment.source_id] for role in sorted(person.roles)}
        props: dict[str, Any] = {"roles": roles, "aliases": sorted(set(person.names)), "narrator": person.narrator,
                                 "context": sorted([t, n] for t, n in person.context), "nearby": sorted(person.nearby)}
        nodes.append(m.Node(resolution.ids[key], m.PERSON, person.name, props))

    def real(ref: str) -> str:
        return resolution.ids[ref[len(LOCAL):]] if ref.startswith(LOCAL) else ref

    edges: dict[str, m.Edge] = {}
    for pending in fragment.edges:
        source, target = real(pending.source), real(pending.target)
        if source == target:
            continue
        props = dict(pending.props)
        if pending.type == m.TRAVELLED:
            props["origin"] = real(props["origin"]) if props.get("origin") else None
            props["via"] = [real(v) for v in props.get("via", [])]
        edge_id = m.edge_id(pending.type, source, target, pending.qualifier)
        edge = edges.get(edge_id)
        if edge is None:
            edge = edges[edge_id] = m.Edge(edge_id, pending.type, source, target, props)
        else:
            edge.props = merge_edge_props(edge.props, props)
        if all(e.key() != pending.evidence.key() for e in edge.evidence):
            edge.evidence.append(pending.evidence)
    for candidate in resolution.candidates:
        a, b = sorted((candidate.a, candidate.b))
        edge_id = m.edge_id(m.POSSIBLY_SAME_AS, a, b)
        ref = m.EvidenceRef(fragment.source_id, candidate.reason, 0, 0, candidate.score)
        edges[edge_id] = m.Edge(edge_id, m.POSSIBLY_SAME_AS, a, b,
                                {"score": candidate.score, "reason": candidate.reason, "status": "pending"}, [ref])
    versions = {n.id: n for n in nodes if n.label in VERSIONED_LABELS}
    for edge in edges.values():
        seen = versions.get(edge.source) if edge.type == m.MENTIONED_IN else None
        if seen is not None:
            edge.props["version"] = {"name": seen.name, "props": copy.deepcopy(seen.props)}
    for key, reason in resolution.merged.items():
        person = fragment.persons[key]
        note = m.EvidenceRef(fragment.source_id, f"resolved: {reason}", 0, 0, 1.0)
        for edge in edges.values():
            if edge.type == m.MENTIONED_IN and edge.source == resolution.ids[key] and person.names:
                edge.props.setdefault("resolution", note.sentence)
    return nodes, list(edges.values())


def fold_versions(label: str, versions: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """A node as writing these narratives' versions of it in this order makes it (``upsert_nodes``'s rules)."""
    name, props = versions[0]["name"], dict(versions[0]["props"])
    for version in versions[1:]:
        name = better_name(label, name, version["name"])
        props = merge_node_props(label, props, version["props"])
    return name, props


def merge_node_props(label: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in new.items():
        if value is None:
            continue
        if label == m.PERSON and key == "roles":
            roles = {r: list(n) for r, n in (old.get("roles") or {}).items()}
            for role, narratives in value.items():
                roles[role] = sorted(set(roles.get(role, [])) | set(narratives))
            if len(roles) > 1:
                roles.pop("unknown", None)
            merged["roles"] = dict(sorted(roles.items()))
        elif label == m.PERSON and key == "aliases":
            merged["aliases"] = sorted(set(old.get("aliases") or []) | set(value))
        elif label == m.PERSON and key == "context":
            pairs = {tuple(p) for p in old.get("context") or []} | {tuple(p) for p in value}
            merged["context"] = [list(p) for p in sorted(pairs)]
        elif label == m.PERSON and key == "nearby":
            merged["nearby"] = sorted(set(old.get("nearby") or []) | set(value))
        elif label == m.PERSON and key == "narrator":
            merged["narrator"] = bool(old.get("narrator")) or bool(value)
        elif merged.get(key) is None:
            merged[key] = value
    return merged


def better_name(label: str, old: str, new: str) -> str:
    """Keep the fuller name for a person ("Andrei Munteanu" over "Munteanu"); first-seen otherwise."""
    if label == m.PERSON and (len(new.split()), len(new)) > (len(old.split()), len(old)):
        return new
    return old


def merge_edge_props(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in new.items():
        if key == "version" and value and old.get("version") and value != old["version"]:
            # two people one narrative mentions, merged by an analyst: one mention, both versions
            merged["version"] = dict(zip(("name", "props"), fold_versions(m.PERSON, [old["version"], value])))
        elif key == "cue" and value and old.get("cue") and value != old["cue"]:
            cues = set(str(old["cue"]).split("|")) | {value}
            merged["cue"] = "|".join(sorted(cues))
        elif merged.get(key) is None:
            merged[key] = value
    return merged
