"""Analysis on real networkx graphs built by hand in the projection's shape (docs/graph.md).

The main fixture plants two networks that share a city and are bridged by one transporter:

- network A: recruiter Radu and controller Costel; victims Ioana, Maria, Elena exploited at the Golden
  Lotus (located in Ilford); Radu's phone; the victims travelled Constanta -> (Bucharest) -> London;
- network B: recruiter Viktor and exploiter Olena; victims Nadia, Katya, Sasha exploited at Green Acres
  Farm (in Boston); Nadia travelled Kyiv -> London;
- Dorin, a transporter, controlled Elena (A) and Sasha (B): the broker;
- Facebook and the police are linked to victims of both networks (not social ties);
- Pavel is mentioned in a narrative of his own and tied to nobody.
"""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest

from evaluation.synthetic_graph import synthetic_graph
from graph.analysis import (
    AnalysisResult, ExposureParams, all_simple_paths, analyse, brokers, corridor_graph, corridors, detect_communities,
    exposure, exposure_all, hotspots, key_actors, person_projection, shortest_path, social_view,
)
from graph.model import (
    ASSOCIATED_WITH, CONTROLLED, EXPLOITED_AT, LOCATED_IN, LOCATION, MENTIONED_IN, NARRATIVE, ORGANIZATION, PERSON,
    PHONE, POSSIBLY_SAME_AS, RECRUITED, TRAVELLED, USES_PHONE, WORKED_AT, edge_id,
)


class Builder:
    """Writes nodes and relationships exactly as ``store.project()`` documents them."""

    def __init__(self, G: nx.MultiDiGraph | None = None) -> None:
        self.G = nx.MultiDiGraph() if G is None else G
        self.narrative_nodes = {d["source_id"]: n for n, d in self.G.nodes(data=True) if d["label"] == NARRATIVE}

    def node(self, id_: str, label: str, name: str, **props: object) -> str:
        self.G.add_node(id_, label=label, name=name, **props)
        return id_

    def person(self, key: str, name: str, *roles: str) -> str:
        return self.node(f"person:{key}", PERSON, name, roles={r: 1 for r in roles}, aliases=[name], narrator=False)

    def org(self, key: str, name: str, kind: str = "business") -> str:
        return self.node(f"organization:{key}", ORGANIZATION, name, kind=kind)

    def place(self, country: str, key: str, name: str) -> str:
        return self.node(f"location:{country}:{key}", LOCATION, name, country=country.upper())

    def narrative(self, source: str, *codes: str, grading: str = "B2") -> str:
        exploitation = {"SexualExploitation", "ForcedLabour"}
        indicators = [{"code": c, "category": "type_of_exploitation" if c in exploitation else "method_of_control",
                       "cue": c.lower(), "sentence": f"{c} sentence.", "start": 0, "end": 10} for c in codes]
        node = self.node(f"narrative:{source:0>24}", NARRATIVE, source, source_id=source, organisation="NGO One",
                         date="2024-05-01", language="en", consent=True, grading=grading, indicators=indicators,
                         content_hash=source)
        self.narrative_nodes[source] = node
        return node

    def rel(self, type_: str, a: str, b: str, *narratives: str, confidence: float = 0.9, qualifier: str = "",
            **props: object) -> None:
        evidence = [{"narrative": n, "sentence": "...", "start": 0, "end": 3, "confidence": confidence}
                    for n in narratives]
        self.G.add_edge(a, b, key=edge_id(type_, a, b, qualifier), type=type_, narratives=sorted(narratives),
                        confidence=confidence, evidence=evidence, **props)

    def mention(self, source: str, *nodes: str) -> None:
        narrative = self.narrative_nodes[source]
        for n in nodes:
            self.rel(MENTIONED_IN, n, narrative, source, spans=[[0, 3]])

    def leg(self, traveller: str, destination: str, source: str, *, origin: str | None, via: list[str],
            mode: str | None, date: str | None, seq: int = 0) -> None:
        route = f"{self.narrative_nodes[source]}:r0"
        self.rel(TRAVELLED, traveller, destination, source, confidence=0.8, qualifier=f"{route}:{seq}",
                 route=route, seq=seq, origin=origin, via=via, mode=mode, date=date)


