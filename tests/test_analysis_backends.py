"""The igraph backend gives the networkx backend's results on the same generated graph.

Deterministic measures (degree, betweenness exact and sampled, modularity) must be equal within float
tolerance; PageRank within networkx's own convergence tolerance; communities differ by design (Leiden instead
of Louvain), so they are held to what Leiden promises: every community connected, modularity at least
Louvain's, and the judgements built on them (key actors, brokers, exposure) still well formed.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest

from evaluation.synthetic_graph import synthetic_graph
from graph.analysis import AnalysisResult, analyse
from graph.analysis import igraph_backend as igb
from graph.analysis.actors import SAMPLE_K, brokers, key_actors
from graph.analysis.communities import detect_communities, person_projection
from graph.analysis.social import social_view
from state.settings import Settings

SEED = 7
# igraph compares weighted path lengths with a relative epsilon, networkx exactly: two paths whose lengths
# (sums of 1/weight) differ only in the last bits are both shortest for igraph and one is for networkx. So
# betweenness is compared exactly on a copy of the projection whose distances are whole numbers (sums exact,
# no such near-ties; measured: identical to the last bit), and on the real projection only through what it
# decides (the brokers) and a bound (measured: at most 1.2e-3, in a 22-member community).
EXACT = 1e-12
NEAR_TIE_TOL = 5e-3
PAGERANK_TOL = 1e-4  # networkx stops its power iteration at 1e-6 per node; igraph solves exactly (PRPACK)
# A key actor's score min-max scales PageRank within its community: dividing by a small PageRank range there
# magnifies that 1e-6 to about 1e-4 (measured: 1.02e-4 at most on this graph).
SCORE_TOL = 1e-3


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return synthetic_graph(3000, seed=SEED)


@pytest.fixture(scope="module")
def projected(graph: nx.MultiDiGraph) -> tuple[nx.Graph, nx.Graph, igb.IGraphProjection]:
    S = social_view(graph)
    P = person_projection(graph, view=S)
    return S, P, igb.to_igraph(P)


@pytest.fixture(scope="module")
def whole(projected: tuple) -> tuple[nx.Graph, nx.Graph, igb.IGraphProjection]:
    """The projection with every distance made a whole number (1000 x distance, rounded): path sums are exact."""
    S, P, _ = projected
    Q = P.copy()
    for _, _, e in Q.edges(data=True):
        e["distance"] = float(round(e["distance"] * 1000))
    return S, Q, igb.to_igraph(Q)


def test_betweenness_is_networkx_betweenness_exact_and_sampled(projected: tuple, whole: tuple) -> None:
    _, Q, iq = whole
    assert len(Q) > SAMPLE_K  # so the sampled case samples
    for k in (None, SAMPLE_K):
        expected = nx.betweenness_centrality(Q, k=k, weight="distance", normalized=True, seed=SEED)
        got = igb.projection_betweenness(iq, k, SEED)
        assert got.keys() == expected.keys()
        assert max(abs(got[n] - expected[n]) for n in Q) < EXACT
        assert max(expected.values()) > 1e-3
    _, P, ip = projected  # float distances: equal up to near-tied paths
    expected = nx.betweenness_centrality(P, k=SAMPLE_K, weight="distance", normalized=True, seed=SEED)
    got = igb.projection_betweenness(ip, SAMPLE_K, SEED)
    assert max(abs(got[n] - expected[n]) for n in P) < NEAR_TIE_TOL


def test_key_actors_and_brokers_match_on_the_same_partition(graph: nx.MultiDiGraph, whole: tuple,
                                                            projected: tuple) -> None:
    S, P, ip = whole
    _, partition, _ = detect_communities(P, seed=SEED, G=graph, view=S)
    nx_actors = key_actors(P, partition, graph, 5, seed=SEED)
    ig_actors = key_actors(P, partition, graph, 5, seed=SEED, backend="igraph", converted=ip)
    assert len(nx_actors) == len(ig_actors) > 100
    by_node = {a.node: a for a in ig_actors}
    for a, b in zip(nx_actors, ig_actors, strict=True):
        assert a.community == b.community
        # the same rank holds the same score; a different person there is a tie (symmetric positions)
        assert b.score == pytest.approx(a.score, abs=SCORE_TOL)
        if a.node in by_node:
            same = by_node[a.node]
            assert same.degree == pytest.approx(a.degree, rel=1e-9)
            assert same.betweenness == pytest.approx(a.betweenness, abs=EXACT)
            assert same.pagerank == pytest.approx(a.pagerank, abs=PAGERANK_TOL)
    assert sum(a.node == b.node for a, b in zip(nx_actors, ig_actors)) > 0.8 * len(nx_actors)
    for (_, P, ip), tol in ((whole, EXACT), (projected, NEAR_TIE_TOL)):
        nx_brokers = brokers(P, partition, 10, G=graph, seed=SEED)
        ig_brokers = brokers(P, partition, 10, G=graph, seed=SEED, backend="igraph", converted=ip)
        assert [b.node for b in ig_brokers] == [b.node for b in nx_brokers] and nx_brokers
        for a, b in zip(nx_brokers, ig_brokers):
            assert (b.communities, b.participation) == (a.communities, a.participation)
            assert b.betweenness == pytest.approx(a.betweenness, abs=tol)


def test_leiden_communities_are_connected_and_at_least_as_modular(graph: nx.MultiDiGraph, projected: tuple) -> None:
    S, P, ip = projected
    _, _, q_louvain = detect_communities(P, seed=SEED, G=graph, view=S)
    leiden, partition, q_leiden = detect_communities(P, seed=SEED, G=graph, view=S, backend="igraph", converted=ip)
    assert sorted(partition) == sorted(P) and len(leiden) > 50
    assert all(nx.is_connected(P.subgraph(c.members)) for c in leiden)
    assert q_leiden >= q_louvain - 0.002
    groups = [set(c.members) for c in leiden]
    assert q_leiden == pytest.approx(nx.community.modularity(P, groups, weight="weight"), abs=1e-9)
    assert [c.id for c in leiden] == list(range(len(leiden)))
    assert [c.size for c in leiden] == sorted((c.size for c in leiden), reverse=True)
    assert detect_communities(P, seed=SEED, backend="igraph", converted=ip)[1] == partition  # same seed, same result


def test_analyse_with_igraph_keeps_every_judgement(graph: nx.MultiDiGraph) -> None:
    nx_result = analyse(graph, seed=SEED)
    ig_result = analyse(graph, seed=SEED, backend="igraph")
    assert (ig_result.method, ig_result.parameters["backend"]) == ("leiden", "igraph")
    assert nx_result.parameters["backend"] == "networkx"
    # stages that do not depend on the backend are the same
    for field in ("corridors", "hotspots", "exposure", "indicators", "exploitation", "narratives"):
        assert getattr(ig_result, field) == getattr(nx_result, field)
    # judgements on Leiden's communities are well formed
    community_of = {m: c.id for c in ig_result.communities for m in c.members}
    sizes = {c.id: c.size for c in ig_result.communities}
    assert ig_result.actors and all(sizes[community_of[a.node]] >= 3 for a in ig_result.actors)
    assert all(community_of[a.node] == a.community for a in ig_result.actors)
    assert all(len(b.communities) >= 2 for b in ig_result.brokers)
    assert len(ig_result.brokers) == len(nx_result.brokers)
    assert set(ig_result.nodes) >= {a.node for a in ig_result.actors}
    assert AnalysisResult.from_dict(json.loads(ig_result.to_json())) == ig_result


def test_backend_is_a_setting_and_a_bad_one_is_a_clear_error(graph: nx.MultiDiGraph) -> None:
    assert Settings().analysis_options().backend == "networkx"
    assert Settings(analysis_backend="igraph").analysis_options().backend == "igraph"
    with pytest.raises(ValueError):
        Settings(analysis_backend="graph-tool")
    with pytest.raises(ValueError, match="unknown analysis backend") as raised:
        analyse(graph, backend="secret-backend-name")  # type: ignore[arg-type]
    assert "secret-backend-name" not in str(raised.value)
