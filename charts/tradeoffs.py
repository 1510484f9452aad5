"""Charts of what embeddings cost and buy: quality against bytes, recall against time."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from charts.labels import ASSUMED_WIDTH, legend_size, marker_boxes, place_labels, plain, plot_area, screen_of
from charts.palette import OKABE_ITO, PALETTE
from charts.presentation import BASE_FONT, enlarged


def quality_against_size(frame: pd.DataFrame, quality: str, height: int = 460) -> go.Figure:
    """One labelled point per row of ``frame`` (columns "name", "kind", "bytes per vector" and ``quality``),
    bytes on a log axis: up and to the left is better."""
    shown = frame.dropna(subset=[quality]).assign(label=lambda f: f["name"].map(plain))
    figure = px.scatter(shown, x="bytes per vector", y=quality, color="kind", symbol="kind", text="label",
                        log_x=True, height=height, hover_data={"label": False, "name": True},
                        color_discrete_sequence=list(PALETTE))
    figure.update_traces(textposition="top center", marker=dict(size=11))
    figure.update_layout(legend=dict(title="", orientation="h", y=-0.2), margin=dict(l=10, r=10, t=30, b=10))
    return figure


def recall_against_time(depths: Sequence[int], recalls: Sequence[float], milliseconds: Sequence[float],
                        exact_milliseconds: float, k: int, height: int = 420) -> go.Figure:
    """HNSW's recall@k against time per query, one point per efSearch, next to exact search."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=list(milliseconds), y=list(recalls), mode="lines+markers+text", name="HNSW",
                                text=[f"efSearch {depth}" for depth in depths], textposition="bottom right",
                                line=dict(color=OKABE_ITO[0]), marker=dict(color=OKABE_ITO[0])))
    figure.add_trace(go.Scatter(x=[exact_milliseconds], y=[1.0], mode="markers+text", name="exact search",
                                text=["exact"], textposition="bottom left",
                                marker=dict(size=14, symbol="star", color=OKABE_ITO[3])))
    figure.update_layout(height=height, xaxis=dict(title="milliseconds per query", type="log"),
                         yaxis=dict(title=f"recall@{k}", range=[0, 1.05]), margin=dict(l=10, r=10, t=30, b=10))
    return figure


def with_readable_labels(figure: go.Figure, height: int, scale: float = 1.0) -> go.Figure:
    """A copy of a chart of this module ``height`` px tall with text ``scale`` times larger, its axes fitted
    to its points, and only the labels that cross no other (``charts.labels.place_labels``, in the order
    drawn; hover names every point). The builders above place no labels: their size is known only here."""
    if scale != 1:
        figure = enlarged(figure, scale)
        figure.update_layout(meta={"font_scale": scale})  # so that the page does not enlarge it twice
    else:
        figure = go.Figure(figure)
    figure.update_layout(height=height)
    log_x = figure.layout.xaxis.type == "log"
    owners, pairs, texts, sizes = [], [], [], []
    for number, trace in enumerate(figure.data):
        for row, (x, y, text) in enumerate(zip(trace.x, trace.y, () if trace.text is None else trace.text)):
            owners.append((number, row))
            pairs.append((math.log10(x) if log_x else x, y))
            texts.append(str(text))
            sizes.append(trace.marker.size if isinstance(trace.marker.size, (int, float)) else 6)
    if not pairs:
        return figure
    xy = np.array(pairs, dtype=float)
    low, high = xy.min(axis=0), xy.max(axis=0)
    pad = 0.08 * (high - low) + [0.1, 0.02]
    x_range, y_range = [low[0] - pad[0], high[0] + pad[0]], [low[1] - pad[1], high[1] + pad[1]]
    figure.update_xaxes(range=x_range)  # a log axis takes its range in powers of ten
    figure.update_yaxes(range=y_range)
    font = float(figure.layout.font.size or BASE_FONT)
    below = figure.layout.legend.orientation == "h"
    names = [trace.name for trace in figure.data if trace.name]
    margin = {side: getattr(figure.layout.margin, side) or 0 for side in "lrtb"}
    margin["l"] += 5 * font  # the y axis's title and ticks, which Plotly adds to the margin
    margin["b"] += 3.5 * font
    area = plot_area(ASSUMED_WIDTH, height, margin, legend_size(names, font, below, ASSUMED_WIDTH))
    anchors = screen_of(x_range, y_range, area, equal_aspect=False).points(xy)
    big = 1e5  # outside the plot area: a label there would be cut off or cover the axes
    outside = np.array([[-big, -big, 0, big], [area[0], -big, big, big], [-big, -big, big, 0], [-big, area[1], big, big]])
    markers = marker_boxes(anchors, np.array(sizes, dtype=float))  # a few points: no label covers any of them
    chosen, positions = place_labels(anchors, texts, float(figure.data[0].textfont.size or font),
                                     np.array(sizes, dtype=float), obstacles=np.vstack([outside, markers]))
    shown = {owners[index]: position for index, position in zip(chosen, positions)}
    for number, trace in enumerate(figure.data):
        if trace.text is None:
            continue
        rows = range(len(trace.text))
        trace.update(hovertext=list(trace.text) if trace.hovertemplate is None else None,
                     text=[text if (number, row) in shown else "" for row, text in zip(rows, trace.text)],
                     textposition=[shown.get((number, row), "top center") for row in rows], cliponaxis=False)
    return figure
