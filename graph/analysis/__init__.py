"""Analysis as pure functions over the networkx projection (``docs/graph.md``): no I/O, no store.

Each module answers one question and can be used alone; ``analyse`` runs them all on one graph and
returns an ``AnalysisResult`` that ``reports`` renders. Everything is deterministic: the same graph and
parameters (including the Louvain seed) give the same result.
"""

from __future__ import annotations

from dataclasses import asdict

import networkx as nx

from graph.analysis._common import METHOD_OF_CONTROL, TYPE_OF_EXPLOITATION, count_codes, narrative_codes, node_info
from graph.analysis.actors import brokers, key_actors
from graph.analysis.communities import (
    DEFAULT_MAX_SHARED, DEFAULT_WEIGHTS, Method, detect_communities, person_projection,
)
from graph.analysis.corridors import corridor_graph, corridors
from graph.analysis.exposure import ExposureParams, exposure, exposure_all
from graph.analysis.hotspots import hotspots
from graph.analysis.igraph_backend import BACKENDS, Backend, check_backend, to_igraph
from graph.analysis.paths import all_simple_paths, shortest_path
from graph.analysis.results import AnalysisResult, NarrativeInfo
from graph.analysis.social import social_view
from graph.model import NARRATIVE

__all__ = [
    "BACKENDS", "AnalysisResult", "Backend", "ExposureParams", "all_simple_paths", "analyse", "brokers",
    "corridor_graph", "corridors",
    "detect_communities", "exposure", "exposure_all", "hotspots", "key_actors", "narratives_of",
    "person_projection", "shortest_path", "social_view",
]


def narratives_of(G: nx.MultiDiGraph) -> list[NarrativeInfo]:
    """Every Narrative node as the reports cite it, by source id."""
    out = []
    for n, d in G.nodes(data=True):
        if d.get("label") != NARRATIVE:
            continue
        out.append(NarrativeInfo(id=str(d.get("source_id") or n), node=n, grading=d.get("grading"),
                                 organisation=d.get("organisation"), date=d.get("date"),
                                 exploitation=sorted(narrative_codes(d, TYPE_OF_EXPLOITATION))))
    return sorted(out, key=lambda i: (i.id, i.node))


def _cited(result: AnalysisResult) -> set[str]:
    cited: set[str] = set()
    for c in result.communities:
        cited.update(c.members, c.businesses, c.phones, c.locations)
    cited.update(a.node for a in result.actors)
    cited.update(b.node for b in result.brokers)
    for k in result.corridors:
        cited.update((k.origin, k.destination))
    cited.update(h.node for h in result.hotspots)
    for e in result.exposure:
        cited.add(e.person)
        for c in e.contributions:
            cited.update(c.path)
    return cited


def analyse(G: nx.MultiDiGraph, *, resolution: float = 1.0, seed: int = 7, method: Method = "python-louvain",
            top_actors: int = 5, exposure_params: ExposureParams | None = None, top_brokers: int = 10,
            top_hotspots: int = 20, projection_weights: dict[str, float] | None = None,
            exposure_keep: int | None = 20, backend: Backend = "networkx") -> AnalysisResult:
    """Communities, key actors, brokers, corridors, hotspots and exposure of ``G``, in one result.

    ``exposure_keep`` bounds the contributions (with their paths) listed per person, largest first; the
    scores always sum all of them. Unbounded, a 100k-node graph's result is hundreds of MiB of paths that
    no report prints; ``exposure()`` gives one person's full list.

    ``backend="igraph"`` (setting ``SIGHTLINE_ANALYSIS_BACKEND``) converts the person projection to igraph
    once and runs communities (Leiden instead of Louvain: ``method`` is then recorded as ``leiden``), key
    actors and brokers on it; see ``igraph_backend``. The other stages are the same code either way.
    """
    backend = check_backend(backend)
    exposure_params = exposure_params or ExposureParams()
    weights = {**DEFAULT_WEIGHTS, **(projection_weights or {})}
    view = social_view(G)
    P = person_projection(G, weights, view=view)
    converted = to_igraph(P) if backend == "igraph" else None
    if converted is not None:
        method = "leiden"  # type: ignore[assignment]
    communities, partition, q = detect_communities(P, resolution, seed, method, G=G, view=view, backend=backend,
                                                   converted=converted)
    actors = key_actors(P, partition, G, top_actors, seed=seed, backend=backend, converted=converted)
    found = brokers(P, partition, top_brokers, G=G, seed=seed, backend=backend, converted=converted)
    # The projection is done with: freeing it before exposure builds its index and results (the largest
    # allocation of the run) lets exposure reuse its memory instead of adding to the peak.
    del P, converted, partition
    narrative_nodes = [n for n, d in G.nodes(data=True) if d.get("label") == NARRATIVE]
    result = AnalysisResult(
        parameters={
            "resolution": resolution, "seed": seed, "method": method, "top_actors": top_actors,
            "top_brokers": top_brokers, "top_hotspots": top_hotspots, "projection_weights": weights,
            "projection_max_shared": DEFAULT_MAX_SHARED, "exposure": asdict(exposure_params),
            "exposure_keep": exposure_keep, "backend": backend,
        },
        method=method,
        modularity=q,
        communities=communities,
        actors=actors,
        brokers=found,
        corridors=corridors(G),
        hotspots=hotspots(G, top_hotspots),
        exposure=exposure_all(G, exposure_params, view=view, keep=exposure_keep),
        indicators=count_codes(G, narrative_nodes, METHOD_OF_CONTROL),
        exploitation=count_codes(G, narrative_nodes, TYPE_OF_EXPLOITATION),
        narratives=narratives_of(G),
    )
    result.nodes = {n: node_info(G, n) for n in sorted(_cited(result))}
    return result
