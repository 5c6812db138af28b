"""Whole-graph analysis (communities, key actors, corridors, hotspots, exposure) computed once per graph state.

``graph.analysis.analyse`` over ``store.project()`` takes seconds on a large graph, too slow per request
but cheap once. The cache key is the graph's state: the store's node and relationship counts per label
and type plus the analysts' decision log and the caseworkers' correction log (a rejected pair changes no
count), and a generation that ``invalidate`` bumps (a deletion, correction, consent change or decision). Any
ingest, decision, correction or deletion changes the key and the next request recomputes; concurrent requests
wait for one computation instead of each starting their own.

Several API processes (``SIGHTLINE_API_PROCESSES``, or processes on several machines) each hold their own
cache, so the generation must be one they all see: the service passes a ``GenerationSource`` backed by a row
in the service-state database (``state.generation``), bumped by whichever process made the change and read
per request by every process. Without one (the CLI, tests of the graph package) the generation is a counter
in this process, as before.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

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


class GenerationSource(Protocol):
    """A number every graph change that counts may not show moves on; shared by every process that caches."""

    def current(self) -> int: ...

    def bump(self) -> int: ...


class LocalGeneration:
    """The generation of one process alone (no service state: the CLI, the graph package's own tests)."""

    def __init__(self) -> None:
        self._value = 0
        self._lock = threading.Lock()

    def current(self) -> int:
        return self._value

    def bump(self) -> int:
        with self._lock:
            self._value += 1
            return self._value


class AnalysisCache:
    def __init__(self, home: Path, options: AnalysisOptions, generation: GenerationSource | None = None) -> None:
        self.home = home
        self.options = options
        self._lock = threading.Lock()
        self._current: Analysed | None = None
        self._generation: GenerationSource = generation or LocalGeneration()
        self._derived_state: str | None = None
        self._derived: dict[str, Any] = {}

    def state(self, store: GraphStore) -> str:
        logs = [self.home / name for name in ("decisions.jsonl", "corrections.jsonl")]
        sizes = [log.stat().st_size if log.exists() else 0 for log in logs]
        return json.dumps([store.stats(), sizes, self._generation.current()], sort_keys=True)

    def invalidate(self) -> None:
        """Forget the analysis now (a narrative was deleted or corrected, a pair decided): the next request in
        this process and in every process sharing the generation recomputes it, even if the counts came out
        the same."""
        self._generation.bump()
        with self._lock:
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
