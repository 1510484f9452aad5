"""Safe, readable point labels for Plotly: escaping, and labels placed so that none covers another.

Placement works in screen space, estimated without a browser: a figure's plot area follows from
its height, an assumed width, its margins and its legend; a label's box from its font size (a
character about 0.6 x the font size wide, a line 1.2 x high), beside its marker. Labels are taken
greedily in priority order; each goes above its marker, else below, right or left, wherever its box
crosses no label placed before it (nor, on a small chart, any marker), and is skipped where none does. Written by hand because no plotting library does it: Plotly draws every text it is
given where it is given (its text has no collision handling), and the placing libraries (adjustText
and textalloc for matplotlib, ggrepel for R) move labels about with leader lines and measure text
with their own renderer, rather than choose which labels fit on a Plotly figure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Longer labels are shortened on the chart; the hover text keeps them whole.
MAX_LABEL_CHARACTERS = 28
#: Plotly's default font size, in px.
BASE_FONT = 12
#: Text box estimate, in multiples of the font size. Plotly's default font measured about 0.5 per
#: character in Chromium here (bold a little more), so 0.6 leaves a margin.
CHARACTER_WIDTH = 0.6
LINE_HEIGHT = 1.2
#: Width in px assumed for a chart whose real width only the browser knows (it fills its column):
#: about the picture column of a page at 1440 x 900 with the sidebar open. A wider chart spreads
#: points further apart, so labels placed for this width stay apart there too.
ASSUMED_WIDTH = 800
#: Extra space in px kept between two placed labels, so that they never touch.
LABEL_GAP = 2.0

#: Where a label may sit beside its marker, in order of preference (Plotly's ``textposition``).
TOP, BOTTOM, RIGHT, LEFT = "top center", "bottom center", "middle right", "middle left"
POSITIONS = (TOP, BOTTOM, RIGHT, LEFT)

_TAG = re.compile(r"<[^>]*>")


def plain(text: str) -> str:
    """Escape ``text`` so Plotly shows it literally (Plotly renders <b>, <a>, <br> …)."""
    return html.escape(str(text), quote=False)


def short(text: str, limit: int = MAX_LABEL_CHARACTERS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, then escaped."""
    text = str(text)
    return plain(text if len(text) <= limit else text[: limit - 1] + "…")


def shown_characters(text: str) -> int:
    """How many characters a Plotly text shows: tags dropped, entities such as ``&lt;`` counted once."""
    return len(html.unescape(_TAG.sub("", str(text))))


def label_boxes(anchors: np.ndarray, texts: Sequence[str], font_sizes: np.ndarray | float,
                marker_sizes: np.ndarray | float = 0.0,
                positions: Sequence[str] | np.ndarray | str = TOP) -> np.ndarray:
    """Screen boxes ``[k x 4]`` (left, bottom, right, top; px, y up) of labels beside their markers.

    ``anchors`` are the markers' screen positions ``[k x 2]``; ``positions`` Plotly text positions
    (one, or one per label) from ``POSITIONS``. Plotly draws text about a fifth of the font size
    beyond the marker's edge (measured in Chromium), centred on the marker along the other axis.
    """
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    k = len(anchors)
    fonts = np.broadcast_to(np.asarray(font_sizes, dtype=float), k)
    reach = np.broadcast_to(np.asarray(marker_sizes, dtype=float), k) / 2 + 0.2 * fonts
    widths = CHARACTER_WIDTH * fonts * np.array([shown_characters(text) for text in texts], dtype=float)
    heights = LINE_HEIGHT * fonts
    sides = np.broadcast_to(np.asarray(positions, dtype=object), k)
    x, y = anchors[:, 0], anchors[:, 1]
    middle = y + 0.1 * fonts  # text sits a little above the centre line (its descenders are below)
    left = np.select([sides == RIGHT, sides == LEFT], [x + reach, x - reach - widths], x - widths / 2)
    bottom = np.select([sides == TOP, sides == BOTTOM], [y + reach, y - reach - heights], middle - heights / 2)
    return np.column_stack([left, bottom, left + widths, bottom + heights])


