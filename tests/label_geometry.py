"""Reading a finished scatter figure from the outside: where its labels and markers land on screen,
estimated as ``charts.labels.place_labels`` estimates them, and which of those boxes overlap."""

from __future__ import annotations

import numpy as np

from charts.labels import (
    ASSUMED_WIDTH,
    BASE_FONT,
    label_boxes,
    legend_size,
    marker_boxes,
    plot_area,
    scene_points,
    screen_of,
)


def overlapping_pairs(boxes: np.ndarray) -> list[tuple[int, int]]:
    """Every pair of boxes (indices) whose interiors intersect; boxes that only touch do not."""
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    crossing = ((boxes[:, None, 0] < boxes[None, :, 2]) & (boxes[None, :, 0] < boxes[:, None, 2])
                & (boxes[:, None, 1] < boxes[None, :, 3]) & (boxes[None, :, 1] < boxes[:, None, 3]))
    first, second = np.nonzero(np.triu(crossing, k=1))
    return list(zip(first.tolist(), second.tolist()))



def _figure_screen(figure, width: float):
    """A function from a trace's points to their screen positions, as the figure's layout places them."""
    layout = figure.layout
    font = layout.font.size or BASE_FONT
    margin = {side: getattr(layout.margin, side) for side in "lrtb" if getattr(layout.margin, side) is not None}
    names = [trace.name or "" for trace in figure.data if trace.showlegend is not False and trace.type != "heatmap"]
    below = layout.legend.orientation == "h"
    legend = legend_size(names, layout.legend.font.size or font, below, width) if layout.showlegend else (0.0, 0.0)
    area = plot_area(width, layout.height, margin, legend)
    if any(trace.type == "scatter3d" for trace in figure.data):
        ranges = [layout.scene.xaxis.range, layout.scene.yaxis.range, layout.scene.zaxis.range]
        return lambda trace: scene_points(
            np.column_stack([np.asarray(trace.x, float), np.asarray(trace.y, float), np.asarray(trace.z, float)]),
            ranges, area)
    screen = screen_of(layout.xaxis.range, layout.yaxis.range, area, layout.yaxis.scaleanchor == "x")
    return lambda trace: screen.points(np.column_stack([np.asarray(trace.x, float), np.asarray(trace.y, float)]))


def _point_traces(figure):
    return [trace for trace in figure.data
            if trace.type in ("scatter", "scattergl", "scatter3d") and trace.visible is not False]


def _marker_sizes(trace, count: int) -> np.ndarray:
    if "markers" not in (trace.mode or "markers") or trace.marker.size is None:
        return np.zeros(count)
    return np.broadcast_to(np.asarray(trace.marker.size, dtype=float), count)


def drawn_label_boxes(figure, width: float = ASSUMED_WIDTH) -> tuple[np.ndarray, list[str]]:
    """The screen boxes and texts of every label a scatter figure draws, estimated as ``place_labels`` does.

    Reads the figure only: its height, margins, legend and axis ranges (which must be set), each
    text trace's points, text positions, font size and marker size. For checking a figure from
    the outside.
    """
    project = _figure_screen(figure, width)
    font = figure.layout.font.size or BASE_FONT
    all_boxes, all_texts = [], []
    for trace in _point_traces(figure):
        if "text" not in (trace.mode or "") or trace.text is None:
            continue
        texts = list(trace.text)
        keep = [i for i, text in enumerate(texts) if text]
        if not keep:
            continue
        positions = np.broadcast_to(np.asarray(trace.textposition or "middle center", dtype=object), len(texts))
        all_boxes.append(label_boxes(project(trace)[keep], [texts[i] for i in keep], trace.textfont.size or font,
                                     _marker_sizes(trace, len(texts))[keep], positions[keep]))
        all_texts += [texts[i] for i in keep]
    boxes = np.concatenate(all_boxes) if all_boxes else np.empty((0, 4))
    return boxes, all_texts


def drawn_marker_boxes(figure, width: float = ASSUMED_WIDTH) -> np.ndarray:
    """The screen boxes of every visible marker of a scatter figure (invisible ones, opacity 0, left out)."""
    project = _figure_screen(figure, width)
    boxes = [marker_boxes(project(trace), _marker_sizes(trace, len(trace.x)))
             for trace in _point_traces(figure) if "markers" in (trace.mode or "markers") and trace.marker.opacity != 0]
    return np.concatenate(boxes) if boxes else np.empty((0, 4))