@pytest.fixture()
def two_networks() -> nx.MultiDiGraph:
    b = Builder()
    ra, ca = b.person("radu", "Radu", "recruiter"), b.person("costel", "Costel", "controller")
    va = [b.person(f"a{i}", n, "victim") for i, n in enumerate(("Ioana", "Maria", "Elena"), 1)]
    rb, xb = b.person("viktor", "Viktor", "recruiter"), b.person("olena", "Olena", "exploiter")
    vb = [b.person(f"b{i}", n, "victim") for i, n in enumerate(("Nadia", "Katya", "Sasha"), 1)]
    dorin = b.person("dorin", "Dorin", "transporter")
    pavel = b.person("pavel", "Pavel", "witness")
    lotus, farm = b.org("lotus", "Golden Lotus"), b.org("farm", "Green Acres Farm")
    facebook, police = b.org("facebook", "Facebook", "platform"), b.org("police", "Essex Police", "authority")
    ilford, boston = b.place("gb", "ilford", "Ilford"), b.place("gb", "boston", "Boston")
    london, kyiv = b.place("gb", "london", "London"), b.place("ua", "kyiv", "Kyiv")
    constanta, bucharest = b.place("ro", "constanta", "Constanta"), b.place("ro", "bucharest", "Bucharest")
    pa = b.node("phone:+40722415386", PHONE, "+40722415386", value="+40722415386", region="RO")
    pb = b.node("phone:+447700900123", PHONE, "+447700900123", value="+447700900123", region="GB")

    codes = {"s001": ("DebtBondage", "WithholdsDocuments", "SexualExploitation"),
             "s002": ("DebtBondage", "SexualExploitation"), "s003": ("PhysicalThreats",),
             "s004": ("RestrictsMovement", "ForcedLabour"),
             "s005": ("RestrictsMovement", "TakesEarnings", "ForcedLabour"),
             "s006": ("TakesEarnings",), "s007": (), "s008": (), "s009": ()}
    for source, cs in codes.items():
        b.narrative(source, *cs, grading="A1" if source == "s001" else "B2")

    for i, (victim, source) in enumerate(zip(va, ("s001", "s002", "s003"))):
        # Maria's story also says Radu recruited Ioana: two narratives behind that tie
        b.rel(RECRUITED, ra, victim, *(("s001", "s002") if i == 0 else (source,)), confidence=0.9)
        b.rel(CONTROLLED, ca, victim, source, confidence=0.8)
        b.rel(EXPLOITED_AT, victim, lotus, source, confidence=0.85)
        b.mention(source, victim, ra, ca, lotus, london, constanta)
        if i < 2:
            b.leg(victim, london, source, origin=constanta, via=[bucharest], mode="bus",
                  date=("March 2021", "April 2021")[i])
    b.leg(va[2], london, "s003", origin=constanta, via=[], mode="plane", date=None)
    b.leg(b.narrative_nodes["s003"], bucharest, "s003", origin=constanta, via=[], mode=None, date="May 2021", seq=1)
    b.rel(USES_PHONE, ra, pa, "s001", "s002", confidence=0.95)
    b.rel(LOCATED_IN, lotus, ilford, "s001", confidence=0.7)
    b.mention("s001", pa, ilford, bucharest)
    b.rel(ASSOCIATED_WITH, va[0], facebook, "s001", confidence=0.9)
    b.rel(ASSOCIATED_WITH, va[2], police, "s003", confidence=0.9)

    for i, (victim, source) in enumerate(zip(vb, ("s004", "s005", "s006"))):
        b.rel(RECRUITED, rb, victim, *(("s004", "s005") if i == 0 else (source,)), confidence=0.9)
        b.rel(CONTROLLED, xb, victim, source, confidence=0.8)
        b.rel(EXPLOITED_AT, victim, farm, source, confidence=0.85)
        b.mention(source, victim, rb, xb, farm)
    b.rel(USES_PHONE, rb, pb, "s004", confidence=0.95)
    b.rel(USES_PHONE, xb, pb, "s005", confidence=0.9)
    b.rel(LOCATED_IN, farm, boston, "s004", confidence=0.7)
    b.leg(vb[0], london, "s004", origin=kyiv, via=[], mode="plane", date="2022")
    b.mention("s004", london, kyiv, boston, pb)
    b.rel(ASSOCIATED_WITH, vb[0], facebook, "s004", confidence=0.9)
    b.rel(ASSOCIATED_WITH, vb[2], police, "s006", confidence=0.9)

    b.rel(CONTROLLED, dorin, va[2], "s007", confidence=0.7)
    b.rel(CONTROLLED, dorin, vb[2], "s008", confidence=0.7)
    b.mention("s007", dorin, va[2])
    b.mention("s008", dorin, vb[2])
    b.mention("s009", pavel)
    return b.G


