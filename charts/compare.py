"""Figures for comparing methods: small scatter panels with shared colours, and an agreement heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.labels import plain
from charts.palette import NO_GROUP, group_colours
from charts.scatter import scatter

PANEL_HEIGHT = 380
#: Width in px a panel's labels are placed for: three panels side by side in the picture column.
PANEL_WIDTH = 260

__all__ = ["NO_GROUP", "PANEL_HEIGHT", "PANEL_WIDTH", "agreement_heatmap", "group_colours", "panel"]


def panel(
    coords: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str],
    colours: Mapping[str, str],
    *,
    highlight: Sequence[str] = (),
    title: str | None = None,
    height: int = PANEL_HEIGHT,
    width: int = PANEL_WIDTH,
    font_scale: float = 1.0,
) -> go.Figure:
    """A small scatter for one method in a grid, its legend below it.

    A panel missing a group would shift every colour if each chart numbered its own groups;
    ``colours`` (from ``group_colours`` over the whole list) keeps a group's colour the same in
    every panel. Labels are placed for a panel ``width`` px wide (see ``charts.scatter.scatter_chart``).
    """
    figure = scatter(coords, labels, groups, highlight=highlight, title=title, height=height, width=width,
                     font_scale=font_scale, colours=colours, legend_below=True,
                     margin=dict(l=5, r=5, t=round(40 * font_scale) if title else 5, b=5))
    return figure.update_layout(title_font=dict(size=round(14 * font_scale)))  # the title sits in the top margin


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
