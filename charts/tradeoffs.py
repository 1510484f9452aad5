"""Charts of what embeddings cost and buy: quality against bytes, recall against time."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from charts.labels import plain
from charts.palette import OKABE_ITO, PALETTE


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
