"""Place figure labels so that no two overlap, with a leader line to any label moved off its point.

Matplotlib draws a text where it is told, so a dense network or a map of neighbouring cities prints labels
on top of each other and neither can be read. After a figure's layout is final, ``place_labels`` measures
every label with the renderer (the real pixel box of the text in its font) and places the labels one by
one, most important first, at the first free spot of a fixed list of candidates around their point: right
above it, then the other sides, then rings further out. A spot is free when it lies inside the axes and
overlaps no label already placed (and, where possible, no marker). A label that finds no free spot within
the outermost ring is hidden and counted rather than printed over another one.

This is a greedy search, not a force simulation: it needs no new dependency, ends in a bounded number of
steps, and the candidate order is fixed, so the same figure always gives the same PNG bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox

LABEL_GID = "label"
LEADER_GID = "leader"
LEADER_COLOUR = "#566573"
PAD = 1.5  # pixels kept clear around each label
RINGS = 9
ANGLES = (90, 270, 0, 180, 45, 135, 315, 225, 60, 120, 300, 240, 20, 160, 340, 200)  # degrees, up first


@dataclass(slots=True)
class Placement:
    """What ``place_labels`` did: pixel boxes of the labels shown, how many moved and how many it hid."""

    boxes: list[Bbox] = field(default_factory=list)
    moved: int = 0
    hidden: list[str] = field(default_factory=list)


def _overlaps(a: Bbox, b: Bbox, pad: float = PAD) -> bool:
    return a.x0 < b.x1 + pad and b.x0 < a.x1 + pad and a.y0 < b.y1 + pad and b.y0 < a.y1 + pad


def _inside(box: Bbox, bounds: Bbox) -> bool:
    return box.x0 >= bounds.x0 and box.x1 <= bounds.x1 and box.y0 >= bounds.y0 and box.y1 <= bounds.y1


def _candidates(x: float, y: float, w: float, h: float, clearance: float) -> list[tuple[float, float, int]]:
    """Centres around (x, y), nearest first: each ring keeps the box's edge ``clearance`` + k steps away."""
    out: list[tuple[float, float, int]] = []
    step = max(h, 6.0)
    for ring in range(RINGS):
        gap = clearance + ring * step
        for angle in ANGLES:
            c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            out.append((x + c * (w / 2 + gap), y + s * (h / 2 + gap), ring))
    return out


def _leader(ax: Axes, anchor_px: tuple[float, float], box: Bbox, zorder: float) -> None:
    """A thin line from the point to the nearest edge of its label, in data coordinates."""
    x, y = anchor_px
    nx_, ny_ = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
    inverse = ax.transData.inverted()
    (x0, y0), (x1, y1) = inverse.transform([(x, y), (nx_, ny_)])
    line = ax.plot([x0, x1], [y0, y1], color=LEADER_COLOUR, linewidth=0.5, zorder=zorder)[0]
    line.set_gid(LEADER_GID)


def place_labels(ax: Axes, texts: Sequence[Text], anchors: Sequence[tuple[float, float]], *,
                 clearances: Sequence[float] | float = 5.0, obstacles: Sequence[Bbox] = (),
                 leader_zorder: float = 1.5) -> Placement:
    """Move ``texts`` (already added to ``ax``, in priority order) so that none overlaps another.

    ``anchors`` are the data points the labels belong to; ``clearances`` the pixel distance a label keeps
    from its point (the marker's radius and a little); ``obstacles`` pixel boxes of markers that labels
    should avoid when they can. Call it once the axes limits and the figure layout are final: it measures
    in pixels. Each label keeps ``LABEL_GID`` as its gid so a test can find and measure them again.
    """
    canvas = ax.figure.canvas if isinstance(ax.figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(ax.figure)
    renderer = canvas.get_renderer()
    ax.set_autoscale_on(False)  # leader lines must not move the limits the labels were measured against
    bounds = ax.get_window_extent(renderer)
    inverse = ax.transData.inverted()
    gaps = [float(clearances)] * len(texts) if isinstance(clearances, (int, float)) else list(clearances)
    result = Placement()
    placed: list[Bbox] = []
    for text, anchor, clearance in zip(texts, anchors, gaps, strict=True):
        text.set_gid(LABEL_GID)
        text.set_horizontalalignment("center")
        text.set_verticalalignment("center")
        size = text.get_window_extent(renderer)
        w, h = size.width, size.height
        x, y = ax.transData.transform(anchor)
        choice: tuple[float, float, int, int] | None = None
        for avoid_markers in (True, False):
            for index, (cx, cy, ring) in enumerate(_candidates(x, y, w, h, clearance)):
                box = Bbox.from_bounds(cx - w / 2, cy - h / 2, w, h)
                if not _inside(box, bounds) or any(_overlaps(box, other) for other in placed):
                    continue
                if avoid_markers and any(_overlaps(box, o, 0.0) for o in obstacles):
                    continue
                choice = (cx, cy, ring, index)
                break
            if choice is not None:
                break
        if choice is None:
            text.set_visible(False)
            result.hidden.append(text.get_text())
            continue
        cx, cy, ring, index = choice
        text.set_position(tuple(inverse.transform((cx, cy))))
        box = Bbox.from_bounds(cx - w / 2, cy - h / 2, w, h)
        placed.append(box)
        if index > 0:
            result.moved += 1
        if ring > 0:  # off the ring around its point: readers need the line to tell whose label it is
            _leader(ax, (x, y), box, leader_zorder)
    result.boxes = placed
    return result


def marker_box(ax: Axes, point: tuple[float, float], radius_px: float) -> Bbox:
    """The pixel box of a round marker of ``radius_px`` at a data point (an obstacle for labels)."""
    x, y = ax.transData.transform(point)
    return Bbox.from_bounds(x - radius_px, y - radius_px, 2 * radius_px, 2 * radius_px)


def scatter_radius_px(size_points2: float, dpi: float) -> float:
    """Radius in pixels of a scatter marker of area ``s`` (points squared)."""
    return math.sqrt(size_points2) / 2 * dpi / 72
