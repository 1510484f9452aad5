"""Labelled 2-D and 3-D scatter plots of projected items."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from charts.labels import plain, short


def scatter(
    coords: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str] | None = None,
    *,
    highlight: Sequence[str] = (),
    title: str | None = None,
    height: int = 560,
    show_labels: bool = True,
) -> go.Figure:
    """A scatter of ``coords`` (``[n x 2]`` or ``[n x 3]``), one trace per group.

    Every point carries its label as text; ``highlight`` labels are drawn larger,
    as diamonds, in bold. Labels are escaped so that user text never renders as markup.
    """
    coords = np.asarray(coords, dtype=float)
    labels = [str(label) for label in labels]
    groups = [g or "(no group)" for g in (groups or [""] * len(labels))]
    if len(groups) != len(labels) or len(coords) != len(labels):
        raise ValueError("coords, labels and groups must have the same length.")
    three_d = coords.ndim == 2 and coords.shape[1] == 3
    palette = qualitative.Plotly + qualitative.D3 + qualitative.Set3
    highlighted = set(highlight)
    figure = go.Figure()
    for index, group in enumerate(dict.fromkeys(groups)):
        rows = [i for i, g in enumerate(groups) if g == group]
        colour = palette[index % len(palette)]
        figure.add_trace(_trace(coords[rows], [labels[i] for i in rows], group, colour, three_d, show_labels,
                                [labels[i] in highlighted for i in rows]))
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
        figure.update_layout(xaxis=axis, yaxis={**axis, "scaleanchor": "x"}, **layout)
    return figure


def _trace(points, labels, group, colour, three_d, show_labels, highlighted):
    common = dict(
        name=plain(group),
        mode="markers+text" if show_labels else "markers",
        text=[f"<b>{short(label)}</b>" if h else short(label) for label, h in zip(labels, highlighted)],
        customdata=[plain(label) for label in labels],
        hovertemplate="%{customdata}<extra>" + plain(group) + "</extra>",
        textposition="top center",
        marker=dict(
            color=colour,
            size=[16 if h else 9 for h in highlighted],
            symbol=["diamond" if h else "circle" for h in highlighted],
        ),
    )
    if three_d:
        return go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2], **common)
    return go.Scatter(x=points[:, 0], y=points[:, 1], **common)
