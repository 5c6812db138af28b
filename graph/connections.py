"""Paths between two entities, as analysts ask for them: the store supplies the candidate part of the
graph, ``graph.analysis.paths`` chooses over it.

The store finds the candidates (SQLite: the whole social projection; Neo4j: the nodes of the shortest or
expanded paths its own search returns), so that the choice of the strongest path is made once, in Python,
and is the same on both stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.analysis.paths import all_simple_paths
from graph.analysis.paths import shortest_path as strongest_shortest_path
from graph.analysis.results import PathResult
from graph.analysis.social import social_view
from graph.stores.protocol import MAX_PATH_HOPS, GraphStore


def shortest_path(store: GraphStore, a: str, b: str) -> PathResult | None:
    """The strongest of the shortest social paths from ``a`` to ``b`` (merged ids followed), or None beyond
    ``MAX_PATH_HOPS`` hops."""
    a, b = store.canonical(a), store.canonical(b)
    view = social_view(store.path_candidates(a, b))
    if a not in view or b not in view:
        return None
    path = strongest_shortest_path(view, a, b, view=view)
    return path if path is not None and path.length <= MAX_PATH_HOPS else None


def all_paths(store: GraphStore, a: str, b: str, cutoff: int = 4, limit: int = 50) -> list[PathResult]:
    """Simple social paths of at most ``cutoff`` hops, strongest first, at most ``limit`` of them."""
    a, b = store.canonical(a), store.canonical(b)
    view = social_view(store.path_candidates(a, b, cutoff=cutoff, limit=limit))
    if a not in view or b not in view:
        return []
    return all_simple_paths(view, a, b, cutoff=cutoff, limit=limit, view=view)


@dataclass(slots=True)
class Connections:
    """Paths between two entities as an analyst asks for them, bounded: ``truncated`` when more paths
    existed than ``limit``; ``nodes``: label and name of every node on them (from the candidates read
    anyway, so naming them costs no further read)."""

    paths: list[PathResult]
    truncated: bool = False
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)


def paths_between(store: GraphStore, a: str, b: str, *, mode: str = "shortest", cutoff: int = 4,
                  limit: int = 10) -> Connections:
    """``mode`` "shortest": the strongest shortest path (at most ``MAX_PATH_HOPS`` hops); "all": at most
    ``limit`` simple paths of at most ``cutoff`` hops, strongest first (one more is looked for, to tell
    whether any was left out)."""
    a, b = store.canonical(a), store.canonical(b)
    if mode == "shortest":
        view = social_view(store.path_candidates(a, b))
        if a not in view or b not in view:
            return Connections([])
        path = strongest_shortest_path(view, a, b, view=view)
        found = [path] if path is not None and path.length <= MAX_PATH_HOPS else []
    else:
        view = social_view(store.path_candidates(a, b, cutoff=cutoff, limit=limit + 1))
        if a not in view or b not in view:
            return Connections([])
        found = all_simple_paths(view, a, b, cutoff=cutoff, limit=limit + 1, view=view)
    kept = found[:limit]
    on_them = {n for p in kept for n in p.nodes}
    nodes = {n: {"label": view.nodes[n].get("label"), "name": view.nodes[n].get("name", n)} for n in sorted(on_them)}
    return Connections(kept, truncated=len(found) > limit, nodes=nodes)
