"""The token table: each token id picks one row of numbers, drawn as a heatmap beside its token."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.labels import plain, short


def token_table_heatmap(vectors: np.ndarray, labels: Sequence[str], ids: Sequence[int], *,
                        title: str | None = None, height: int = 420) -> go.Figure:
    """One row per token (``labels[i]`` with its id), one column per number of its input vector."""
    vectors = np.asarray(vectors, dtype=float)
    if len(vectors) != len(labels) or len(labels) != len(ids):
        raise ValueError("vectors, labels and ids must have the same length.")
    rows = [f"{short(label, 16)} · {token_id}" for label, token_id in zip(labels, ids)]
    # A few numbers of every row are far larger than the rest: scale the colours to the bulk of them.
    limit = float(np.percentile(np.abs(vectors), 98)) if vectors.size else 1.0
    figure = go.Figure(go.Heatmap(
        z=vectors, y=list(range(len(rows))), colorscale="RdBu", zmid=0, zmin=-limit, zmax=limit,
        customdata=[[plain(label)] * vectors.shape[1] for label in labels],
        hovertemplate="%{customdata}, number %{x}: %{z:.3f}<extra></extra>", colorbar=dict(title="value"),
    ))
    figure.update_layout(
        title=plain(title) if title else None, height=height,
        xaxis=dict(title=f"the {vectors.shape[1]} numbers of each token's row in the table"),
        yaxis=dict(tickmode="array", tickvals=list(range(len(rows))), ticktext=rows, autorange="reversed"),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return figure