A = ["person:a1", "person:a2", "person:a3", "person:costel", "person:radu"]
B = ["person:b1", "person:b2", "person:b3", "person:olena", "person:viktor"]


# --- social view -------------------------------------------------------------------------------------------

def test_social_view_drops_bookkeeping_and_non_social_organisations(two_networks: nx.MultiDiGraph) -> None:
    S = social_view(two_networks)
    assert "organization:facebook" not in S and "organization:police" not in S
    assert not any(d["label"] == NARRATIVE for _, d in S.nodes(data=True))
    # one folded edge per pair, with sorted types, the union of narratives and the highest confidence
    assert S["person:radu"]["phone:+40722415386"] == {"types": ["USES_PHONE"], "narratives": ["s001", "s002"],
                                                       "confidence": 0.95}
    # a leg ties its traveller to the destination and to the origin, never to a via place
    assert S.has_edge("person:a1", "location:gb:london") and S.has_edge("person:a1", "location:ro:constanta")
    assert not S.has_edge("person:a1", "location:ro:bucharest")
    # MENTIONED_IN is not a tie: Pavel is alone
    assert S.degree("person:pavel") == 0


def test_social_view_folds_parallel_relationships_and_only_confirmed_same_as(two_networks: nx.MultiDiGraph) -> None:
    G = two_networks
    b = Builder(G)
    b.rel(ASSOCIATED_WITH, "person:a1", "person:radu", "s009", confidence=0.4)
    G.add_edge("person:pavel", "person:b2", key="same-1", type=POSSIBLY_SAME_AS, narratives=[], confidence=0.0,
               evidence=[], score=0.8, reason="name", status="pending")
    G.add_edge("person:pavel", "person:b1", key="same-2", type=POSSIBLY_SAME_AS, narratives=[], confidence=0.0,
               evidence=[], score=0.9, reason="name", status="confirmed")
    S = social_view(G)
    assert S["person:a1"]["person:radu"] == {"types": ["ASSOCIATED_WITH", "RECRUITED"],
                                             "narratives": ["s001", "s002", "s009"], "confidence": 0.9}
    assert not S.has_edge("person:pavel", "person:b2")
    assert S["person:pavel"]["person:b1"]["confidence"] == 1.0


# --- projection and communities ------------------------------------------------------------------------------

