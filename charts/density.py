"""The density of many points as one Plotly heatmap, binned here with numpy.

Above ``charts.scatter.DENSITY_FROM`` points a scatter draws this layer with a sample of markers
on top. Chosen by measuring (bench/density.py, 2-core machine shared with other work, load 3-16;
synthetic landscapes of 100,000 / 500,000 / 1,000,000 points; build = coordinates to figure,
JSON = ``len(fig.to_json())``, draw = headless Chromium opening the figure's HTML, whose floor, a
one-point figure, took 2.1-2.8 s in the same runs):

- this heatmap (counts in 3 px cells by ``np.bincount``, log scale, one uint8 array): build
  0.03 / 0.04 / 0.10 s, JSON 0.08 MB at every size, draw 2.4 / 2.1 / 2.8 s;
- datashader 0.19 (rasterised to a PNG, placed as a layout image): build 0.02 / 0.05 / 0.10 s once
  warm, but 2.9-3.9 s for its first call in a process (numba compiling its kernels), JSON 0.05-0.07 MB,
  draw 2.2 / 3.4 / 3.3 s, and six more packages (xarray, colorcet, param, pyct, toolz,
  multipledispatch; numba is here already for UMAP); it looks the same as the heatmap (the same
  grey landscape: see the PNGs the benchmark saves);
- Plotly's own ``Histogram2d`` / ``Histogram2dContour`` bin in the browser, so every point is sent:
  JSON 2.3 / 11.5 / 23 MB (through Streamlit's websocket, per rerun), draw 2.2-7.5 s, and their
  linear counts show only the densest cores (the contour a few rings);
- every point as a WebGL marker (before): JSON 2.3 / 11.5 / 23 MB, draw 3.4 / 19.4 / 20.9 s, one blob.

The numpy heatmap wins: as fast and as small as datashader without a compile or a dependency.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

#: Side of one density cell in screen px: fine enough to read as a landscape, coarse enough to stay small.
CELL_PX = 3.0
#: Empty cells are transparent; counts go from light to dark grey (markers on top keep the colours).
DENSITY_COLOURS = [[0.0, "rgba(255,255,255,0)"], [1 / 255, "#f0f0f0"], [0.25, "#d4d4d4"], [0.6, "#8c8c8c"],
                   [1.0, "#252525"]]


def density_cells(xy: np.ndarray, x_range: Sequence[float], y_range: Sequence[float],
                  shape: tuple[int, int]) -> np.ndarray:
    """Point counts ``[rows x columns]`` (rows along y) over a grid of ``shape`` (columns, rows) cells."""
    columns, rows = shape
    xy = np.asarray(xy, dtype=float)
    xy = xy[np.isfinite(xy).all(axis=1)]
    x_span = max(float(x_range[1] - x_range[0]), 1e-12)
    y_span = max(float(y_range[1] - y_range[0]), 1e-12)
    column = np.clip(((xy[:, 0] - x_range[0]) / x_span * columns).astype(np.intp), 0, columns - 1)
    row = np.clip(((xy[:, 1] - y_range[0]) / y_span * rows).astype(np.intp), 0, rows - 1)
    return np.bincount(row * columns + column, minlength=rows * columns).reshape(rows, columns)


def density_trace(xy: np.ndarray, x_range: Sequence[float], y_range: Sequence[float],
                  area_px: tuple[float, float], cell_px: float = CELL_PX) -> go.Heatmap:
    """A heatmap of how many of the points ``xy`` fall in each cell of about ``cell_px`` screen px.

    ``area_px`` is the plot area the ranges fill. Counts are shown on a log scale, quantised to
    1-255 (0 stays transparent) so that the whole layer is one small uint8 array.
    """
    columns = max(1, int(round(area_px[0] / cell_px)))
    rows = max(1, int(round(area_px[1] / cell_px)))
    counts = density_cells(xy, x_range, y_range, (columns, rows))
    levels = np.log1p(counts)
    top = levels.max()
    z = np.zeros(counts.shape, dtype=np.uint8)
    if top > 0:
        z[counts > 0] = np.clip(np.ceil(levels[counts > 0] / top * 255), 1, 255).astype(np.uint8)
    dx = (x_range[1] - x_range[0]) / columns
    dy = (y_range[1] - y_range[0]) / rows
    # zsmooth: the browser interpolates between cells, so that 3 px cells read as a landscape, not as grain.
    return go.Heatmap(z=z, x0=x_range[0] + dx / 2, dx=dx, y0=y_range[0] + dy / 2, dy=dy, zmin=0, zmax=255,
                      zsmooth="best", colorscale=DENSITY_COLOURS, showscale=False, hoverinfo="skip", name="density",
                      showlegend=False)
