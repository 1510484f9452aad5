"""Small bar charts beside the map: how spread the similarities are, and a word's nearest neighbours.

Plotly rather than ``st.bar_chart`` or a table: the page already loads Plotly for its map, and every
further element library (Vega for charts, Arrow for tables) delays the map's first appearance in
the browser by up to a second (measured with bench/browser.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.labels import plain
from charts.palette import OKABE_ITO


def similarity_spread_chart(counts: np.ndarray, height: int = 260) -> go.Figure:
    """Bars of pair counts over equal cosine similarity bins from -1 to 1."""
    edges = np.linspace(-1, 1, len(counts) + 1)
    figure = go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=edges[1] - edges[0], marker_color=OKABE_ITO[0],
                              hovertemplate="cosine %{x:.2f}: %{y:,} pairs<extra></extra>"))
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), bargap=0.05,
                         xaxis=dict(title="cosine similarity", range=[-1, 1]), yaxis=dict(title="pairs of items"))
    return figure


def neighbours_chart(neighbours: Sequence[tuple[str, float]]) -> go.Figure:
    """One horizontal bar per neighbour, nearest on top, labelled with its cosine similarity."""
    words = [plain(word) for word, _ in neighbours]
    scores = [float(score) for _, score in neighbours]
    figure = go.Figure(go.Bar(x=scores, y=list(range(len(words))), orientation="h", customdata=words, marker_color=OKABE_ITO[0],
                              text=[f"{score:.3f}" for score in scores], textposition="inside",
                              hovertemplate="%{customdata}: %{x:.3f}<extra></extra>"))
    figure.update_layout(height=60 + 24 * len(words), margin=dict(l=10, r=10, t=10, b=40),
                         xaxis=dict(title="cosine similarity", range=[min(0.0, *scores), 1]),
                         yaxis=dict(tickvals=list(range(len(words))), ticktext=words, autorange="reversed"))
    return figure
