"""The report's figures: corridors on a map of the shipped country outlines, labels that never overlap, and
two records that may be one person shown as such.

The sample tests ingest the 64 sample narratives with the real extractor into a fresh embedded store, run
the real analysis and draw the report's figures from it, as ``sightline report`` does; the others build
small graphs by hand so each property is checked on its own. Nothing is mocked: every box is measured by
matplotlib's own renderer after the figure is drawn.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from graph.analysis import analyse
from graph.analysis.results import AnalysisResult, Community, Corridor
from graph.model import POSSIBLY_SAME_AS, location_node_id, person_node_id
from graph.pipeline.ingest import ingest
from graph.stores.factory import open_store
from intake.sources import open_source
from nlp import Extractor
from reports import figures as figs
from reports import maps, sections
from reports.labels import LABEL_GID, LEADER_GID, place_labels
from reports.pseudonyms import Pseudonymiser
from reports.render import render_report

KEY = "figure-test-key"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def _label_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Pixel boxes of the visible placed labels, measured afresh from the drawn figure."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_gid() == LABEL_GID and t.get_visible() and t.get_text()]


def _overlapping(boxes: list[tuple[str, Bbox]]) -> list[tuple[str, str]]:
    return [(a, b) for (a, p), (b, q) in combinations(boxes, 2)
            if p.x0 < q.x1 and q.x0 < p.x1 and p.y0 < q.y1 and q.y0 < p.y1]


# -- the country outlines ---------------------------------------------------------------------------------

def test_topojson_arcs_are_delta_decoded_and_reversed() -> None:
    topology = {
        "type": "Topology", "transform": {"scale": [0.5, 2.0], "translate": [10.0, -5.0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "001", "properties": {"name": "Square"}, "arcs": [[0, 1]]},
            {"type": "MultiPolygon", "id": "002", "properties": {"name": "Back"}, "arcs": [[[~1]]]}]}},
    }
    square, back = maps.decode_countries(topology)
    # arc 0: (0,0) (2,0) (2,2) quantised -> (10,-5) (11,-5) (11,-1); arc 1 continues without repeating (2,2)
    assert square.polygons == [[[(10.0, -5.0), (11.0, -5.0), (11.0, -1.0), (10.0, -1.0), (10.0, -5.0)]]]
    assert back.polygons == [[[(10.0, -5.0), (10.0, -1.0), (11.0, -1.0)]]]  # ~1: arc 1 reversed
    assert (square.id, square.name) == ("001", "Square")


def test_shipped_outlines_put_countries_where_they_are() -> None:
    countries = maps.outlines()
    assert len(countries) > 170
    shipped = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "world-atlas" / "countries-110m.json"
    own = Path(maps.__file__).parent / maps.OUTLINES
    assert json.loads(own.read_text()) == json.loads(shipped.read_text())  # the same file the workspace draws
    gb, fr, ru = maps.country_outline("GB"), maps.country_outline("FR"), maps.country_outline("RU")
    assert gb is not None and fr is not None and ru is not None and maps.country_outline("XK") is not None
    x0, y0, x1, y1 = gb.bbox()
    assert x0 < -0.13 < x1 and y0 < 51.5 < y1  # London lies in the UK's outline box
    cx, cy = fr.centre()
    assert -2 < cx < 6 and 44 < cy < 49  # mainland France, not French Guiana
    assert ru.bbox()[2] - ru.bbox()[0] > 300  # crosses the antimeridian: must be unwrapped to draw


def test_places_are_positioned_from_the_gazetteer_packages() -> None:
    lon, lat, exact = maps.place_point("London", "GB")
    assert exact and abs(lon + 0.13) < 0.2 and abs(lat - 51.5) < 0.2
    lon, lat, exact = maps.place_point("Hull", "GB")  # an alternate name of Kingston upon Hull
    assert exact and abs(lon + 0.33) < 0.2 and abs(lat - 53.74) < 0.2
    lon, lat, exact = maps.place_point("Poland", "PL")  # a country: the centre of its outline
    assert exact and 15 < lon < 24 and 49 < lat < 55
    lon, lat, exact = maps.place_point("Nowhereville", "RO")
    assert not exact and 20 < lon < 30 and 43 < lat < 48.5  # in Romania, and said to be approximate
    assert maps.place_point("London", None) is None and maps.place_point("London", "xx") is None
    assert maps.country_of_node(location_node_id("London", "GB")) == "GB"
    assert maps.country_of_node(location_node_id("Somewhere", None)) is None


# -- the corridor map -------------------------------------------------------------------------------------

def _corridor(origin: tuple[str, str | None], destination: tuple[str, str | None], people: int) -> Corridor:
    return Corridor(origin=location_node_id(*origin), destination=location_node_id(*destination),
                    origin_name=origin[0], destination_name=destination[0], people=people, legs=people, modes={},
                    period=[], narratives=["s001"])


def test_corridor_map_draws_outlines_and_places_at_their_coordinates() -> None:
    corridors = [_corridor(("Constanta", "RO"), ("London", "GB"), 5), _corridor(("Bucharest", "RO"), ("Constanta", "RO"), 2),
                 _corridor(("Nowhere", None), ("London", "GB"), 1)]
    namer = Pseudonymiser(KEY)
    drawn = maps.draw_corridor_map(corridors, namer)
    assert drawn is not None and len(drawn.panels) == 1  # one region: no close-up
    assert drawn.countries == ["GB", "RO"] and drawn.unplaced == ["Nowhere"]
    london = drawn.places[location_node_id("London", "GB")]
    assert abs(london[0] + 0.13) < 0.2 and abs(london[1] - 51.5) < 0.2
    ax = drawn.figure.axes[0]
    lon0, lat0, lon1, lat1 = drawn.panels[0].extent
    assert ax.get_xlim() == (lon0, lon1) and ax.get_ylim() == (lat0, lat1)
    for lon, lat, _ in drawn.places.values():
        assert lon0 < lon < lon1 and lat0 < lat < lat1
    assert lon1 - lon0 < 60  # zoomed to the corridors, not the world
    assert len([p for p in ax.patches if isinstance(p, PathPatch)]) > 10  # country outlines
    markers = sorted(tuple(float(v) for v in c.get_offsets()[0]) for c in ax.collections)
    assert sorted((lon, lat) for lon, lat, _ in drawn.places.values()) == markers
    assert drawn.panels[0].arrows == 2
    texts = {t.get_text() for t in drawn.figure.findobj(Text)}
    assert {"London", "Constanta", "Bucharest", "5", "2"} <= texts and "Not on the map" in " ".join(texts)
    assert not _overlapping(_label_boxes(drawn.figure))


def test_corridor_map_is_byte_identical_for_the_same_corridors() -> None:
    corridors = [_corridor(("Lagos", "NG"), ("London", "GB"), 4), _corridor(("Calais", "FR"), ("London", "GB"), 3),
                 _corridor(("Paris", "FR"), ("Calais", "FR"), 3), _corridor(("Berlin", "DE"), ("Paris", "FR"), 2)]
    namer = Pseudonymiser(KEY)
    first, second = figs.corridor_figure(corridors, namer), figs.corridor_figure(corridors, namer)
    assert first is not None and first.startswith(b"\x89PNG") and first == second
    assert figs.corridor_figure(corridors[:3], namer) != first
    assert figs.corridor_figure([], namer) is None
    drawn = maps.draw_corridor_map(corridors, namer)
    assert drawn is not None and len(drawn.panels) == 2  # Lagos to Europe: an overview and a close-up
    assert set(drawn.panels[1].labelled) == {location_node_id(n, c) for n, c in
                                             (("London", "GB"), ("Calais", "FR"), ("Paris", "FR"), ("Berlin", "DE"))}


def test_a_place_the_leak_guard_rewrites_is_not_put_on_the_map() -> None:
    G = nx.MultiDiGraph()
    victim = person_node_id("florentina")
    G.add_node(victim, label="Person", name="Florentina", roles={"victim": 1})
    for name in ("Florentina", "Rome", "Milan"):
        G.add_node(location_node_id(name, "IT"), label="Location", name=name, country="IT")
    corridors = [_corridor(("Florentina", "IT"), ("Rome", "IT"), 3), _corridor(("Milan", "IT"), ("Rome", "IT"), 2)]
    namer = Pseudonymiser(KEY, graph=G)
    drawn = maps.draw_corridor_map(corridors, namer)
    assert drawn is not None and location_node_id("Florentina", "IT") not in drawn.places
    texts = " ".join(t.get_text() for t in drawn.figure.findobj(Text))
    assert "florentina" not in texts.lower() and namer.token(victim) in texts
    bare = maps.draw_corridor_map(corridors, Pseudonymiser(KEY, graph=G.subgraph([victim]).copy()))
    assert bare is not None  # places the report knows nothing about: labelled from the corridor, guarded
    assert "florentina" not in " ".join(t.get_text() for t in bare.figure.findobj(Text)).lower()


# -- labels -----------------------------------------------------------------------------------------------

def test_labels_on_one_point_are_spread_out_with_leader_lines() -> None:
    fig = Figure(figsize=(6.4, 4.6))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    texts = [ax.text(5, 5, f"label number {i}", fontsize=7, gid=LABEL_GID) for i in range(24)]
    before = _label_boxes(fig)
    assert len(_overlapping(before)) > 200  # the test can fail: stacked on one point they all collide
    placement = place_labels(ax, texts, [(5.0, 5.0)] * len(texts), clearances=6.0)
    assert not placement.hidden and placement.moved == 23
    assert not _overlapping(_label_boxes(fig))
    assert any(line.get_gid() == LEADER_GID for line in ax.lines)


def test_labels_without_room_are_left_out_not_stacked() -> None:
    fig = Figure(figsize=(1.0, 0.5))
    ax = fig.add_axes((0, 0, 1, 1))
    texts = [ax.text(0.5, 0.5, f"a long label {i}", fontsize=9) for i in range(6)]
    placement = place_labels(ax, texts, [(0.5, 0.5)] * 6)
    assert placement.hidden and not _overlapping(_label_boxes(fig))


# -- one person in two records ----------------------------------------------------------------------------

def _two_records_graph() -> tuple[nx.MultiDiGraph, nx.Graph, Community]:
    G = nx.MultiDiGraph()
    andi_victim, andi_boss = person_node_id("andi victim"), person_node_id("andi boss")
    piotr, petru, other = person_node_id("piotr"), person_node_id("petru"), person_node_id("other")
    people = {andi_victim: ("Andi", {"victim": 1}), andi_boss: ("Andi", {"controller": 2}),
              piotr: ("Piotr Nowak", {"recruiter": 1}), petru: ("Piotr Wisniewski", {"recruiter": 1}),
              other: ("Mara", {"witness": 1})}
    for node, (name, roles) in people.items():
        G.add_node(node, label="Person", name=name, roles=roles)
    G.add_edge(piotr, petru, type=POSSIBLY_SAME_AS, score=0.5, status="pending")
    G.add_edge(andi_boss, other, type=POSSIBLY_SAME_AS, score=0.4, status="rejected")
    P = nx.Graph()
    P.add_nodes_from(people)
    for u, v in ((andi_victim, piotr), (andi_boss, petru), (piotr, other), (petru, other), (andi_victim, other)):
        P.add_edge(u, v, weight=1.0)
    community = Community(id=0, members=sorted(people), size=5, businesses=[], phones=[], locations=[],
                          indicators={}, narratives=["s001"])
    return G, P, community


def test_two_records_of_one_person_are_ringed_and_linked() -> None:
    G, P, community = _two_records_graph()
    namer = Pseudonymiser(KEY, graph=G)
    andi_victim, andi_boss = person_node_id("andi victim"), person_node_id("andi boss")
    assert namer.label(andi_victim) == namer.label(andi_boss)  # the guard gives the named one the token
    matches = figs.possible_matches(G)
    assert matches == [tuple(sorted((person_node_id("piotr"), person_node_id("petru"))))]  # rejected: left out
    drawing = figs.draw_network(community, P, namer, matches=matches)
    assert drawing.same_person == sorted([tuple(sorted((andi_victim, andi_boss))), matches[0]])
    ax = drawing.figure.axes[0]
    links = [line for line in ax.lines if line.get_gid() == "same-person"]
    assert len(links) == 2 and all(line.get_linestyle() == "--" for line in links)
    ringed = [c for c in ax.collections if tuple(c.get_edgecolor()[0][:3]) != (1.0, 1.0, 1.0)]
    assert len(ringed) == 4  # both Andis, Piotr and Petru; not Mara
    texts = [t.get_text() for t in drawing.figure.findobj(Text)]
    assert texts.count("same person?") == 2
    assert any("same person?" in t for t in texts if t != "same person?")  # the legend entry
    legend = drawing.figure.legends[0]
    assert any(isinstance(h, Line2D) and h.get_linestyle() == "--" for h in legend.legend_handles)
    assert not _overlapping(_label_boxes(drawing.figure))


def test_a_network_without_duplicates_has_no_same_person_marks() -> None:
    G, P, _ = _two_records_graph()
    keep = [person_node_id("andi victim"), person_node_id("piotr"), person_node_id("other")]
    small = Community(id=1, members=sorted(keep), size=3, businesses=[], phones=[], locations=[], indicators={},
                      narratives=["s001"])
    drawing = figs.draw_network(small, P, Pseudonymiser(KEY, graph=G), matches=figs.possible_matches(G))
    assert drawing.same_person == []
    assert not [line for line in drawing.figure.axes[0].lines if line.get_gid() == "same-person"]
    assert "same person?" not in " ".join(t.get_text() for t in drawing.figure.findobj(Text))


# -- the sample report ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[tuple[nx.MultiDiGraph,
                                                                                          AnalysisResult]]:
    store = open_store(tmp_path_factory.mktemp("figures-home"))
    try:
        report = ingest(open_source(SAMPLES).submissions(200_000), store, extractor, batch_size=16)
        assert len(report.written) == 64
        G = store.project()
    finally:
        store.close()
    yield G, analyse(G, seed=7)


def test_sample_network_figures_have_no_overlapping_labels(sample: tuple[nx.MultiDiGraph, AnalysisResult]) -> None:
    G, analysis = sample
    namer = Pseudonymiser(KEY, nodes=analysis.nodes, graph=G)
    P, matches = figs.person_projection_of(G), figs.possible_matches(G)
    networks = [c for c in analysis.communities if c.size >= 2][:sections.MAX_NETWORKS]
    assert len(networks) >= 5
    marked = 0
    for community in networks:
        drawing = figs.draw_network(community, P, namer, matches=matches)
        boxes = _label_boxes(drawing.figure)
        assert len(boxes) >= min(len(drawing.labelled), 5), community.id
        assert not _overlapping(boxes), (community.id, _overlapping(boxes))
        marked += len(drawing.same_person)
    assert marked > 0  # the samples plant possible duplicates: some figure shows them


def test_sample_corridor_map(sample: tuple[nx.MultiDiGraph, AnalysisResult], tmp_path: Path) -> None:
    G, analysis = sample
    namer = Pseudonymiser(KEY, nodes=analysis.nodes, graph=G)
    drawn = maps.draw_corridor_map(analysis.corridors, namer, limit=figs.MAX_CORRIDORS)
    assert drawn is not None and len(drawn.places) >= 10 and {"GB", "RO"} <= set(drawn.countries)
    assert not _overlapping(_label_boxes(drawn.figure))
    paths = render_report(analysis, G, tmp_path, pseudonym_key=KEY, formats=("md",))
    png = (paths["figures"] / "corridors.png").read_bytes()
    assert png == figs.corridor_figure(analysis.corridors, namer)