def test_projection_weights_and_places_do_not_create_ties(two_networks: nx.MultiDiGraph) -> None:
    P = person_projection(two_networks)
    assert sorted(P) == sorted([*A, *B, "person:dorin", "person:pavel"])
    assert P.degree("person:pavel") == 0
    # Ioana and Nadia share London (and Facebook, not social): no tie
    assert not P.has_edge("person:a1", "person:b1")
    # Radu-Maria: a direct relation in one narrative (2.0) + co-mention in s002, which mentions three
    # persons (1/log2(4)); Radu-Ioana's relation rests on two narratives (2 x 2.0)
    assert "location:ro:constanta" not in P  # places are shared neighbours, not nodes
    assert P["person:radu"]["person:a2"]["weight"] == pytest.approx(2.0 + 1.0 / math.log2(4))
    assert P["person:radu"]["person:a1"]["weight"] == pytest.approx(4.0 + 1.0 / math.log2(4))
    # Ioana-Maria: Golden Lotus (1.5/log2(4)), and Constanta and London reinforcing that tie
    # (0.25/log2(1+k) each, k = persons tied to the place: 3 for Constanta, 4 for London with Nadia)
    constanta_k, london_k = 3, 4
    expected = 1.5 / math.log2(4) + 0.25 / math.log2(1 + constanta_k) + 0.25 / math.log2(1 + london_k)
    assert P["person:a1"]["person:a2"]["weight"] == pytest.approx(expected)
    assert P["person:a1"]["person:a2"]["distance"] == pytest.approx(1 / expected)
    # letting places create ties glues the networks through London
    glued = person_projection(two_networks, places_create_ties=True)
    assert glued.has_edge("person:a1", "person:b1")
    with pytest.raises(ValueError, match="unknown projection weight"):
        person_projection(two_networks, {"city": 1.0})


def test_communities_recover_the_planted_networks(two_networks: nx.MultiDiGraph) -> None:
    P = person_projection(two_networks)
    communities, partition, q = detect_communities(P, G=two_networks)
    big = [c for c in communities if c.size > 1]
    assert len(big) == 2
    groups = [set(c.members) - {"person:dorin"} for c in big]
    assert sorted(map(sorted, groups)) == [A, B]
    assert communities[-1].members == ["person:pavel"]  # isolated persons stay, as singletons
    assert [c.id for c in communities] == list(range(len(communities)))
    assert big[0].size >= big[1].size
    assert q > 0.3
    a = next(c for c in big if "person:radu" in c.members)
    assert a.businesses == ["organization:lotus"]
    assert a.phones == ["phone:+40722415386"]
    assert a.locations[:2] == ["location:gb:london", "location:ro:constanta"]  # three members each, by id
    assert a.indicators == {"DebtBondage": 2, "PhysicalThreats": 1, "WithholdsDocuments": 1}
    assert set(a.narratives) >= {"s001", "s002", "s003"}
    b_ = next(c for c in big if "person:viktor" in c.members)
    assert b_.indicators == {"RestrictsMovement": 2, "TakesEarnings": 2}
    assert partition["person:radu"] == a.id and partition["person:viktor"] == b_.id


@pytest.mark.parametrize("method", ["python-louvain", "networkx"])
def test_same_seed_same_communities(method: str) -> None:
    G = synthetic_graph(3000, seed=3)
    P = person_projection(G)
    first = detect_communities(P, seed=11, method=method, G=G)
    again = detect_communities(person_projection(G), seed=11, method=method, G=G)
    assert first == again
    assert len(first[0]) > 20


def test_unknown_method_is_a_clear_error(two_networks: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="unknown community method"):
        detect_communities(person_projection(two_networks), method="leiden")  # type: ignore[arg-type]


# --- actors and brokers ----------------------------------------------------------------------------------------

def test_key_actors_rank_the_recruiters_first(two_networks: nx.MultiDiGraph) -> None:
    P = person_projection(two_networks)
    communities, partition, _ = detect_communities(P, G=two_networks)
    actors = key_actors(P, partition, two_networks, top=3)
    by_community: dict[int, list] = {}
    for a in actors:
        by_community.setdefault(a.community, []).append(a)
    assert set(by_community) == {c.id for c in communities if c.size >= 3}
    tops = {group[0].node for group in by_community.values()}
    assert tops == {"person:radu", "person:viktor"}
    for group in by_community.values():
        assert len(group) == 3
        assert [g.score for g in group] == sorted((g.score for g in group), reverse=True)
        assert all(0.0 <= g.score <= 1.0 for g in group)
    radu = next(a for a in actors if a.node == "person:radu")
    assert radu.name == "Radu" and radu.roles == ["recruiter"]
    assert radu.score == pytest.approx(1.0)  # the highest degree, betweenness and PageRank of network A


