"""Labelled 2-D and 3-D scatter plots of projected items, readable from 10 to 100,000 points.

Small charts label every point. Larger ones draw markers with WebGL, label only
what a person can read (highlighted words, then one word per region of the chart)
and show every word on hover; 3-D charts draw at most ``MAX_3D_POINTS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from charts.labels import plain, short

#: Above this many points, markers are drawn with WebGL (Scattergl): SVG slows down past a few hundred.
WEBGL_FROM = 500
#: At most this many labels on one chart: more become a ball of text.
LABEL_BUDGET = 100
#: 3-D labels are text meshes the browser builds one by one: 100 of them took 2.4 s in headless
#: Chromium against 0.6 s for 30 (measured), and a rotating cloud stays readable with fewer.
LABEL_BUDGET_3D = 40
#: 3-D charts draw at most this many points (WebGL 3-D turns sluggish above); highlighted ones always.
MAX_3D_POINTS = 10_000
#: How much of each axis stays visible around a word the chart is centred on.
CENTRE_WINDOW = 0.25


@dataclass
class ScatterChart:
    """A scatter figure and what it shows of the points it was given."""

    figure: go.Figure
    points: int
    drawn: int
    labelled: int

    def note(self) -> str | None:
        """What the chart leaves out, in words (None when it shows and labels every point)."""
        parts = []
        if self.drawn < self.points:
            parts.append(f"3-D: showing {self.drawn:,} of {self.points:,} points (a random sample plus highlighted words).")
        if self.labelled < self.drawn:
            parts.append(f"Labels on {self.labelled:,} of {self.drawn:,} points: highlighted words, then one word per "
                         "region of the chart. Hover over any point to see its word.")
        return " ".join(parts) or None


def scatter(coords: np.ndarray, labels: Sequence[str], groups: Sequence[str] | None = None, **options) -> go.Figure:
    """The figure of ``scatter_chart`` (same arguments)."""
    return scatter_chart(coords, labels, groups, **options).figure


def scatter_chart(
    coords: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str] | None = None,
    *,
    highlight: Sequence[str] = (),
    centre_on: str | None = None,
    title: str | None = None,
    height: int = 560,
    label_budget: int | None = None,
    seed: int = 0,
) -> ScatterChart:
    """A scatter of ``coords`` (``[n x 2]`` or ``[n x 3]``), one trace per group.

    ``highlight`` labels are drawn larger, as diamonds, in bold, and always
    labelled; ``centre_on`` (a label) zooms a 2-D chart onto that point. Labels
    are escaped so that user text never renders as markup. ``label_budget`` defaults
    to ``LABEL_BUDGET`` in 2-D and ``LABEL_BUDGET_3D`` in 3-D.
    """
    coords = np.asarray(coords, dtype=float)
    labels = [str(label) for label in labels]
    groups = [g or "(no group)" for g in (groups or [""] * len(labels))]
    if len(groups) != len(labels) or len(coords) != len(labels):
        raise ValueError("coords, labels and groups must have the same length.")
    n = len(labels)
    three_d = coords.ndim == 2 and coords.shape[1] == 3
    highlighted = np.array([label in set(highlight) for label in labels], dtype=bool)

    drawn = np.arange(n)
    if three_d and n > MAX_3D_POINTS:
        drawn = _sample_keeping(n, MAX_3D_POINTS, highlighted, seed)
    if label_budget is None:
        label_budget = LABEL_BUDGET_3D if three_d else LABEL_BUDGET
    labelled = label_rows(coords[drawn], highlighted[drawn], label_budget)
    all_labelled = len(labelled) == len(drawn)
    webgl = not three_d and len(drawn) > WEBGL_FROM

    palette = qualitative.Plotly + qualitative.D3 + qualitative.Set3
    group_array = np.array(groups, dtype=object)[drawn]
    figure = go.Figure()
    for index, group in enumerate(dict.fromkeys(group_array)):
        rows = drawn[group_array == group]
        figure.add_trace(_marker_trace(coords[rows], [labels[i] for i in rows], highlighted[rows], group,
                                       palette[index % len(palette)], three_d, webgl, with_text=all_labelled))
    if not all_labelled:
        rows = drawn[labelled]
        figure.add_trace(_label_trace(coords[rows], [labels[i] for i in rows], highlighted[rows], three_d))

    axis = dict(showticklabels=False, title="", zeroline=False)
    layout = dict(
        title=plain(title) if title else None,
        height=height,
        legend=dict(title="group", itemsizing="constant"),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    if three_d:
        figure.update_layout(scene=dict(xaxis=axis, yaxis=axis, zaxis=axis), **layout)
    else:
        x_axis, y_axis = dict(axis), {**axis, "scaleanchor": "x"}
        if centre_on in labels and n > 1:
            x_axis["range"], y_axis["range"] = _window_around(coords, labels.index(centre_on))
        figure.update_layout(xaxis=x_axis, yaxis=y_axis, **layout)
    return ScatterChart(figure, n, len(drawn), len(labelled))


def label_rows(coords: np.ndarray, highlighted: np.ndarray, budget: int = LABEL_BUDGET) -> np.ndarray:
    """Which rows get a label: all when they fit the budget; else highlighted ones, then one per region.

    Regions are the cells of a grid over the first two coordinates; each labelled
    point is the one nearest its cell's centre of mass, busiest cells first, up to the budget.
    Written by hand: no plotting library picks readable labels for us.
    """
    n = len(coords)
    if n <= budget:
        return np.arange(n)
    chosen = list(np.flatnonzero(highlighted)[:budget])
    if len(chosen) >= budget:
        return np.sort(np.asarray(chosen, dtype=np.intp))
    side = int(np.ceil(np.sqrt(2 * budget)))  # twice the cells needed: the edges of a cloud stay empty
    xy = coords[:, :2]
    low, span = xy.min(axis=0), np.ptp(xy, axis=0)
    span[span == 0] = 1.0
    cell_xy = np.minimum(((xy - low) / span * side).astype(int), side - 1)
    cell = cell_xy[:, 0] * side + cell_xy[:, 1]
    counts = np.bincount(cell, minlength=side * side)
    centres = np.column_stack([np.bincount(cell, xy[:, i], side * side) for i in range(2)]) / np.maximum(counts, 1)[:, None]
    distance = np.linalg.norm(xy - centres[cell], axis=1)
    by_cell_then_distance = np.lexsort((distance, cell))
    first_of_cell = by_cell_then_distance[np.r_[True, np.diff(cell[by_cell_then_distance]) != 0]]
    busiest_first = first_of_cell[np.argsort(-counts[cell[first_of_cell]], kind="stable")]
    taken = set(chosen)
    for row in busiest_first:
        if len(chosen) >= budget:
            break
        if row not in taken:
            chosen.append(row)
    return np.sort(np.asarray(chosen, dtype=np.intp))


def _sample_keeping(n: int, size: int, keep: np.ndarray, seed: int) -> np.ndarray:
    """``size`` random rows of ``n``, always including the rows where ``keep`` is true."""
    kept = np.flatnonzero(keep)
    others = np.setdiff1d(np.arange(n), kept)
    sample = np.random.default_rng(seed).choice(others, max(0, size - len(kept)), replace=False)
    return np.sort(np.concatenate([kept, sample]))


def _window_around(coords: np.ndarray, row: int) -> tuple[list[float], list[float]]:
    """x and y ranges showing ``CENTRE_WINDOW`` of each axis around point ``row``."""
    half = np.ptp(coords[:, :2], axis=0).max() * CENTRE_WINDOW / 2 or 1.0
    x, y = coords[row, :2]
    return [x - half, x + half], [y - half, y + half]


def _marker_trace(points, labels, highlighted, group, colour, three_d, webgl, with_text):
    common = dict(
        name=plain(group),
        mode="markers+text" if with_text else "markers",
        customdata=[plain(label) for label in labels],
        hovertemplate="%{customdata}<extra>" + plain(group) + "</extra>",
        marker=dict(
            color=colour,
            size=np.where(highlighted, 16, 9 if len(points) <= WEBGL_FROM else 6).tolist(),
            symbol=np.where(highlighted, "diamond", "circle").tolist(),
        ),
    )
    if with_text:
        common.update(text=_texts(labels, highlighted), textposition="top center")
    if three_d:
        return go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2], **common)
    trace = go.Scattergl if webgl else go.Scatter
    return trace(x=points[:, 0], y=points[:, 1], **common)


def _label_trace(points, labels, highlighted, three_d):
    """The chosen labels as their own text-only trace, drawn as SVG text so they stay crisp."""
    common = dict(name="labels", mode="text", text=_texts(labels, highlighted), textposition="top center",
                  hoverinfo="skip", showlegend=False)
    if three_d:
        return go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2], **common)
    return go.Scatter(x=points[:, 0], y=points[:, 1], **common)


def _texts(labels, highlighted) -> list[str]:
    return [f"<b>{short(label)}</b>" if h else short(label) for label, h in zip(labels, highlighted)]


def add_query_marker(figure: go.Figure, point: np.ndarray, query: str) -> go.Figure:
    """Draw a search query as its own marker (a large black star) on a 2-D scatter."""
    figure.add_trace(go.Scatter(
        x=[float(point[0])], y=[float(point[1])], name="query", mode="markers+text", text=[f"<b>{short(query)}</b>"],
        textposition="bottom center", customdata=[plain(query)], hovertemplate="%{customdata}<extra>query</extra>",
        marker=dict(symbol="star", size=22, color="black", line=dict(color="white", width=1)),
    ))
    return figure
