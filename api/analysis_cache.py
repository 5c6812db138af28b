"""Whole-graph analysis (communities, key actors, corridors, hotspots, exposure) computed once per graph state.

``graph.analysis.analyse`` over ``store.project()`` takes seconds on a large graph, too slow per request
but cheap once. The cache key is the graph's state: the store's node and relationship counts per label
and type plus the analysts' decision log (a rejected pair changes no count). Any ingest or decision
changes the key and the next request recomputes; concurrent requests wait for one computation instead of
each starting their own.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import networkx as nx

from api.settings import Settings
from graph.analysis import AnalysisResult, ExposureParams, analyse, social_view


@dataclass(slots=True)
class Analysed:
    state: str
    result: AnalysisResult
    graph: nx.MultiDiGraph
    view: nx.Graph
    names: dict[str, str]


def exposure_params(settings: Settings) -> ExposureParams:
    return ExposureParams(max_hops=settings.exposure_max_hops, decay=settings.exposure_decay,
                          weight_victim=settings.exposure_weight_victim,
                          weight_exploiter=settings.exposure_weight_exploiter,
                          weight_site=settings.exposure_weight_site, max_degree=settings.exposure_max_degree,
                          through_places=settings.exposure_through_places)


class AnalysisCache:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._current: Analysed | None = None

    def state(self, store: Any) -> str:
        decisions = self.settings.home / "decisions.jsonl"
        size = decisions.stat().st_size if decisions.exists() else 0
        return json.dumps([store.stats(), size], sort_keys=True)

    def get(self, store: Any) -> Analysed:
        state = self.state(store)
        with self._lock:
            if self._current is None or self._current.state != state:
                s = self.settings
                graph = store.project()
                result = analyse(graph, resolution=s.louvain_resolution, seed=s.louvain_seed,
                                 top_actors=s.top_actors, exposure_params=exposure_params(s))
                names = {n: str(d.get("name", n)) for n, d in graph.nodes(data=True)}
                self._current = Analysed(state, result, graph, social_view(graph), names)
            return self._current