def test_the_transporter_is_the_broker(two_networks: nx.MultiDiGraph) -> None:
    P = person_projection(two_networks)
    communities, partition, _ = detect_communities(P, G=two_networks)
    found = brokers(P, partition, G=two_networks)
    assert found[0].node == "person:dorin" and found[0].name == "Dorin"
    assert len(found[0].communities) == 2
    assert found[0].participation == pytest.approx(0.5)  # equal tie weight into both networks
    assert found[0].betweenness > max((b.betweenness for b in found[1:]), default=0.0)
    assert all(len(b.communities) >= 2 for b in found)


# --- paths -------------------------------------------------------------------------------------------------------

def test_shortest_path_is_the_strongest_of_the_shortest(two_networks: nx.MultiDiGraph) -> None:
    path = shortest_path(two_networks, "person:a2", "person:b2")
    assert path is not None and path.length == 4
    # through London (travel, 0.8) and Nadia, then Nadia's recruiter (0.9 each way), not the farm (0.85)
    assert path.nodes == ["person:a2", "location:gb:london", "person:b1", "person:viktor", "person:b2"]
    first = path.hops[0]
    assert (first.source, first.target, first.type, first.narratives, first.confidence) == (
        "person:a2", "location:gb:london", "TRAVELLED", ["s002"], 0.8)
    assert path.hops[2].type == "RECRUITED"


def test_shortest_path_edge_cases(two_networks: nx.MultiDiGraph) -> None:
    assert shortest_path(two_networks, "person:pavel", "person:radu") is None
    same = shortest_path(two_networks, "person:radu", "person:radu")
    assert same is not None and same.nodes == ["person:radu"] and same.hops == []
    with pytest.raises(nx.NodeNotFound):
        shortest_path(two_networks, "person:radu", "organization:facebook")


def test_all_simple_paths_respect_cutoff_and_limit(two_networks: nx.MultiDiGraph) -> None:
    paths = all_simple_paths(two_networks, "person:a2", "person:b2", cutoff=4)
    assert {tuple(p.nodes[2:4]) for p in paths} == {("person:b1", "person:viktor"), ("person:b1", "person:olena"),
                                                   ("person:b1", "organization:farm")}
    assert all(p.nodes[1] == "location:gb:london" for p in paths)
    strengths = [math.prod(h.confidence for h in p.hops) for p in paths]
    assert strengths == sorted(strengths, reverse=True)
    longer = all_simple_paths(two_networks, "person:a2", "person:b2", cutoff=6, limit=500)
    assert any("person:dorin" in p.nodes for p in longer)
    assert all(p.length <= 6 for p in longer)
    assert [p.length for p in longer] == sorted(p.length for p in longer)
    assert len(all_simple_paths(two_networks, "person:a2", "person:b2", cutoff=6, limit=2)) == 2
    assert all_simple_paths(two_networks, "person:pavel", "person:radu") == []


# --- corridors and hotspots -------------------------------------------------------------------------------------

def test_corridors_split_legs_into_segments(two_networks: nx.MultiDiGraph) -> None:
    found = corridors(two_networks)
    pairs = [(c.origin, c.destination) for c in found]
    assert pairs == [("location:ro:constanta", "location:ro:bucharest"),
                     ("location:ro:bucharest", "location:gb:london"),
                     ("location:ro:constanta", "location:gb:london"),
                     ("location:ua:kyiv", "location:gb:london")]
    first = found[0]
    # Ioana and Maria by bus, plus the unknown travellers of s003 (one per narrative)
    assert (first.people, first.legs, first.modes) == (3, 3, {"bus": 2, "unknown": 1})
    assert first.period == ["March 2021", "April 2021", "May 2021"]
    assert first.narratives == ["s001", "s002", "s003"]
    assert (first.origin_name, first.destination_name) == ("Constanta", "Bucharest")
    assert found[2].modes == {"plane": 1} and found[2].period == []
    D = corridor_graph(found)
    assert D["location:ro:constanta"]["location:ro:bucharest"]["people"] == 3
    assert D.nodes["location:gb:london"]["name"] == "London"


