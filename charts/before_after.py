"""Maps of the same items before and after a model changed: side by side, an arrow per item on the second."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.labels import plain, short
from charts.palette import NEUTRAL

#: Hover text wraps at this many characters.
HOVER_WRAP = 60
#: Above this many items the arrows are plain line segments: hundreds of Plotly annotations draw slowly.
MAX_ARROWS = 200


def _hover(text: str) -> str:
    return "<br>".join(plain(line) for line in textwrap.wrap(str(text), HOVER_WRAP)) or "(empty)"


def _group_traces(figure: go.Figure, coords: np.ndarray, texts: Sequence[str], groups: Sequence[str],
                  colours: Mapping[str, str], marker_size: float, column: int | None, legend: bool) -> None:
    for group in dict.fromkeys(groups):
        rows = [i for i, g in enumerate(groups) if g == group]
        trace = go.Scatter(x=coords[rows, 0], y=coords[rows, 1], mode="markers", name=short(group),
                           legendgroup=group, showlegend=legend, customdata=[_hover(texts[i]) for i in rows],
                           hovertemplate="%{customdata}<extra>" + short(group) + "</extra>",
                           marker=dict(size=marker_size, color=colours.get(group, NEUTRAL),
                                       line=dict(width=0.5, color="white")))
        if column is None:
            figure.add_trace(trace)
        else:
            figure.add_trace(trace, row=1, col=column)


def _square_axes(figure: go.Figure, axes: Sequence[str]) -> None:
    plain_axis = dict(showticklabels=False, title="", zeroline=False, showgrid=False)
    for axis in axes:
        figure.update_layout({axis: plain_axis})


def _fonts(font_scale: float) -> dict:
    """Text sizes for ``font_scale`` (the figure says it was built at that scale, so it is not enlarged again)."""
    return dict(font_size=round(12 * font_scale), title_font_size=round(15 * font_scale),
                legend_font_size=round(12 * font_scale), meta={"font_scale": font_scale})


def before_chart(coords: np.ndarray, texts: Sequence[str], groups: Sequence[str], colours: Mapping[str, str], *,
                 title: str, height: int, font_scale: float = 1.0) -> go.Figure:
    """The held-out items on one map, coloured by label (the picture before fine-tuning)."""
    coords = np.asarray(coords, dtype=float)
    figure = go.Figure()
    _group_traces(figure, coords, texts, groups, colours, 10 * font_scale, None, True)
    _square_axes(figure, ["xaxis", "yaxis"])
    figure.update_layout(title=plain(title), height=height, yaxis_scaleanchor="x",
                         legend=dict(orientation="h", y=-0.02, yanchor="top"),
                         margin=dict(l=10, r=10, t=round(45 * font_scale), b=10), **_fonts(font_scale))
    return figure


def before_after_chart(before: np.ndarray, after: np.ndarray, texts: Sequence[str], groups: Sequence[str],
                       colours: Mapping[str, str], *, titles: tuple[str, str], height: int,
                       font_scale: float = 1.0) -> go.Figure:
    """Two maps of the same items: ``before`` on the left, ``after`` (already aligned onto it) on the right,
    with an arrow per item from where it was to where it is, over the faint old positions."""
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if before.shape != after.shape or len(before) != len(texts) or len(texts) != len(groups):
        raise ValueError("before, after, texts and groups must describe the same items.")
    figure = make_subplots(rows=1, cols=2, subplot_titles=[plain(title) for title in titles],
                           horizontal_spacing=0.03, shared_xaxes=True, shared_yaxes=True)
    figure.update_annotations(font_size=round(14 * font_scale))  # so far only the two titles
    size = 9 * font_scale
    _group_traces(figure, before, texts, groups, colours, size, 1, True)
    figure.add_trace(go.Scatter(x=before[:, 0], y=before[:, 1], mode="markers", name="before", showlegend=False,
                                hoverinfo="skip", marker=dict(size=size * 0.6, color="rgba(150,150,150,0.35)")),
                     row=1, col=2)
    if len(before) <= MAX_ARROWS:
        for start, end, group in zip(before, after, groups):
            figure.add_annotation(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x2", yref="y2",
                                  axref="x2", ayref="y2", showarrow=True, arrowhead=2, arrowsize=1,
                                  arrowwidth=1.2, arrowcolor=colours.get(group, NEUTRAL), opacity=0.55, text="")
    else:
        xs = np.column_stack([before[:, 0], after[:, 0], np.full(len(before), np.nan)]).ravel()
        ys = np.column_stack([before[:, 1], after[:, 1], np.full(len(before), np.nan)]).ravel()
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", showlegend=False, hoverinfo="skip",
                                    line=dict(width=1, color="rgba(120,120,120,0.5)")), row=1, col=2)
    _group_traces(figure, after, texts, groups, colours, size, 2, False)
    _square_axes(figure, ["xaxis", "yaxis", "xaxis2", "yaxis2"])
    figure.update_layout(height=height, yaxis_scaleanchor="x", legend=dict(orientation="h", y=-0.02, yanchor="top"),
                         margin=dict(l=10, r=10, t=round(45 * font_scale), b=10), **_fonts(font_scale))
    return figure
