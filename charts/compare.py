"""Figures for comparing methods: small scatter panels with shared colours, and an agreement heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from charts.labels import plain
from charts.scatter import scatter

PANEL_HEIGHT = 380
NO_GROUP = "(no group)"  # what ``scatter`` calls items without a group


def group_colours(groups: Sequence[str]) -> dict[str, str]:
    """One colour per group, in order of first appearance, to use in every panel alike."""
    palette = qualitative.Plotly + qualitative.D3 + qualitative.Set3
    distinct = dict.fromkeys(group or NO_GROUP for group in groups)
    return {group: palette[index % len(palette)] for index, group in enumerate(distinct)}


def panel(
    coords: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str],
    colours: Mapping[str, str],
    *,
    highlight: Sequence[str] = (),
    title: str | None = None,
    height: int = PANEL_HEIGHT,
) -> go.Figure:
    """A small scatter for one method in a grid.

    ``scatter`` colours groups by their order within one chart, so a panel
    missing a group would shift every colour; ``colours`` (from
    ``group_colours`` over the whole list) keeps a group's colour the same in
    every panel.
    """
    figure = scatter(coords, labels, groups, highlight=highlight, title=title, height=height)
    colour_of_trace = {plain(group): colour for group, colour in colours.items()}
    for trace in figure.data:
        trace.marker.color = colour_of_trace.get(trace.name, trace.marker.color)
    figure.update_layout(
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0, title=None, font=dict(size=10)),
        margin=dict(l=5, r=5, t=40 if title else 5, b=5),
        title_font=dict(size=14),
    )
    return figure


def agreement_heatmap(matrix: pd.DataFrame, titles: Mapping[str, str] | None = None) -> go.Figure:
    """A heatmap of mean neighbour overlap (0 to 1) between every pair of methods.

    ``matrix`` is square with method names as index and columns; ``titles``
    maps names to display titles. Missing pairs (NaN) stay blank.
    """
    titles = titles or {}
    names = [plain(titles.get(name, name)) for name in matrix.index]
    values = matrix.to_numpy(dtype=float)
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=names,
            y=names,
            zmin=0,
            zmax=1,
            colorscale="Viridis",
            texttemplate="%{z:.2f}",
            hovertemplate="%{y} · %{x}<br>mean overlap %{z:.2f}<extra></extra>",
            colorbar=dict(title="mean overlap"),
        )
    )
    figure.update_layout(
        height=120 + 60 * len(names),
        margin=dict(l=10, r=10, t=10, b=10),
        yaxis=dict(autorange="reversed"),
    )
    return figure
