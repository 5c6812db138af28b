"""Bounded answers (issue 20, item 3) against a real server: neighbourhood, paths and search are capped by
settings, say ``truncated`` when a cap cut them, page without duplicates, and refuse a request for more
than the cap with 422 instead of silently answering less.

The graph is written straight into the server's store (a hub with 40 members, each tie stated by 8
narratives, and six parallel paths), so the module needs no extraction and runs in a few seconds; the
last test writes it into both stores and checks that SQLite and Neo4j cut it the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from graph import model as m
from graph.stores.factory import open_store
from graph.stores.protocol import GraphStore
from tests.api_server import running
from tests.stores import KINDS, fresh_store

MEMBERS = 40
EVIDENCE = 8
MIDDLE = 6
LIMITS = {"SIGHTLINE_API_NEIGHBOURHOOD_LIMIT": "10", "SIGHTLINE_API_NEIGHBOURHOOD_EDGE_LIMIT": "15",
          "SIGHTLINE_API_EVIDENCE_LIMIT": "3", "SIGHTLINE_API_PATHS_LIMIT": "3", "SIGHTLINE_API_PATH_MAX_HOPS": "3",
          "SIGHTLINE_API_SEARCH_LIMIT": "10"}


def _person(key: str, name: str) -> m.Node:
    return m.Node(f"person:{key}", m.PERSON, name, {})


def _tie(type_: str, a: str, b: str, stated: int = 1) -> m.Edge:
    evidence = [m.EvidenceRef(f"s{i:03d}", f"{a} and {b}, told for the {i}th time.", 10 * i, 10 * i + 5, 0.5 + i / 100)
                for i in range(stated)]
    return m.Edge(f"{type_}:{a}:{b}", type_, a, b, {}, evidence)


def _graph() -> tuple[list[m.Node], list[m.Edge]]:
    nodes = [_person("hub", "Hub Centre"), _person("alpha", "Alpha Source"), _person("beta", "Beta Target")]
    edges = []
    for i in range(MEMBERS):
        nodes.append(_person(f"p{i:02d}", f"Pagetest Member {i:02d}"))
        edges.append(_tie(m.RECRUITED, "person:hub", f"person:p{i:02d}", EVIDENCE))
        if i:  # members tied in a chain: relationships beyond those that reach each node
            edges.append(_tie(m.ASSOCIATED_WITH, f"person:p{i - 1:02d}", f"person:p{i:02d}"))
    for i in range(MIDDLE):
        nodes.append(_person(f"mid{i}", f"Middle Person {i}"))
        edges += [_tie(m.RECRUITED, "person:alpha", f"person:mid{i}"), _tie(m.CONTROLLED, f"person:mid{i}", "person:beta")]
    return nodes, edges


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    home = tmp_path_factory.mktemp("api-bounds")
    store = open_store(home)
    nodes, edges = _graph()
    store.transact(lambda ops: (ops.put_nodes(nodes), ops.put_edges(edges)))
    store.close()
    with running(home, env=LIMITS) as server, server.as_role("analyst") as client:
        yield client


def _refused(response: httpx.Response, field: str, setting: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and f"query.{field}" in error["message"] and setting in error["message"]
    assert error["details"][0]["location"] == f"query.{field}"


def test_neighbourhood_over_the_limits_says_truncated_and_respects_every_cap(analyst: httpx.Client) -> None:
    answer = analyst.get("/v1/neighbourhood/person:hub", params={"depth": 2})
    assert answer.status_code == 200, answer.text
    sub = answer.json()
    assert (sub["limit"], sub["edge_limit"], sub["evidence_limit"]) == (10, 15, 3)  # the settings, as defaults
    assert len(sub["nodes"]) == 10 and sub["nodes_truncated"] and sub["truncated"]
    assert len(sub["edges"]) <= 15
    ids = {n["id"] for n in sub["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in sub["edges"])
    # the relationships that reach each node come first: nothing kept is left hanging
    assert ids - {"person:hub"} <= {e["source"] for e in sub["edges"]} | {e["target"] for e in sub["edges"]}
    recruited = [e for e in sub["edges"] if e["type"] == m.RECRUITED]
    assert recruited and sub["evidence_truncated"]
    for edge in recruited:
        assert len(edge["evidence"]) == 3 and edge["evidence_total"] == EVIDENCE
        assert edge["confidence"] == max(x["confidence"] for x in edge["evidence"]) == 0.5 + (EVIDENCE - 1) / 100

    few = analyst.get("/v1/neighbourhood/person:hub", params={"depth": 2, "edge_limit": 4, "evidence_limit": 1}).json()
    assert len(few["edges"]) == 4 and few["edges_truncated"] and all(len(e["evidence"]) <= 1 for e in few["edges"])
    whole = analyst.get("/v1/neighbourhood/person:alpha", params={"depth": 1}).json()
    assert not whole["truncated"] and len(whole["nodes"]) == MIDDLE + 1 and len(whole["edges"]) == MIDDLE
    assert all(e["evidence_total"] == len(e["evidence"]) == 1 for e in whole["edges"])

    _refused(analyst.get("/v1/neighbourhood/person:hub", params={"limit": 11}), "limit", "SIGHTLINE_API_NEIGHBOURHOOD_LIMIT")
    _refused(analyst.get("/v1/neighbourhood/person:hub", params={"edge_limit": 16}), "edge_limit",
             "SIGHTLINE_API_NEIGHBOURHOOD_EDGE_LIMIT")
    _refused(analyst.get("/v1/neighbourhood/person:hub", params={"evidence_limit": 4}), "evidence_limit",
             "SIGHTLINE_API_EVIDENCE_LIMIT")


def test_search_pages_through_every_result_once(analyst: httpx.Client) -> None:
    seen: list[str] = []
    offset: int | None = 0
    pages = 0
    while offset is not None:
        page = analyst.get("/v1/entities", params={"q": "pagetest", "limit": 7, "offset": offset}).json()
        assert page["limit"] == 7 and page["offset"] == offset and len(page["results"]) <= 7 and not page["capped"]
        assert page["truncated"] == (page["next"] is not None)
        seen += [n["id"] for n in page["results"]]
        offset, pages = page["next"], pages + 1
    assert pages == 6 and len(seen) == len(set(seen)) == MEMBERS
    assert set(seen) == {f"person:p{i:02d}" for i in range(MEMBERS)}
    default = analyst.get("/v1/entities", params={"q": "pagetest"}).json()
    assert default["limit"] == 10 and len(default["results"]) == 10 and default["next"] == 10
    assert analyst.get("/v1/entities", params={"q": "Nobody Atall"}).json()["results"] == []
    _refused(analyst.get("/v1/entities", params={"q": "pagetest", "limit": 11}), "limit", "SIGHTLINE_API_SEARCH_LIMIT")


def test_paths_are_capped(analyst: httpx.Client) -> None:
    route = {"source": "person:alpha", "target": "person:beta"}
    every = analyst.get("/v1/paths", params={**route, "mode": "all", "limit": 3}).json()
    assert len(every["paths"]) == 3 and every["truncated"] and (every["limit"], every["cutoff"]) == (3, 3)
    assert all(p["length"] == 2 and p["nodes"][1]["name"].startswith("Middle Person") for p in every["paths"])
    shortest = analyst.get("/v1/paths", params=route).json()
    assert len(shortest["paths"]) == 1 and not shortest["truncated"]
    _refused(analyst.get("/v1/paths", params={**route, "mode": "all", "limit": 4}), "limit", "SIGHTLINE_API_PATHS_LIMIT")
    _refused(analyst.get("/v1/paths", params={**route, "mode": "all", "cutoff": 4}), "cutoff", "SIGHTLINE_API_PATH_MAX_HOPS")


@pytest.mark.parametrize("kind", KINDS)
def test_both_stores_bound_alike(kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> None:
    uri = request.getfixturevalue("neo4j_uri") if kind == "neo4j" else None
    store: GraphStore = fresh_store(kind, tmp_path_factory.mktemp(f"bounds-{kind}"), uri)
    try:
        nodes, edges = _graph()
        store.transact(lambda ops: (ops.put_nodes(nodes), ops.put_edges(edges)))
        sub = store.neighbourhood("person:hub", depth=2, limit=MEMBERS + 1, edge_limit=MEMBERS + 5, evidence_limit=2)
        assert len(sub.nodes) == MEMBERS + 1 and not sub.truncated and sub.edges_truncated
        # every spanning relationship first (the hub's 40), then the chain by id
        assert [e.id for e in sub.edges] == sorted([e.id for e in edges if e.source == "person:hub"] +
                                                   [f"ASSOCIATED_WITH:person:p{i - 1:02d}:person:p{i:02d}" for i in range(1, 6)])
        assert sub.evidence_totals == {e.id: EVIDENCE for e in edges if e.source == "person:hub"}
        assert all([x.confidence for x in e.evidence] == [0.5 + 7 / 100, 0.5 + 6 / 100] for e in sub.edges if e.source == "person:hub")
        seen = []
        for offset in range(0, MEMBERS, 15):
            seen += [n.id for n in store.search_page("pagetest member", labels=[m.PERSON], limit=15, offset=offset).nodes]
        assert len(seen) == len(set(seen)) == MEMBERS and set(seen) == {f"person:p{i:02d}" for i in range(MEMBERS)}
        capped = store.search_page("pagetest", limit=5, scan=10)
        assert len(capped.nodes) == 5 and capped.more and capped.capped
        assert store.search_page("pagetest", labels=[m.PHONE]).nodes == []
    finally:
        if kind == "neo4j":
            from tests.stores import wipe_neo4j
            wipe_neo4j(str(uri))
        store.close()