def marker_boxes(anchors: np.ndarray, marker_sizes: np.ndarray | float) -> np.ndarray:
    """Screen boxes ``[k x 4]`` of markers of ``marker_sizes`` px centred on ``anchors``."""
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    half = np.broadcast_to(np.asarray(marker_sizes, dtype=float), len(anchors)) / 2
    return np.column_stack([anchors[:, 0] - half, anchors[:, 1] - half, anchors[:, 0] + half, anchors[:, 1] + half])


def _crosses(box: np.ndarray, others: np.ndarray, gap: float) -> bool:
    return bool(np.any((others[:, 0] < box[2] + gap) & (box[0] - gap < others[:, 2])
                       & (others[:, 1] < box[3] + gap) & (box[1] - gap < others[:, 3])))


def place_labels(anchors: np.ndarray, texts: Sequence[str], font_sizes: np.ndarray | float,
                 marker_sizes: np.ndarray | float = 0.0, budget: int | None = None,
                 obstacles: np.ndarray | None = None, positions: Sequence[str] = POSITIONS,
                 gap: float = LABEL_GAP, forced: int = 0,
                 bounds: Sequence[float] | None = None) -> tuple[np.ndarray, list[str]]:
    """Which labels to draw and where: (indices in the order given, their text positions).

    Labels come in priority order. Each takes the first of ``positions`` where its box stays
    ``gap`` px from every label placed before it, from their markers, and from ``obstacles``
    (boxes never to cover, such as every marker of a small chart), and where no label placed
    before covers its own marker; a label with no such position is skipped. At most ``budget``.
    The first ``forced`` labels (highlighted words) only keep clear of each other: they may
    cover markers, so that they are drawn wherever another label leaves room (the first always).
    With ``bounds`` (left, bottom, right, top: the plot area), a position whose box would be cut
    off at the plot's edge is not taken.
    """
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    k = len(anchors)
    limit = k if budget is None else max(0, min(budget, k))
    markers = marker_boxes(anchors, marker_sizes)
    # Every candidate box at once: [position, label, 4], and whether it lies inside the plot area.
    options = np.stack([label_boxes(anchors, texts, font_sizes, marker_sizes, position) for position in positions]) \
        if k else np.empty((len(positions), 0, 4))
    inside = np.ones(options.shape[:2], dtype=bool)
    if bounds is not None:
        left, bottom, right, top = bounds
        inside = (options[..., 0] >= left) & (options[..., 1] >= bottom) & (options[..., 2] <= right) \
            & (options[..., 3] <= top)
    # A fixed obstacle shrunk by half a px, so that a label just touching its own marker does not count.
    fixed = np.empty((0, 4)) if obstacles is None else np.asarray(obstacles, dtype=float).reshape(-1, 4) + [.5, .5, -.5, -.5]
    placed = np.empty((2 * limit, 4))  # each placed label's box and its marker's box
    count = 0
    chosen: list[int] = []
    chosen_positions: list[str] = []

    def fits(index: int, option: int) -> bool:
        box = options[option, index]
        if index < forced:  # a highlighted word: clear of the labels before it, wherever the markers are
            return not _crosses(box, placed[:count:2], gap)
        return inside[option, index] and not _crosses(box, placed[:count], gap) and not _crosses(box, fixed, 0.0)

    for index in range(k):
        if len(chosen) >= limit:
            break
        if count and index >= forced and _crosses(markers[index], placed[:count:2], gap):
            continue
        # Inside the plot area first; a highlighted word may be cut at its edge rather than left out.
        order = [o for o in range(len(positions)) if inside[o, index]] + \
            ([o for o in range(len(positions)) if not inside[o, index]] if index < forced else [])
        option = next((o for o in order if fits(index, o)), None)
        if option is None:
            continue
        placed[count], placed[count + 1] = options[option, index], markers[index]
        count += 2
        chosen.append(index)
        chosen_positions.append(positions[option])
    return np.asarray(chosen, dtype=np.intp), chosen_positions


