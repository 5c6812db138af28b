"""One removal's bookkeeping and people as resolution saw them, shared by ``graph.pipeline.removal`` and
``graph.pipeline.replay``: a narrative's place in the order of writing, a person's versions in that order,
and a relationship's id as writing gives it. In a module of their own so that removal can call replay and
replay can read them without the two importing each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph import model as m
from graph.build import LocalPerson
from graph.materialise import fold_versions
from graph.resolution import PersonRecord, Thresholds, person_record
from graph.stores.ops import NarrativeRecord, RemovalOps
from graph.stores.protocol import NarrativeChange


@dataclass(slots=True)
class Run:
    """One removal's (or rewrite's) bookkeeping, shared with ``graph.pipeline.replay``."""

    change: NarrativeChange
    gone: str  # the removed narrative's source id
    pivot: tuple[str, str]  # its place in the order of writing: resolution from there on is made again
    thresholds: Thresholds
    records: dict[str, NarrativeRecord] = field(default_factory=dict)
    rewritten: str = ""  # the narrative written again, when correcting it
    seen: dict[str, list[tuple[str, dict[str, Any]]] | None] = field(default_factory=dict)  # versions read,
    # by person, while nothing moves (cleared whenever a part of someone moves)
    people_of: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # narrative -> person id -> the
    # name keys of its people there (``graph.pipeline.replay._taken``), likewise


def says(sentences: Iterable[str], word: str) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    return any(pattern.search(s) for s in sentences)


def order_in(ops: RemovalOps, run: Run, source_id: str) -> tuple[str, str]:
    """Where a narrative stands in the order of writing: its time, then its id."""
    if source_id not in run.records:
        run.records.update(ops.narrative_records([source_id]))
    record = run.records.get(source_id)
    return (record.ingested_at if record else "", source_id)


def written_id(edge: m.Edge, source: str, target: str, run: Run) -> str | None:
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


def versions_of(ops: RemovalOps, person: str, run: Run, edges: list[m.Edge] | None,
                cache: dict[str, list[tuple[str, dict[str, Any]]] | None]) -> list[tuple[str, dict[str, Any]]] | None:
    """A person's versions, in the order of writing; None if some mention has none (written before versions)."""
    if person not in cache:
        mentions = [e for e in (edges if edges is not None else ops.edges_touching(person))
                    if e.type == m.MENTIONED_IN and e.source == person and e.evidence]
        if not mentions or any("version" not in e.props for e in mentions):
            cache[person] = None
        else:
            held = [(e.evidence[0].narrative, e.props["version"]) for e in mentions]
            held.sort(key=lambda pair: order_in(ops, run, pair[0]))
            cache[person] = held
    return cache[person]


def local_person(version: dict[str, Any]) -> LocalPerson:
    """A narrative's person as resolution saw it, from the version it left on its mention."""
    props = version["props"]
    names = sorted(props.get("aliases") or [version["name"]], key=lambda n: (-len(n.split()), -len(n), n))
    return LocalPerson("", names, bool(props.get("narrator")), dict.fromkeys(props.get("roles", {})),  # type: ignore[arg-type]
                       {(t, n) for t, n in props.get("context", [])}, set(props.get("nearby", [])))


def person_at(person: str, earlier: list[tuple[str, dict[str, Any]]]) -> PersonRecord:
    """A person as resolution found them when a later narrative was written: its predecessors' versions."""
    name, props = fold_versions(m.PERSON, [v for _, v in earlier])
    return person_record(m.Node(person, m.PERSON, name, props))
