"""Whole-graph analysis (communities, key actors, corridors, hotspots, exposure) computed once per graph state.

``graph.analysis.analyse`` over ``store.project()`` takes seconds on a large graph, too slow per request
but cheap once. The cache key is the graph's state: the store's node and relationship counts per label
and type plus the analysts' decision log and the caseworkers' correction log (a rejected pair changes no
count), and ``invalidate`` (a deletion or correction in this process). Any ingest, decision, correction or
deletion changes the key and the next request recomputes; concurrent requests wait for one computation instead of
each starting their own.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from graph.analysis import AnalysisResult, ExposureParams, analyse, social_view
from graph.stores.protocol import GraphStore

T = TypeVar("T")


@dataclass(slots=True)
class Analysed:
    state: str
    result: AnalysisResult
    graph: nx.MultiDiGraph
    view: nx.Graph
    names: dict[str, str]


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """The parameters of ``graph.analysis.analyse`` a deployment sets (``state.settings`` builds them)."""

    resolution: float = 1.0
    seed: int = 7
    top_actors: int = 5
    exposure: ExposureParams = ExposureParams()
    backend: str = "networkx"  # "igraph": Leiden, key actors and brokers in C (graph.analysis.igraph_backend)


class AnalysisCache:
    def __init__(self, home: Path, options: AnalysisOptions) -> None:
        self.home = home
        self.options = options
        self._lock = threading.Lock()
        self._current: Analysed | None = None
        self._generation = 0
        self._derived_state: str | None = None
        self._derived: dict[str, Any] = {}

    def state(self, store: GraphStore) -> str:
        logs = [self.home / name for name in ("decisions.jsonl", "corrections.jsonl")]
        sizes = [log.stat().st_size if log.exists() else 0 for log in logs]
        return json.dumps([store.stats(), sizes, self._generation], sort_keys=True)

    def invalidate(self) -> None:
        """Forget the analysis now (a narrative was deleted or corrected): the next request recomputes it,
        even if the counts came out the same."""
        with self._lock:
            self._generation += 1
            self._current = None

    def derived(self, analysed: Analysed | str, name: str, compute: Callable[[], T]) -> T:
        """A view computed from one analysed graph state (the map, the dashboard, a page of networks), kept
        until the graph changes: readers ask for the same views again and again between two ingests, and
        building one walks the whole graph. Only the latest state's views are kept. ``analysed`` may also be a
        bare ``state(store)``, for a view of the store that needs no analysis (the review queue)."""
        state = analysed if isinstance(analysed, str) else analysed.state
        with self._lock:
            if self._derived_state != state:
                self._derived_state, self._derived = state, {}
            if name in self._derived:
                return self._derived[name]  # type: ignore[no-any-return]
        value = compute()  # outside the lock: two readers may both compute it once; both get a right answer
        with self._lock:
            if self._derived_state == state:
                self._derived[name] = value
        return value

    def get(self, store: GraphStore) -> Analysed:
        state = self.state(store)
        with self._lock:
            if self._current is None or self._current.state != state:
                o = self.options
                graph = store.project()
                result = analyse(graph, resolution=o.resolution, seed=o.seed, top_actors=o.top_actors,
                                 exposure_params=o.exposure, backend=o.backend)  # type: ignore[arg-type]
                names = {n: str(d.get("name", n)) for n, d in graph.nodes(data=True)}
                self._current = Analysed(state, result, graph, social_view(graph), names)
            return self._current