# --- the screen a figure is drawn on ------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """Where a 2-D figure's data lands in px: ``x_px = (x - x0) * x_scale``, ``y_px = (y - y0) * y_scale``."""

    x0: float
    y0: float
    x_scale: float
    y_scale: float

    #: The plot area the screen belongs to, in px, and the centre of the ranges it was made for.
    area: tuple[float, float] = (0.0, 0.0)
    centre: tuple[float, float] = (0.0, 0.0)

    def visible(self) -> tuple[float, float, float, float]:
        """The plot area (left, bottom, right, top) in this screen's px: Plotly widens a range about its centre."""
        x, y = (self.centre[0] - self.x0) * self.x_scale, (self.centre[1] - self.y0) * self.y_scale
        return x - self.area[0] / 2, y - self.area[1] / 2, x + self.area[0] / 2, y + self.area[1] / 2

    def points(self, xy: np.ndarray) -> np.ndarray:
        """Screen positions ``[n x 2]`` (px from the lower left corner of the ranges) of data points ``xy``."""
        xy = np.asarray(xy, dtype=float)
        return np.column_stack([(xy[:, 0] - self.x0) * self.x_scale, (xy[:, 1] - self.y0) * self.y_scale])


def legend_size(names: Sequence[str], font_size: float, below: bool, width: float) -> tuple[float, float]:
    """Estimated (width, height) in px that a legend of ``names`` takes from the plot area.

    Plotly's legend sits right of the plot (taking width) or, when ``below``, under it in rows
    (taking height). Each entry is a 40 px symbol plus its text; the estimate errs large.
    """
    if not names:
        return 0.0, 0.0
    entries = [40 + CHARACTER_WIDTH * font_size * shown_characters(name) for name in names]
    if not below:
        return 0.02 * width + 20 + max(entries), 0.0
    rows, used = 1, 0.0
    for entry in entries:
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return 0.0, rows * 1.6 * font_size + 10


def plot_area(width: float, height: float, margin: dict, legend: tuple[float, float] = (0.0, 0.0)) -> tuple[float, float]:
    """The plot area (width, height) in px inside a figure of ``width`` x ``height`` px."""
    return (max(1.0, width - margin.get("l", 80) - margin.get("r", 80) - legend[0]),
            max(1.0, height - margin.get("t", 100) - margin.get("b", 80) - legend[1]))


def screen_of(x_range: Sequence[float], y_range: Sequence[float], area: tuple[float, float],
              equal_aspect: bool = True) -> Screen:
    """The screen of a plot area showing ``x_range`` x ``y_range``.

    With ``equal_aspect`` (``yaxis.scaleanchor = "x"``) Plotly widens one range so both axes share
    the smaller scale.
    """
    x_span = max(float(x_range[1] - x_range[0]), 1e-12)
    y_span = max(float(y_range[1] - y_range[0]), 1e-12)
    x_scale, y_scale = area[0] / x_span, area[1] / y_span
    if equal_aspect:
        x_scale = y_scale = min(x_scale, y_scale)
    return Screen(float(x_range[0]), float(y_range[0]), x_scale, y_scale, (float(area[0]), float(area[1])),
                  ((x_range[0] + x_range[1]) / 2, (y_range[0] + y_range[1]) / 2))


#: Plotly's default 3-D camera looks from (1.25, 1.25, 1.25) at the centre of the scene's cube.
_EYE = np.array([1.25, 1.25, 1.25])


def scene_points(xyz: np.ndarray, ranges: Sequence[Sequence[float]], area: tuple[float, float]) -> np.ndarray:
    """Approximate screen positions (px) of 3-D points in a cube scene seen from Plotly's default camera.

    Each axis range is mapped to [-1, 1] (``aspectmode="cube"``) and the points are projected onto
    the camera's right and up directions, scaled so that the cube's outline fits the plot area. The
    estimate holds for the first view only: rotating the scene moves every label.
    """
    xyz = np.asarray(xyz, dtype=float).reshape(-1, 3)
    low = np.array([r[0] for r in ranges], dtype=float)
    span = np.maximum(np.array([r[1] - r[0] for r in ranges], dtype=float), 1e-12)
    unit = 2 * (xyz - low) / span - 1
    forward = -_EYE / np.linalg.norm(_EYE)
    right = np.cross(forward, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    corners = np.array([[a, b, c] for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)], dtype=float)
    extent = np.array([np.ptp(corners @ right), np.ptp(corners @ up)])
    # Perspective makes the far side of the cube smaller than this flat projection: 0.8 errs small.
    scale = 0.8 * min(area[0] / extent[0], area[1] / extent[1])
    return np.column_stack([unit @ right, unit @ up]) * scale
