"""An atlas's map: every item as density (with a readable sample of markers), its clusters' names on top."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.labels import (
    ASSUMED_WIDTH,
    BASE_FONT,
    POSITIONS,
    label_boxes,
    place_labels,
    plain,
    plot_area,
    screen_of,
    short,
)
from charts.scatter import HIGHLIGHT_SIZE, ScatterChart, scatter_chart

#: A cluster's name on the map: its first most-central items, each cut short, so that names stay apart.
NAME_ITEMS = 2
NAME_ITEM_CHARACTERS = 18
#: Cluster names are larger than item labels: they are the map's legend.
NAME_FONT_SCALE = 1.15


def map_name(name: str, separator: str = " · ") -> str:
    """The name of a cluster as drawn: its first ``NAME_ITEMS`` items, each at most ``NAME_ITEM_CHARACTERS``."""
    return " · ".join(short(item, NAME_ITEM_CHARACTERS) for item in name.split(separator)[:NAME_ITEMS])


def atlas_map(coords: np.ndarray, texts: Sequence[str], *, highlight: Sequence[str] = (),
              centres: np.ndarray | None = None, names: Sequence[str] = (), title: str | None = None,
              height: int = 560, width: int = ASSUMED_WIDTH, font_scale: float = 1.0) -> ScatterChart:
    """The map of ``coords`` (``[n x 2]``): ``charts.scatter.scatter_chart`` (density above its threshold, markers
    with every item's text on hover), labels for the ``highlight`` texts only, and each cluster's name at its
    centre (``centres``, ``names``) where it overlaps no name placed before it (larger clusters come first)
    and keeps clear of the highlighted items and their labels."""
    chart = scatter_chart(coords, texts, highlight=highlight, title=title, height=height, width=width,
                          font_scale=font_scale, label_budget=len(set(highlight)))
    if centres is not None and len(names):
        wanted = set(highlight)
        rows = [row for row, text in enumerate(texts) if text in wanted] if wanted else []
        highlighted = (np.asarray(coords, dtype=float)[rows, :2], [plain(texts[row]) for row in rows])
        _add_names(chart.figure, np.asarray(centres, dtype=float), list(names), highlighted, height, width,
                   font_scale)
    return chart


def _add_names(figure: go.Figure, centres: np.ndarray, names: list[str], highlighted: tuple[np.ndarray, list[str]],
               height: int, width: int, font_scale: float) -> None:
    layout = figure.layout
    margin = {side: getattr(layout.margin, side) or 0 for side in ("l", "r", "t", "b")}
    area = plot_area(width, height, margin)
    screen = screen_of(layout.xaxis.range, layout.yaxis.range, area)
    inside = ((centres[:, 0] >= layout.xaxis.range[0]) & (centres[:, 0] <= layout.xaxis.range[1])
              & (centres[:, 1] >= layout.yaxis.range[0]) & (centres[:, 1] <= layout.yaxis.range[1]))
    rows = np.flatnonzero(inside)
    texts = [f"<b>{map_name(names[row])}</b>" for row in rows]
    font = BASE_FONT * font_scale * NAME_FONT_SCALE
    # Where a highlighted item's label may go (any side of its marker): no cluster name covers it.
    points, labels = highlighted
    anchors = screen.points(points)
    obstacles = np.concatenate([np.empty((0, 4)), *(label_boxes(anchors, labels, BASE_FONT * font_scale,
                                                                HIGHLIGHT_SIZE * font_scale, side)
                                                    for side in POSITIONS)])
    placed, positions = place_labels(screen.points(centres[rows]), texts, font, 0.0, obstacles=obstacles,
                                     bounds=screen.visible())
    chosen = rows[placed]
    figure.add_trace(go.Scatter(
        x=centres[chosen, 0], y=centres[chosen, 1], mode="text", text=[texts[i] for i in placed],
        textposition=positions, textfont=dict(size=round(font), color="#1f3a60"), hoverinfo="skip",
        name="cluster names", showlegend=False))
