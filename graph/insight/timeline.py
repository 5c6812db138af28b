"""The graph's dated events, in time order: narratives, travel legs, and recruitment, exploitation and control.

What the graph dates, and how:

- a **narrative** by its own date (the metadata's: when the account was given or the report written);
- a **travel** leg by the date its sentence stated (the ``TRAVELLED`` edge keeps it as written);
- **recruitment** (``RECRUITED``), **exploitation** (``EXPLOITED_AT``, ``WORKED_AT``) and **control**
  (``CONTROLLED``) by a date written in the sentence that evidences them ("In March 2019 Ion recruited
  her"), one event per evidence sentence that states one. The graph stores no date on these edges; the
  sentence is their provenance, so the date read from it is shown with it and the analyst can judge.

Dates are read with ``graph.insight.dates``; a fact whose date cannot be read ("the next day") is counted as
undated for its kind, not placed. Events sort by date key (a year before its months: "2019" is the year,
shown before "2019-01"), then kind, then summary, so the result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.analysis._common import narrative_ids
from graph.insight.dates import WrittenDate, read_date
from graph.model import (
    CONTROLLED,
    EXPLOITED_AT,
    NARRATIVE,
    RECRUITED,
    TRAVELLED,
    WORKED_AT,
)

KINDS = ("narrative", "recruitment", "travel", "exploitation", "control")
_EDGE_KINDS = {RECRUITED: "recruitment", EXPLOITED_AT: "exploitation", WORKED_AT: "exploitation",
               CONTROLLED: "control"}
_VERBS = {RECRUITED: "recruited", EXPLOITED_AT: "exploited at", WORKED_AT: "worked at", CONTROLLED: "controlled"}


@dataclass(slots=True)
class EventNode:
    id: str
    label: str | None
    name: str


@dataclass(slots=True)
class TimelineEvent:
    kind: str  # one of KINDS
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    precision: str  # year, month or day
    written: str  # the date as the source wrote it
    summary: str  # one line: who did what where
    narratives: list[str]  # narrative ids (source ids) behind it
    nodes: list[EventNode]  # the entities it involves, in the summary's order
    sentence: str | None = None  # the evidence sentence, for facts dated from one


@dataclass(slots=True)
class Timeline:
    events: list[TimelineEvent]
    counts: dict[str, int]  # kind -> dated events (before the limit)
    undated: dict[str, int]  # kind -> facts of that kind without a readable date
    first: str | None  # earliest and latest date key
    last: str | None
    truncated: bool = False
    kinds: list[str] = field(default_factory=lambda: list(KINDS))


def _ref(G: nx.MultiDiGraph, node: str | None) -> EventNode | None:
    if not node or node not in G:
        return None
    data = G.nodes[node]
    return EventNode(node, data.get("label"), str(data.get("name") or node))


def _leg_summary(G: nx.MultiDiGraph, traveller: str, destination: str, d: dict[str, Any]) -> tuple[str, list[EventNode]]:
    who = _ref(G, traveller)
    if who is None or who.label == NARRATIVE:
        who = None
    places = [_ref(G, p) for p in [d.get("origin"), *(d.get("via") or ())]]
    to = _ref(G, destination)
    words = [who.name if who else "Someone", "travelled"]
    if places and places[0] is not None and d.get("origin"):
        words.append(f"from {places[0].name}")
    vias = [p.name for p in places[1:] if p is not None]
    if vias:
        words.append("via " + ", ".join(vias))
    words.append(f"to {to.name if to else destination}")
    if d.get("mode"):
        words.append(f"by {d['mode']}")
    nodes = [n for n in [who, *places, to] if n is not None]
    return " ".join(words), nodes


def _event(kind: str, date: WrittenDate, summary: str, narratives: list[str], nodes: list[EventNode],
           sentence: str | None = None) -> TimelineEvent:
    return TimelineEvent(kind, date.key, date.precision, date.written, summary, sorted(set(narratives)), nodes, sentence)


def _collect(G: nx.MultiDiGraph, wanted: set[str]) -> tuple[list[TimelineEvent], dict[str, int]]:
    events: list[TimelineEvent] = []
    undated = dict.fromkeys(sorted(wanted), 0)
    sources = narrative_ids(G)
    if "narrative" in wanted:
        for node, source in sources.items():
            data = G.nodes[node]
            date = read_date(str(data.get("date") or ""))
            if date is None:
                undated["narrative"] += 1
                continue
            who = f" from {data['organisation']}" if data.get("organisation") else ""
            grading = f", graded {data['grading']}" if data.get("grading") else ""
            events.append(_event("narrative", date, f"Narrative {source}{who}{grading}", [source],
                                 [EventNode(node, NARRATIVE, source)]))
    for u, v, d in G.edges(data=True):
        kind = "travel" if d.get("type") == TRAVELLED else _EDGE_KINDS.get(str(d.get("type")))
        if kind is None or kind not in wanted:
            continue
        if kind == "travel":
            date = read_date(str(d.get("date") or ""))
            if date is None:
                undated[kind] += 1
                continue
            summary, nodes = _leg_summary(G, u, v, d)
            sentence = next((e.get("sentence") for e in d.get("evidence") or () if e.get("sentence")), None)
            events.append(_event(kind, date, summary, list(d.get("narratives") or ()), nodes, sentence))
            continue
        a, b = _ref(G, u), _ref(G, v)
        summary = f"{a.name if a else u} {_VERBS[str(d['type'])]} {b.name if b else v}"
        nodes = [n for n in (a, b) if n is not None]
        dated = False
        seen: set[tuple[str, str]] = set()
        for evidence in d.get("evidence") or ():
            sentence = str(evidence.get("sentence") or "")
            date = read_date(sentence)
            narrative = str(evidence.get("narrative") or "")
            if date is None or (narrative, date.key) in seen:
                continue
            seen.add((narrative, date.key))
            dated = True
            events.append(_event(kind, date, summary, [narrative] if narrative else [], nodes, sentence.strip()))
        if not dated:
            undated[kind] += 1
    return events, undated


def timeline(G: nx.MultiDiGraph, kinds: list[str] | None = None, limit: int | None = None) -> Timeline:
    """The dated events of ``G`` of the given kinds (all by default), earliest first, at most ``limit``."""
    wanted = set(kinds or KINDS) & set(KINDS)
    events, undated = _collect(G, wanted)
    events.sort(key=lambda e: (e.date, KINDS.index(e.kind), e.summary, e.narratives))
    counts = dict.fromkeys(sorted(wanted), 0)
    for e in events:
        counts[e.kind] += 1
    first, last = (events[0].date, max(e.date for e in events)) if events else (None, None)
    truncated = limit is not None and len(events) > limit
    return Timeline(events[:limit] if limit is not None else events, counts, undated, first, last, truncated)