def test_hotspots_rank_places_and_businesses_by_victims(two_networks: nx.MultiDiGraph) -> None:
    found = hotspots(two_networks)
    by_node = {h.node: h for h in found}
    london = found[0]
    assert london.node == "location:gb:london"
    # four travellers, indicators of s001-s004 (3 + 2 + 1 + 2 entries)
    assert (london.victims, london.indicators, london.score) == (4, 8, pytest.approx(4.8))
    lotus = by_node["organization:lotus"]
    assert (lotus.victims, lotus.indicators, lotus.narratives) == (3, 6, ["s001", "s002", "s003"])
    assert lotus.score == pytest.approx(3.6)
    # Ilford takes the Golden Lotus's victims through LOCATED_IN
    assert by_node["location:gb:ilford"].victims == 3
    # Boston is co-mentioned with Nadia only, and the farm's victims reach it through LOCATED_IN
    assert by_node["location:gb:boston"].victims == 3
    assert "organization:facebook" not in by_node and "organization:police" not in by_node
    assert [h.score for h in found] == sorted((h.score for h in found), reverse=True)
    assert len(hotspots(two_networks, top=2)) == 2


def test_co_mention_counts_half() -> None:
    b = Builder()
    victim = b.person("v", "Vera", "victim")
    town = b.place("gb", "hull", "Hull")
    b.narrative("s001", "DebtBondage")
    b.mention("s001", victim, town)
    (h,) = hotspots(b.G)
    assert (h.node, h.victims, h.indicators, h.score) == (town, 1, 1, pytest.approx(0.5 + 0.1))


# --- exposure ----------------------------------------------------------------------------------------------------

@pytest.fixture()
def worked_example() -> nx.MultiDiGraph:
    """docs/exposure.md's worked example.

    Ana -(0.8)- Filip -(0.5)- Vera (victim); Ana -(0.9)- Mira -(0.7)- Vera; Vera -(0.9)- Blue Bar (exploited
    at); Rob (recruiter) -(0.6)- Vera; Ana and Rob both on Facebook; Wanda (victim) worked at Blue Bar (0.5).
    """
    b = Builder()
    ana, filip, mira = b.person("ana", "Ana"), b.person("filip", "Filip"), b.person("mira", "Mira")
    vera, rob = b.person("vera", "Vera", "victim"), b.person("rob", "Rob", "recruiter")
    wanda = b.person("wanda", "Wanda", "victim")
    bar, facebook = b.org("bar", "Blue Bar"), b.org("facebook", "Facebook", "platform")
    b.narrative("s001")
    b.narrative("s002")
    b.rel(ASSOCIATED_WITH, ana, filip, "s001", confidence=0.8)
    b.rel(ASSOCIATED_WITH, filip, vera, "s001", confidence=0.5)
    b.rel(ASSOCIATED_WITH, ana, mira, "s001", confidence=0.9)
    b.rel(ASSOCIATED_WITH, mira, vera, "s002", confidence=0.7)
    b.rel(EXPLOITED_AT, vera, bar, "s002", confidence=0.9)
    b.rel(RECRUITED, rob, vera, "s002", confidence=0.6)
    b.rel(ASSOCIATED_WITH, ana, facebook, "s001", confidence=0.9)
    b.rel(ASSOCIATED_WITH, rob, facebook, "s002", confidence=0.9)
    b.rel(WORKED_AT, wanda, bar, "s002", confidence=0.5)
    return b.G


