"""Report figures as PNG bytes: a network per community, the corridors, indicator counts, a timeline.

Figures are drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas, never through ``pyplot``:
no global backend, no state shared between reports, safe in a server. Every layout is seeded and every
node and edge is added in sorted order, so the same analysis draws the same picture. Every label goes
through the ``Pseudonymiser``: a figure is as public as the text around it.

Labels are placed by ``reports.labels`` so that none covers another; the corridors are drawn on a map of
the country outlines by ``reports.maps``; two nodes that may be one person in two records (the same label,
or a pending ``POSSIBLY_SAME_AS`` match) are ringed and joined by a dashed "same person?" link.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateFormatter, AutoDateLocator, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke
from matplotlib.ticker import MaxNLocator

from graph.analysis.results import Community, Corridor, NarrativeInfo
from graph.model import EXPLOITER_ROLES, PERSON, POSSIBLY_SAME_AS
from reports.labels import Placement, marker_box, place_labels, scatter_radius_px
from reports.maps import draw_corridor_map
from reports.pseudonyms import VICTIM, Pseudonymiser
from reports.vocabulary import indicator_label

DPI = 100
EXPLOITER_COLOUR = "#b03a2e"
VICTIM_COLOUR = "#2e86c1"
OTHER_COLOUR = "#95a5a6"
SAME_COLOUR = "#6c3483"  # ring and dashed link: possibly one person in two records
MAX_LABELLED = 25  # above this many people only the named and best-connected are labelled
MAX_CORRIDORS = 15
MAX_LINK_LABELS = 4  # "same person?" written on the dashed links only when there are this few
MAX_BARS = 16


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    # No "Software" entry: the bytes then depend on the picture, not on the matplotlib version.
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def person_projection_of(G: nx.MultiDiGraph) -> nx.Graph:
    """The weighted person projection the communities were detected on (``graph.analysis``).

    When ``graph.analysis.communities`` cannot be imported, direct relationships between people stand in
    for it, weight 1 each: the figure then shows fewer ties, never invented ones.
    """
    try:
        from graph.analysis.communities import person_projection
    except ImportError:  # pragma: no cover - only when the analysis package is absent
        H = nx.Graph()
        persons = sorted(n for n, d in G.nodes(data=True) if d.get("label") == PERSON)
        H.add_nodes_from(persons)
        wanted = set(persons)
        for u, v in sorted((u, v) for u, v in G.edges() if u in wanted and v in wanted and u != v):
            H.add_edge(u, v, weight=H.get_edge_data(u, v, {"weight": 0})["weight"] + 1)
        return H
    return person_projection(G)


def community_subgraph(community: Community, P: nx.Graph) -> nx.Graph:
    """The projection restricted to the community's members, rebuilt in sorted order (stable layouts)."""
    members = sorted(m for m in community.members if m in P)
    H = nx.Graph()
    H.add_nodes_from(members)
    for u, v, d in sorted(P.subgraph(members).edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        H.add_edge(u, v, weight=float(d.get("weight", 1.0)))
    return H


@dataclass(slots=True)
class NetworkDrawing:
    """A drawn network figure and what is on it (tests read this; the report only wants the PNG)."""

    figure: Figure
    positions: dict[str, tuple[float, float]]
    labelled: list[str]
    same_person: list[tuple[str, str]]  # pairs marked "same person?"
    labels: Placement = field(default_factory=Placement)


def possible_matches(G: nx.MultiDiGraph | None) -> list[tuple[str, str]]:
    """People pairs entity resolution linked as ``POSSIBLY_SAME_AS`` and nobody has rejected, sorted."""
    if G is None:
        return []
    pairs = {(min(u, v), max(u, v)) for u, v, d in G.edges(data=True)
             if d.get("type") == POSSIBLY_SAME_AS and d.get("status") != "rejected" and u != v}
    return sorted(pairs)


def same_person_pairs(members: Iterable[str], namer: Pseudonymiser,
                      matches: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Pairs of members that may be one person in two records.

    Two nodes printed with the same label (the leak guard gives a named node the token of a protected
    person whose name it carries; or two records of one name) look like one person to a reader and may be
    one; so may a pending ``POSSIBLY_SAME_AS`` pair. Each group of equal labels is chained, not paired
    all-to-all, so three records draw two links, not three.
    """
    wanted = sorted(set(members))
    by_label: dict[str, list[str]] = {}
    for n in wanted:
        by_label.setdefault(namer.label(n), []).append(n)
    pairs = {(group[i], group[i + 1]) for group in by_label.values() for i in range(len(group) - 1)}
    inside = set(wanted)
    pairs |= {(min(u, v), max(u, v)) for u, v in matches if u in inside and v in inside and u != v}
    return sorted(pairs)


def draw_network(community: Community, P: nx.Graph, namer: Pseudonymiser, *, seed: int = 7,
                 matches: Iterable[tuple[str, str]] = ()) -> NetworkDrawing:
    """Members as dots (colour by role, size by weighted degree), ties as lines (width by weight).

    Possible duplicates (``same_person_pairs``) get a purple ring and a dashed "same person?" link; labels
    are placed by ``reports.labels`` so that none covers another.
    """
    H = community_subgraph(community, P)
    pos = nx.spring_layout(H, seed=seed, weight="weight") if H.number_of_nodes() > 1 else {
        n: (0.0, 0.0) for n in H}
    pos = {n: (float(x), float(y)) for n, (x, y) in pos.items()}
    fig = Figure(figsize=(6.4, 4.6))
    ax = fig.add_axes((0.03, 0.1, 0.94, 0.8))
    ax.set_axis_off()
    xs, ys = [p[0] for p in pos.values()] or [0.0], [p[1] for p in pos.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    ax.set_xlim(min(xs) - 0.12 * span, max(xs) + 0.12 * span)
    ax.set_ylim(min(ys) - 0.1 * span, max(ys) + 0.1 * span)
    ax.set_autoscale_on(False)
    weights = [d["weight"] for _, _, d in H.edges(data=True)] or [1.0]
    top = max(weights)
    for u, v, d in H.edges(data=True):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        ax.plot([x1, x2], [y1, y2], color="#7f8c8d", linewidth=0.6 + 2.4 * d["weight"] / top, alpha=0.6, zorder=1)
    pairs = same_person_pairs(H.nodes, namer, matches)
    marked = {n for pair in pairs for n in pair}
    for u, v in pairs:
        (x1, y1), (x2, y2) = pos[u], pos[v]
        ax.plot([x1, x2], [y1, y2], color=SAME_COLOUR, linewidth=1.3, linestyle=(0, (4, 2)), zorder=1.8,
                gid="same-person")
    degree = dict(H.degree(weight="weight"))
    labelled = set(H.nodes) if H.number_of_nodes() <= MAX_LABELLED else (
        {n for n in H if not namer.is_masked(n)} | set(sorted(H, key=lambda n: (-degree[n], n))[:10]) | marked)
    sizes: dict[str, float] = {}
    for n in sorted(H.nodes):
        roles = namer.roles(n)
        colour = (VICTIM_COLOUR if VICTIM in roles else EXPLOITER_COLOUR if roles & EXPLOITER_ROLES
                  else OTHER_COLOUR)
        sizes[n] = 80 + 40 * min(degree.get(n, 0), 8)
        ax.scatter([pos[n][0]], [pos[n][1]], s=sizes[n], color=colour, zorder=2,
                   edgecolors=SAME_COLOUR if n in marked else "white", linewidths=2.0 if n in marked else 1.0)
    order = sorted(labelled, key=lambda n: (namer.is_masked(n), n not in marked, -degree.get(n, 0), n))
    texts = [ax.text(pos[n][0], pos[n][1], _short(namer.label(n)), fontsize=7, zorder=3,
                     path_effects=[withStroke(linewidth=2.5, foreground="white")]) for n in order]
    anchors = [pos[n] for n in order]
    radii = {n: scatter_radius_px(sizes[n], DPI) for n in H}
    clearances = [radii[n] + 2 for n in order]
    for u, v in pairs if len(pairs) <= MAX_LINK_LABELS else ():  # more would bury the names: the legend says it
        mid = ((pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2)
        texts.append(ax.text(mid[0], mid[1], "same person?", fontsize=6, style="italic", color=SAME_COLOUR,
                             zorder=3, path_effects=[withStroke(linewidth=2.5, foreground="white")]))
        anchors.append(mid)
        clearances.append(1.0)
    obstacles = [marker_box(ax, pos[n], radii[n]) for n in sorted(H)]
    placement = place_labels(ax, texts, anchors, clearances=clearances, obstacles=obstacles)
    suffix = ("", "", "") if namer.reveal_names else (" (named)", " (pseudonym)", " (pseudonym)")
    handles = [Line2D([], [], marker="o", linestyle="", color=colour, label=text)
               for colour, text in ((EXPLOITER_COLOUR, f"exploiting side{suffix[0]}"),
                                    (VICTIM_COLOUR, f"victim{suffix[1]}"),
                                    (OTHER_COLOUR, f"other / unknown role{suffix[2]}"))]
    if pairs:
        handles.append(Line2D([], [], color=SAME_COLOUR, linestyle=(0, (4, 2)), marker="o", markerfacecolor="white",
                              markeredgecolor=SAME_COLOUR, markeredgewidth=2.0,
                              label="same person? (same label or possible match)"))
    fig.legend(handles=handles, loc="lower center", ncol=2 if pairs else 3, fontsize=7, frameon=False)
    hidden = f"; {len(placement.hidden)} label(s) left out for lack of room" if placement.hidden else ""
    fig.suptitle(f"Community {community.id}: {community.size} people{hidden}", fontsize=10, y=0.96)
    return NetworkDrawing(fig, pos, order, pairs, placement)


def network_figure(community: Community, P: nx.Graph, namer: Pseudonymiser, *, seed: int = 7,
                   matches: Iterable[tuple[str, str]] = ()) -> bytes:
    """``draw_network`` as PNG bytes."""
    return _png(draw_network(community, P, namer, seed=seed, matches=matches).figure)


def corridor_figure(corridors: list[Corridor], namer: Pseudonymiser) -> bytes | None:
    """The busiest corridors on a map of the country outlines (``reports.maps``); None without corridors."""
    drawn = draw_corridor_map(corridors, namer, limit=MAX_CORRIDORS, dpi=DPI)
    return None if drawn is None else _png(drawn.figure)


def indicator_figure(indicators: Mapping[str, int]) -> bytes | None:
    items = sorted(indicators.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_BARS]
    if not items:
        return None
    items.reverse()  # barh draws bottom-up: most frequent on top
    fig = Figure(figsize=(6.4, 0.6 + 0.32 * len(items)))
    ax = fig.add_subplot()
    ax.barh([indicator_label(code) for code, _ in items], [n for _, n in items], color="#5d6d7e")
    ax.set_xlabel("narratives evidencing it")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title("Methods of control (HTCDS)", fontsize=10)
    fig.tight_layout()
    return _png(fig)


def parse_date(value: str | None) -> date | None:
    """ISO dates (``2019-11-12``, or just ``2019-11`` / ``2019``); anything else is undated."""
    if not value:
        return None
    text = str(value).strip()
    for candidate in (text[:10], text[:7] + "-01", text[:4] + "-01-01"):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    return None


def timeline_figure(narratives: list[NarrativeInfo]) -> bytes | None:
    """One lane per submitting organisation; a dot per date, its area growing with the narratives that day."""
    per_day = Counter((d, n.organisation or "unknown organisation")
                      for n in narratives if (d := parse_date(n.date)) is not None)
    if not per_day:
        return None
    lanes = sorted({org for _, org in per_day})
    per_lane: Counter[str] = Counter()
    for (_, org), n in per_day.items():
        per_lane[org] += n
    points = sorted(per_day.items())
    fig = Figure(figsize=(6.4, 1.1 + 0.35 * len(lanes)))
    ax = fig.add_subplot()
    ax.scatter([date2num(d) for (d, _), _ in points], [lanes.index(org) for (_, org), _ in points],
               s=[18 + 12 * min(n, 20) for _, n in points], color="#1f618d", alpha=0.7)
    ax.set_yticks(range(len(lanes)), [f"{_short(org, 32)} ({per_lane[org]})" for org in lanes], fontsize=7)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title("Narratives by date and submitting organisation", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(AutoDateFormatter(locator))
    fig.autofmt_xdate()
    fig.tight_layout()
    return _png(fig)
