"""Report figures as PNG bytes: a network per community, the corridors, indicator counts, a timeline.

Figures are drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas, never through ``pyplot``:
no global backend, no state shared between reports, safe in a server. Every layout is seeded and every
node and edge is added in sorted order, so the same analysis draws the same picture. Every label goes
through the ``Pseudonymiser``: a figure is as public as the text around it.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping
from datetime import date

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateFormatter, AutoDateLocator, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from graph.analysis.results import Community, Corridor, NarrativeInfo
from graph.model import EXPLOITER_ROLES, PERSON
from reports.pseudonyms import VICTIM, Pseudonymiser
from reports.vocabulary import indicator_label

DPI = 100
EXPLOITER_COLOUR = "#b03a2e"
VICTIM_COLOUR = "#2e86c1"
OTHER_COLOUR = "#95a5a6"
MAX_LABELLED = 25  # above this many people only the named and best-connected are labelled
MAX_CORRIDORS = 15
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


def network_figure(community: Community, P: nx.Graph, namer: Pseudonymiser, *, seed: int = 7) -> bytes:
    """Members as dots (colour by role, size by weighted degree), ties as lines (width by weight)."""
    H = community_subgraph(community, P)
    pos = nx.spring_layout(H, seed=seed, weight="weight") if H.number_of_nodes() > 1 else {
        n: (0.0, 0.0) for n in H}
    fig = Figure(figsize=(6.4, 4.6))
    ax = fig.add_subplot()
    ax.set_axis_off()
    weights = [d["weight"] for _, _, d in H.edges(data=True)] or [1.0]
    top = max(weights)
    for u, v, d in H.edges(data=True):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        ax.plot([x1, x2], [y1, y2], color="#7f8c8d", linewidth=0.6 + 2.4 * d["weight"] / top, alpha=0.6, zorder=1)
    degree = dict(H.degree(weight="weight"))
    labelled = set(H.nodes) if H.number_of_nodes() <= MAX_LABELLED else (
        {n for n in H if not namer.is_masked(n)} | set(sorted(H, key=lambda n: (-degree[n], n))[:10]))
    for n in sorted(H.nodes):
        roles = namer.roles(n)
        colour = (VICTIM_COLOUR if VICTIM in roles else EXPLOITER_COLOUR if roles & EXPLOITER_ROLES
                  else OTHER_COLOUR)
        x, y = pos[n]
        ax.scatter([x], [y], s=80 + 40 * min(degree.get(n, 0), 8), color=colour, edgecolors="white", zorder=2)
        if n in labelled:
            ax.annotate(_short(namer.label(n)), (x, y), xytext=(0, 9), textcoords="offset points",
                        ha="center", fontsize=7, zorder=3)
    suffix = ("", "", "") if namer.reveal_names else (" (named)", " (pseudonym)", " (pseudonym)")
    for colour, text in ((EXPLOITER_COLOUR, f"exploiting side{suffix[0]}"), (VICTIM_COLOUR, f"victim{suffix[1]}"),
                         (OTHER_COLOUR, f"other / unknown role{suffix[2]}")):
        ax.scatter([], [], color=colour, label=text)
    fig.legend(loc="lower center", ncol=3, fontsize=7, frameon=False)
    ax.set_title(f"Community {community.id}: {community.size} people", fontsize=10)
    ax.margins(0.15)
    return _png(fig)


def corridor_figure(corridors: list[Corridor], namer: Pseudonymiser, *, seed: int = 7) -> bytes | None:
    shown = corridors[:MAX_CORRIDORS]
    if not shown:
        return None
    D = nx.DiGraph()
    for k in sorted(shown, key=lambda k: (k.origin, k.destination)):
        D.add_edge(k.origin, k.destination, people=k.people)
    D = nx.DiGraph(sorted(D.edges(data=True)))
    pos = nx.spring_layout(D, seed=seed, k=1.2) if D.number_of_nodes() > 2 else nx.circular_layout(D)
    fig = Figure(figsize=(6.4, 4.6))
    ax = fig.add_subplot()
    ax.set_axis_off()
    top = max(d["people"] for _, _, d in D.edges(data=True)) or 1
    for u, v, d in sorted(D.edges(data=True)):
        width = 0.8 + 3.2 * d["people"] / top
        ax.annotate("", xy=pos[v], xytext=pos[u], zorder=1,
                    arrowprops={"arrowstyle": "-|>", "color": "#34495e", "lw": width, "shrinkA": 9, "shrinkB": 9,
                                "connectionstyle": "arc3,rad=0.12", "alpha": 0.75})
        mx, my = (pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2
        ax.text(mx, my, str(d["people"]), fontsize=7, color="#c0392b", ha="center", va="center", zorder=3)
    for n in sorted(D.nodes):
        x, y = pos[n]
        ax.scatter([x], [y], s=110, color="#f5b041", edgecolors="#7e5109", zorder=2)
        ax.annotate(_short(namer.label(n)), (x, y), xytext=(0, 9), textcoords="offset points", ha="center",
                    fontsize=7, zorder=3)
    ax.set_title("Route corridors (arrow width and red figure: travellers)", fontsize=10)
    ax.margins(0.15)
    return _png(fig)


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