def test_exposure_worked_example(worked_example: nx.MultiDiGraph) -> None:
    e = exposure(worked_example, "person:ana", ExposureParams())
    got = {c.target: c for c in e.contributions}
    assert list(got) == ["person:vera", "organization:bar", "person:rob"]  # largest first; Wanda is 4 hops away
    vera, bar, rob = got["person:vera"], got["organization:bar"], got["person:rob"]
    # Vera at 2 hops through Mira (0.9 * 0.7 = 0.63 beats 0.8 * 0.5 = 0.40 through Filip)
    assert (vera.target_kind, vera.distance, vera.path) == ("victim", 2, ["person:ana", "person:mira", "person:vera"])
    assert vera.strength == pytest.approx(0.63)
    assert vera.contribution == pytest.approx(1.0 * 0.5 * 0.63)  # 0.315
    assert vera.narratives == ["s001", "s002"]
    assert (bar.target_kind, bar.distance, bar.weight) == ("site", 3, 1.5)
    assert bar.contribution == pytest.approx(1.5 * 0.25 * 0.567)  # 0.212625
    # Rob is 3 hops away: Facebook is not a social tie, so the 2-hop path through it does not count
    assert (rob.target_kind, rob.distance) == ("exploiter", 3)
    assert rob.contribution == pytest.approx(2.0 * 0.25 * 0.378)  # 0.189
    assert e.raw == pytest.approx(0.716625)
    assert e.score == pytest.approx(1 - math.exp(-0.716625))  # 0.5116...
    assert e.name == "Ana"


def test_exposure_parameters_change_the_score(worked_example: nx.MultiDiGraph) -> None:
    four = exposure(worked_example, "person:ana", ExposureParams(max_hops=4))
    wanda = next(c for c in four.contributions if c.target == "person:wanda")
    assert (wanda.distance, wanda.strength) == (4, pytest.approx(0.567 * 0.5))
    assert four.raw == pytest.approx(0.716625 + 1.0 * 0.125 * 0.2835)
    heavy = exposure(worked_example, "person:ana", ExposureParams(weight_exploiter=4.0, decay=1.0))
    assert heavy.raw == pytest.approx(1.0 * 0.63 + 1.5 * 0.567 + 4.0 * 0.378)
    one = exposure(worked_example, "person:ana", ExposureParams(max_hops=1))
    assert one.raw == 0.0 and one.score == 0.0 and one.contributions == []
    with pytest.raises(ValueError):
        ExposureParams(decay=0.0)
    with pytest.raises(ValueError):
        ExposureParams(max_hops=0)


def test_hubs_are_reached_but_not_passed_through(worked_example: nx.MultiDiGraph) -> None:
    b = Builder(worked_example)
    wash = b.org("wash", "Leeds Car Wash")
    far = b.person("far", "Fay", "victim")
    b.rel(ASSOCIATED_WITH, "person:ana", wash, "s001", confidence=1.0)
    b.rel(ASSOCIATED_WITH, far, wash, "s002", confidence=1.0)
    through = exposure(b.G, "person:ana", ExposureParams())
    assert any(c.target == far and c.path == ["person:ana", wash, far] for c in through.contributions)
    hub = exposure(b.G, "person:ana", ExposureParams(max_degree=1))
    assert not any(c.target == far for c in hub.contributions)


def test_places_are_targets_but_not_stepping_stones(worked_example: nx.MultiDiGraph) -> None:
    b = Builder(worked_example)
    city = b.place("gb", "leeds", "Leeds")
    far = b.person("far", "Fay", "recruiter")
    b.rel(EXPLOITED_AT, "person:vera", city, "s002", confidence=1.0)  # Leeds is a site
    b.leg("person:ana", city, "s001", origin=None, via=[], mode="car", date=None)
    b.leg(far, city, "s002", origin=None, via=[], mode="car", date=None)
    default = {c.target: c for c in exposure(b.G, "person:ana").contributions}
    assert default[city].target_kind == "site" and default[city].distance == 1
    assert default[city].contribution == pytest.approx(1.5 * 0.8)
    assert far not in default  # travelling to the same city is not a social tie
    allowed = {c.target: c for c in exposure(b.G, "person:ana", ExposureParams(through_places=True)).contributions}
    assert allowed[far].distance == 2 and allowed[far].path == ["person:ana", city, far]


def test_exposure_all_skips_the_exploiting_side_and_orders_by_score(worked_example: nx.MultiDiGraph) -> None:
    everyone = exposure_all(worked_example)
    people = [e.person for e in everyone]
    assert "person:rob" not in people
    assert set(people) == {"person:ana", "person:filip", "person:mira", "person:vera", "person:wanda"}
    assert [e.score for e in everyone] == sorted((e.score for e in everyone), reverse=True)
    vera = next(e for e in everyone if e.person == "person:vera")
    assert all(c.target != "person:vera" for c in vera.contributions)  # never a target of herself
    ana = next(e for e in everyone if e.person == "person:ana")
    assert ana == exposure(worked_example, "person:ana")
    trimmed = exposure_all(worked_example, keep=1)
    assert all(len(e.contributions) <= 1 for e in trimmed)
    assert [e.raw for e in trimmed] == [e.raw for e in everyone]
    with pytest.raises(ValueError, match="not a Person"):
        exposure(worked_example, "organization:bar")


# --- the whole analysis -----------------------------------------------------------------------------------------

def test_analyse_fills_every_section_and_round_trips_through_json(two_networks: nx.MultiDiGraph) -> None:
    result = analyse(two_networks, resolution=1.0, seed=7, method="python-louvain", top_actors=3,
                     exposure_params=ExposureParams(decay=0.4))
    assert result.method == "python-louvain" and result.modularity > 0.3
    assert result.parameters["seed"] == 7 and result.parameters["exposure"]["decay"] == 0.4
    assert result.communities and result.actors and result.brokers and result.corridors and result.hotspots
    assert result.indicators == {"DebtBondage": 2, "RestrictsMovement": 2, "TakesEarnings": 2,
                                 "PhysicalThreats": 1, "WithholdsDocuments": 1}
    assert result.exploitation == {"ForcedLabour": 2, "SexualExploitation": 2}
    s001 = next(n for n in result.narratives if n.id == "s001")
    assert (s001.grading, s001.organisation, s001.exploitation) == ("A1", "NGO One", ["SexualExploitation"])
    assert len(result.narratives) == 9
    exposed = [e.person for e in result.exposure]
    assert "person:radu" not in exposed and "person:pavel" in exposed
    cited = {c.target for e in result.exposure for c in e.contributions} | {k.origin for k in result.corridors}
    assert cited <= set(result.nodes)
    assert result.nodes["person:a1"] == {"label": "Person", "name": "Ioana", "roles": ["victim"]}
    assert result.nodes["organization:lotus"]["label"] == "Organization"

    text = result.to_json()
    again = AnalysisResult.from_dict(json.loads(text))
    assert again == result
    assert again.to_json() == text
    assert again.corridors[0].modes == {"bus": 2, "unknown": 1}


def test_analyse_is_deterministic() -> None:
    G = synthetic_graph(2000, seed=5)
    one = analyse(G, seed=3, method="networkx")
    two = analyse(G, seed=3, method="networkx")
    assert one.to_json() == two.to_json()
    assert one.brokers == two.brokers


def test_one_persons_exposure_matches_the_full_run_on_a_larger_graph() -> None:
    G = synthetic_graph(2000, seed=9)
    S = social_view(G)
    params = ExposureParams(max_degree=20)  # small enough that the synthetic cities are hubs
    everyone = exposure_all(G, params, view=S)
    assert everyone[0].score > 0.5 and everyone[-1].score < everyone[0].score
    for e in everyone[::97]:
        assert exposure(G, e.person, params, view=S) == e


def test_analyse_bounds_listed_contributions_but_not_the_score(worked_example: nx.MultiDiGraph) -> None:
    full = analyse(worked_example, exposure_keep=None)
    bounded = analyse(worked_example, exposure_keep=1)
    assert bounded.parameters["exposure_keep"] == 1
    assert [e.raw for e in bounded.exposure] == [e.raw for e in full.exposure]
    assert max(len(e.contributions) for e in bounded.exposure) == 1 < max(len(e.contributions) for e in full.exposure)
