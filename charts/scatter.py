"""Labelled 2-D and 3-D scatter plots of projected items, readable from 10 to 1,000,000 points.

No two labels overlap: labels are chosen greedily by priority (highlighted words, then the
neighbours a caller names, then one word per region of the chart) and each is drawn above its
marker, else below, right or left, only where its box, estimated in screen space
(``charts.labels``), crosses no label placed before it (on a small chart, no marker either). Markers
shrink and fade as points grow in number; above ``WEBGL_FROM`` they are drawn with WebGL. Above
``DENSITY_FROM`` points a 2-D chart draws the density of every point (``charts.density``) with a
random sample of markers on top, plus the highlighted and labelled ones; hover shows the word of
every marker drawn. 3-D charts draw at most ``MAX_3D_POINTS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from charts.density import density_trace
from charts.labels import (
    ASSUMED_WIDTH,
    BASE_FONT,
    BOTTOM,
    LINE_HEIGHT,
    POSITIONS,
    TOP,
    legend_size,
    marker_boxes,
    place_labels,
    plain,
    plot_area,
    scene_points,
    screen_of,
    short,
)
from charts.palette import NEUTRAL, NO_GROUP, SEPARATED, VALUE_SCALE, group_colours

#: Above this many points, markers are drawn with WebGL (Scattergl): SVG slows down past a few hundred.
WEBGL_FROM = 500
#: At most this many labels on one chart: more become a ball of text.
LABEL_BUDGET = 100
#: 3-D labels are text meshes the browser builds one by one: 100 of them took 2.4 s in headless
#: Chromium against 0.6 s for 30 (measured), and a rotating cloud stays readable with fewer.
LABEL_BUDGET_3D = 40
#: 3-D charts draw at most this many points (WebGL 3-D turns sluggish above); highlighted ones always.
MAX_3D_POINTS = 10_000
#: Above this many points a 2-D chart draws their density plus a sample of ``DENSITY_MARKERS`` markers:
#: markers alone read as one blob there (500,000 of them also took 48 s to draw). The sample is what
#: hover reaches; small and faint (``DENSITY_MARKER_STYLE``), it leaves the landscape visible beneath.
DENSITY_FROM = 50_000
DENSITY_MARKERS = 10_000
DENSITY_MARKER_STYLE = (3.0, 0.25)
#: How much of each axis stays visible around a word the chart is centred on.
CENTRE_WINDOW = 0.25
#: Highlighted markers, in px at font scale 1.
HIGHLIGHT_SIZE = 16
#: Space around the points, as a share of their extent.
PADDING = 0.05
#: What a colour bar of ``values`` takes from the plot area, in px at font scale 1 (bar, ticks, title).
COLOUR_BAR_PX = 70


@dataclass
class ScatterChart:
    """A scatter figure and what it shows of the points it was given.

    ``drawn`` points are drawn as markers; with ``density`` the others are in the density layer.
    """

    figure: go.Figure
    points: int
    drawn: int
    labelled: int
    density: bool = False

    def note(self) -> str | None:
        """What the chart leaves out, in words (None when it shows and labels every point)."""
        parts = []
        if self.density:
            parts.append(f"{self.points:,} points: the grey shading is their density; {self.drawn:,} of them are "
                         "drawn as markers (a random sample plus the highlighted and labelled ones).")
        elif self.drawn < self.points:
            parts.append(f"3-D: showing {self.drawn:,} of {self.points:,} points (a random sample plus highlighted words).")
        if self.labelled < self.drawn:
            parts.append(f"Labels on {self.labelled:,} of {self.points:,} points: highlighted words, then one word per "
                         "region of the chart, each only where it covers no other label. Hover over a marker to see "
                         "its word.")
        return " ".join(parts) or None


def scatter(coords: np.ndarray, labels: Sequence[str], groups: Sequence[str] | None = None, **options) -> go.Figure:
    """The figure of ``scatter_chart`` (same arguments)."""
    return scatter_chart(coords, labels, groups, **options).figure


def scatter_chart(
    coords: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str] | None = None,
    *,
    highlight: Sequence[str] = (),
    neighbours: Sequence[str] = (),
    centre_on: str | None = None,
    title: str | None = None,
    height: int = 560,
    width: int = ASSUMED_WIDTH,
    font_scale: float = 1.0,
    label_budget: int | None = None,
    colours: Mapping[str, str] | None = None,
    legend_below: bool = False,
    margin: Mapping[str, int] | None = None,
    seed: int = 0,
    values: np.ndarray | None = None,
    value_title: str = "value",
) -> ScatterChart:
    """A scatter of ``coords`` (``[n x 2]`` or ``[n x 3]``), one trace per group.

    ``highlight`` labels are drawn larger, as diamonds, in bold, and labelled first; ``neighbours``
    are labelled next. ``centre_on`` (a label) zooms a 2-D chart onto that point. Labels are
    escaped so that user text never renders as markup. ``label_budget`` defaults to
    ``LABEL_BUDGET`` in 2-D and ``LABEL_BUDGET_3D`` in 3-D.

    Labels are placed for a chart ``width`` x ``height`` px with text ``font_scale`` times Plotly's
    12 px (``charts.presentation.SCALE`` for a projector): a chart drawn narrower or lower, or
    enlarged afterwards, may show overlapping labels. ``colours`` maps groups to colours (default:
    ``charts.palette.group_colours(groups)``); share one mapping between charts of the same list.
    ``values`` (one per point, 0 to 1) colour the markers on ``charts.palette.VALUE_SCALE`` instead,
    with a colour bar titled ``value_title`` and the value in each hover (pass no groups with them).
    """
    coords = np.asarray(coords, dtype=float)
    labels = list(map(str, labels))  # map: a third of a list comprehension's time over a million labels
    groups = [NO_GROUP] * len(labels) if groups is None or len(groups) == 0 else [g or NO_GROUP for g in groups]
    if len(groups) != len(labels) or len(coords) != len(labels):
        raise ValueError("coords, labels and groups must have the same length.")
    n = len(labels)
    three_d = coords.ndim == 2 and coords.shape[1] == 3
    if n == 0:
        coords = np.zeros((0, 3 if three_d else 2))
    highlighted = _rows_in(labels, highlight)
    first = np.flatnonzero(highlighted)
    first = np.concatenate([first, np.setdiff1d(np.flatnonzero(_rows_in(labels, neighbours)), first)])
    density = not three_d and n > DENSITY_FROM
    if label_budget is None:
        label_budget = LABEL_BUDGET_3D if three_d else LABEL_BUDGET

    # Which points become markers (a sample above the caps; always the highlighted and neighbours).
    drawn = np.arange(n)
    if three_d and n > MAX_3D_POINTS:
        drawn = _sample_keeping(n, MAX_3D_POINTS, _mask(n, first), seed)
    elif density:
        drawn = _sample_keeping(n, DENSITY_MARKERS, _mask(n, first), seed)

    # The screen the chart is drawn on, and each candidate label's box on it.
    group_array = np.asarray(groups, dtype=object)
    colour_of = dict(colours) if colours is not None else group_colours(dict.fromkeys(groups))
    group_names = list(dict.fromkeys(group_array[drawn]))
    show_legend = len(group_names) > 1
    font = BASE_FONT * font_scale
    layout_margin = {"l": 10, "r": 10, "t": round(40 * font_scale) if title else 10, "b": 10, **(margin or {})}
    legend = legend_size([plain(g) for g in group_names], font, legend_below, width) if show_legend else (0.0, 0.0)
    if values is not None:  # the colour bar takes the legend's place: right of the plot, or under it
        legend = (0.0, COLOUR_BAR_PX * font_scale) if legend_below else (COLOUR_BAR_PX * font_scale, 0.0)
    area = plot_area(width, height, layout_margin, legend)
    marker_size, opacity = DENSITY_MARKER_STYLE if density else marker_style(len(drawn))
    sizes = np.where(highlighted, HIGHLIGHT_SIZE, marker_size) * font_scale
    ranges = _ranges(coords, three_d, area, LINE_HEIGHT * font + HIGHLIGHT_SIZE * font_scale / 2 + 2)
    if three_d:
        project = lambda rows: scene_points(coords[rows], ranges, area)  # noqa: E731
    else:
        screen = screen_of(ranges[0], ranges[1], area)
        project = lambda rows: screen.points(coords[rows])  # noqa: E731

    pool = drawn if not density else np.arange(n)  # regions of the density are those of every point
    regional = pool[_candidates(coords[pool], label_budget, small=len(pool) <= label_budget)]
    candidates = np.concatenate([first, regional[~np.isin(regional, first)]]).astype(np.intp)
    candidates = candidates[np.isfinite(coords[candidates]).all(axis=1)]
    # A small chart's labels also keep off every marker; a large one has too many markers for that.
    small = len(drawn) <= WEBGL_FROM
    obstacles = marker_boxes(project(drawn), sizes[drawn]) if small else None
    placed, positions = place_labels(project(candidates), _texts([labels[i] for i in candidates],
                                                                 highlighted[candidates]),
                                     font, sizes[candidates], label_budget, obstacles,
                                     # beside a 3-D marker, text sits where the camera puts it: above or below only
                                     positions=(TOP, BOTTOM) if three_d else POSITIONS,
                                     forced=int(highlighted[candidates].sum()),
                                     bounds=None if three_d else screen.visible())
    position_of = dict(zip(candidates[placed].tolist(), positions))
    labelled = np.sort(candidates[placed])
    if density:
        drawn = np.union1d(drawn, labelled)
    webgl = not three_d and not small

    figure = go.Figure()
    if density:
        figure.add_trace(density_trace(coords, ranges[0], ranges[1], area))
    drawn_groups = group_array[drawn]
    for group in group_names:
        rows = drawn[drawn_groups == group]
        text = None
        if small:  # labels on the marker traces: hiding a group in the legend hides its labels too
            text = [(t if row in position_of else "", position_of.get(row, TOP))
                    for t, row in zip(_texts([labels[i] for i in rows], highlighted[rows]), rows.tolist())]
        figure.add_trace(_marker_trace(coords[rows], [labels[i] for i in rows], highlighted[rows], sizes[rows], opacity,
                                       group, colour_of.get(group, NEUTRAL), three_d, webgl, text, font))
        if values is not None:
            _colour_by_values(figure.data[-1], np.asarray(values, dtype=float)[rows], value_title, legend_below,
                              colour_bar=group == group_names[0])
    if not small and len(labelled):
        figure.add_trace(_label_trace(coords[labelled], _texts([labels[i] for i in labelled], highlighted[labelled]),
                                      [position_of[row] for row in labelled.tolist()], sizes[labelled], three_d, font))

    # No axis title at all: even an empty one makes Plotly reserve 25 px, which the placement would not know.
    axis = dict(showticklabels=False, zeroline=False)
    layout = dict(
        title=plain(title) if title else None,
        height=height,
        showlegend=show_legend,
        legend=(dict(orientation="h", yanchor="top", y=-0.02, x=0, title=None) if legend_below
                else dict(title="group", itemsizing="constant")) | dict(font=dict(size=round(font))),
        font=dict(size=round(font)),
        margin=layout_margin,
        # charts.presentation.enlarged leaves a figure alone that was built at its scale.
        meta=dict(font_scale=font_scale),
    )
    if font_scale != 1:
        layout["title_font_size"] = round(1.4 * font)
    if three_d:
        scene_axes = {name: dict(axis, range=list(r)) for name, r in zip(("xaxis", "yaxis", "zaxis"), ranges)}
        figure.update_layout(scene=dict(aspectmode="cube", **scene_axes), **layout)
    else:
        x_axis, y_axis = dict(axis, range=list(ranges[0])), {**axis, "range": list(ranges[1]), "scaleanchor": "x"}
        if centre_on in labels and n > 1:
            x_axis["range"], y_axis["range"] = _window_around(coords, labels.index(centre_on),
                                                              np.flatnonzero(_rows_in(labels, neighbours)))
        figure.update_layout(xaxis=x_axis, yaxis=y_axis, **layout)
    return ScatterChart(figure, n, len(drawn), len(labelled), density)


def marker_style(n: int) -> tuple[float, float]:
    """Marker size (px at font scale 1) and opacity for ``n`` markers: smaller and fainter as ``n`` grows.

    9 px and 0.9 for a few dozen points, about 6.5 px and 0.55 for a thousand, 4 px and 0.3 for 20,000,
    so that dense regions darken instead of turning solid, and labels stay readable over them.
    """
    decades = np.log10(max(n, 1))
    return float(np.clip(11.5 - 1.7 * decades, 3.0, 9.0)), float(np.clip(1.15 - 0.2 * decades, 0.25, 0.9))


def region_rows(coords: np.ndarray, cells: int) -> np.ndarray:
    """One row per occupied cell of a grid of about ``cells`` cells over the first two coordinates, busiest first.

    Each cell's row is the point nearest the cell's centre of mass: a word typical of its region.
    Written by hand: no plotting library picks readable labels for us.
    """
    finite = np.flatnonzero(np.isfinite(coords[:, :2]).all(axis=1))  # a point without a place gets no label
    if len(finite) == 0 or cells <= 0:
        return np.empty(0, dtype=np.intp)
    if len(finite) < len(coords):
        return finite[region_rows(coords[finite], cells)]
    side = int(np.ceil(np.sqrt(cells)))
    xy = coords[:, :2]
    low, span = xy.min(axis=0), np.ptp(xy, axis=0)
    span[span == 0] = 1.0
    cell_xy = np.minimum(((xy - low) / span * side).astype(int), side - 1)
    cell = cell_xy[:, 0] * side + cell_xy[:, 1]
    counts = np.bincount(cell, minlength=side * side)
    centres = np.column_stack([np.bincount(cell, xy[:, i], side * side) for i in range(2)]) / np.maximum(counts, 1)[:, None]
    # The nearest point of each cell in linear time (sorting a million distances took 0.5 s).
    distance = np.linalg.norm(xy - centres[cell], axis=1)
    nearest = np.full(side * side, np.inf)
    np.minimum.at(nearest, cell, distance)
    ties = np.flatnonzero(distance == nearest[cell])[::-1]
    representative = np.full(side * side, -1, dtype=np.intp)
    representative[cell[ties]] = ties  # written last to first, so the first of equally near points stays
    representatives = representative[representative >= 0]
    return representatives[np.argsort(-counts[cell[representatives]], kind="stable")]


def _candidates(coords: np.ndarray, budget: int, small: bool) -> np.ndarray:
    """Rows worth a label, best first: a coarse grid's regions, then a finer one's (to fill gaps
    left by labels that did not fit), then, on a small chart, every other row."""
    if budget <= 0:
        return np.empty(0, dtype=np.intp)
    rows = [region_rows(coords, 2 * budget), region_rows(coords, 8 * budget)]
    if small:
        rows.append(np.arange(len(coords)))
    order = np.concatenate(rows)
    _, first_seen = np.unique(order, return_index=True)
    return order[np.sort(first_seen)]


def _rows_in(labels: Sequence[str], wanted: Sequence[str]) -> np.ndarray:
    lookup = set(wanted)
    if not lookup:
        return np.zeros(len(labels), dtype=bool)
    return np.fromiter(map(lookup.__contains__, labels), dtype=bool, count=len(labels))


def _mask(n: int, rows: np.ndarray) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _ranges(coords: np.ndarray, three_d: bool, area: tuple[float, float], label_px: float) -> list[tuple[float, float]]:
    """Axis ranges around the points with ``PADDING``; a 2-D chart also keeps ``label_px`` free above
    its highest point, so that the labels on top are not cut off."""
    dims = 3 if three_d else 2
    finite = coords[np.isfinite(coords[:, :dims]).all(axis=1)]
    if len(finite) == 0:
        return [(-1.0, 1.0)] * dims
    low, high = finite.min(axis=0)[:dims], finite.max(axis=0)[:dims]
    span = high - low
    span = np.where(span > 0, span, np.maximum(np.abs(high), 1.0))
    low, high = low - PADDING * span, high + PADDING * span
    if not three_d:
        scale = screen_of((low[0], high[0]), (low[1], high[1]), area).y_scale
        high[1] += label_px / scale
    return [(float(a), float(b)) for a, b in zip(low, high)]


def _sample_keeping(n: int, size: int, keep: np.ndarray, seed: int) -> np.ndarray:
    """``size`` random rows of ``n``, always including the rows where ``keep`` is true."""
    kept = np.flatnonzero(keep)
    others = np.flatnonzero(~keep)
    sample = np.random.default_rng(seed).choice(others, max(0, min(len(others), size - len(kept))), replace=False)
    return np.sort(np.concatenate([kept, sample]))


def _window_around(coords: np.ndarray, row: int, keep: np.ndarray | None = None) -> tuple[list[float], list[float]]:
    """x and y ranges showing ``CENTRE_WINDOW`` of each axis around point ``row``, widened to show the
    points ``keep`` too (the neighbours a caller named: a line to one far away must not leave the chart)."""
    half = np.ptp(coords[:, :2], axis=0).max() * CENTRE_WINDOW / 2 or 1.0
    if keep is not None and len(keep):
        half = max(half, float(np.abs(coords[keep, :2] - coords[row, :2]).max()) * (1 + 5 * PADDING))  # + labels
    x, y = coords[row, :2]
    return [x - half, x + half], [y - half, y + half]


def _marker_trace(points, labels, highlighted, sizes, opacity, group, colour, three_d, webgl, text, font):
    """One group's markers; ``text`` holds (label or "", text position) per point, or is None.

    Per-point styles only where a point is highlighted (see ``_values``).
    """
    some = bool(highlighted.any())
    marker = dict(
        color=colour,
        size=_values(sizes) if some else float(sizes[0]) if len(sizes) else 1.0,
        symbol=_values(np.where(highlighted, "diamond", "circle").astype(object)) if some else "circle",
        # 3-D markers take one opacity for the whole trace; 2-D ones keep highlighted words opaque.
        opacity=_values(np.where(highlighted, 1.0, opacity)) if some and not three_d else opacity,
        line=dict(width=0),
    )
    common = dict(
        name=plain(group),
        mode="markers+text" if text is not None else "markers",
        customdata=_values(np.array([plain(label) for label in labels], dtype=object)),
        hovertemplate="%{customdata}<extra>" + plain(group) + "</extra>",
        marker=marker,
    )
    if text is not None:
        common.update(text=[t for t, _ in text], textposition=[p for _, p in text], textfont=_text_font(font, three_d))
    if three_d:
        return go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2], **common)
    if webgl:  # single precision is plenty on screen and halves what the browser receives
        return go.Scattergl(x=points[:, 0].astype(np.float32), y=points[:, 1].astype(np.float32), **common)
    return go.Scatter(x=points[:, 0], y=points[:, 1], **common)


def _colour_by_values(trace, values: np.ndarray, title: str, below: bool, colour_bar: bool) -> None:
    """Colour ``trace``'s markers by ``values`` (0 to 1) on ``VALUE_SCALE``; the hover names the value."""
    bar = dict(title=dict(text=plain(title), side="top" if below else "right"), thickness=12, tickformat=".1f",
               **(dict(orientation="h", y=-0.02, yanchor="top", len=0.6) if below else {}))
    trace.update(marker=dict(color=_values(values), colorscale=VALUE_SCALE, cmin=0.0, cmax=1.0, showscale=colour_bar,
                             colorbar=bar if colour_bar else None),
                 hovertemplate="%{customdata}<br>" + plain(title) + " %{marker.color:.2f}<extra></extra>")


def _values(array: np.ndarray):
    """Per-point values for Plotly: a list on a small chart (any JSON encoder reads the figure), the array on a
    large one (Plotly validates a list item by item: 1.9 s of 2.4 s for 20,000 markers, measured)."""
    return array.tolist() if len(array) <= WEBGL_FROM else array


def _label_trace(points, texts, positions, sizes, three_d, font):
    """The chosen labels of a large chart as their own trace, drawn as SVG text so they stay crisp.

    Invisible markers of each point's size push its label as far from the point as the marker
    underneath does on a marker trace.
    """
    common = dict(name="labels", mode="markers+text", text=texts, textposition=positions, hoverinfo="skip",
                  showlegend=False, textfont=_text_font(font, three_d), marker=dict(size=_values(sizes), opacity=0))
    if three_d:
        return go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2], **common)
    return go.Scatter(x=points[:, 0], y=points[:, 1], **common)


def _text_font(size: float, three_d: bool) -> dict:
    """Label text of ``size`` px; in 2-D with a halo of the background colour, readable over markers."""
    return dict(size=size) if three_d else dict(size=size, shadow="auto")


def _texts(labels, highlighted) -> list[str]:
    return [f"<b>{short(label)}</b>" if h else short(label) for label, h in zip(labels, highlighted)]


def add_query_marker(figure: go.Figure, point: np.ndarray, query: str) -> go.Figure:
    """Draw a search query as its own marker (a large black star) on a 2-D or 3-D scatter.

    The star has no text of its own: the figure's labels were placed without it, so a label here could
    cover one of them. Its hover and the chart's title name the query.
    """
    return add_placed_items(figure, np.atleast_2d(point), [query], name="query", labelled=False)


#: Items placed on a drawn map (``projection.placement``): black stars in 2-D (3-D has no star: diamonds).
PLACED_MARKER = dict(color="black", line=dict(color="white", width=1))
PLACED_SIZE = 22


def add_placed_items(figure: go.Figure, points: np.ndarray, labels: Sequence[str], *, name: str = "placed",
                     labelled: bool = True, font_scale: float = 1.0, keep_in_view: bool = False) -> go.Figure:
    """Draw items placed on an existing map as a trace of their own (``PLACED_MARKER``), named in the legend.

    ``labelled`` writes each label in bold above its star: the chart's other labels were placed without
    them, so one may cross an existing label (hover names every star either way). ``keep_in_view`` widens
    the axes where a star falls outside them.
    """
    points = np.atleast_2d(np.asarray(points, dtype=float))
    if keep_in_view and len(points):
        axes = ("xaxis", "yaxis", "zaxis") if points.shape[1] == 3 else ("xaxis", "yaxis")
        for column, axis in enumerate(axes):
            layout_axis = figure.layout.scene[axis] if points.shape[1] == 3 else figure.layout[axis]
            if layout_axis.range is None:
                continue
            low, high = layout_axis.range
            span = high - low
            wanted_low, wanted_high = points[:, column].min() - PADDING * span, points[:, column].max() + 2 * PADDING * span
            layout_axis.range = [min(low, float(wanted_low)), max(high, float(wanted_high))]
    texts = [f"<b>{short(label)}</b>" for label in labels]
    common = dict(name=plain(name), mode="markers+text" if labelled else "markers", showlegend=True,
                  customdata=[plain(label) for label in labels],
                  hovertemplate="%{customdata}<extra>" + plain(name) + "</extra>")
    if labelled:
        common.update(text=texts, textposition="top center")
    size = PLACED_SIZE * font_scale
    if points.shape[1] == 3:
        figure.add_trace(go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2],
                                      marker=dict(PLACED_MARKER, symbol="diamond", size=size / 2), **common,
                                      textfont=_text_font(BASE_FONT * font_scale, True)))
    else:
        figure.add_trace(go.Scatter(x=points[:, 0], y=points[:, 1], marker=dict(PLACED_MARKER, symbol="star", size=size),
                                    textfont=_text_font(BASE_FONT * font_scale, False), **common))
    return figure


def colour_by_values(figure: go.Figure, labels: Sequence[str], values: np.ndarray, title: str,
                     below: bool = True, colour_bar: bool = True) -> go.Figure:
    """Colour the markers of a ``scatter_chart`` figure already built (e.g. a Compare panel) by one value
    per label (0 to 1) instead of by group, with a colour bar (under the plot when ``below``) in place of
    the legend. Markers are matched to ``labels`` through their hover text."""
    value_of = {plain(label): float(value) for label, value in zip(map(str, labels), np.asarray(values, dtype=float))}
    for trace in figure.data:
        if trace.customdata is None or "markers" not in (trace.mode or ""):
            continue
        known = np.array([value_of.get(str(label), np.nan) for label in trace.customdata])
        if np.isnan(known).all():  # not the map's own points (a query, placed items): left as they are
            continue
        _colour_by_values(trace, known, title, below, colour_bar)
        colour_bar = False  # one bar per figure
    return figure.update_layout(showlegend=False)


def add_neighbour_lines(figure: go.Figure, coords: np.ndarray, row: int, neighbours: Sequence[int],
                        near: Sequence[bool]) -> go.Figure:
    """Lines from point ``row`` to each of ``neighbours`` (its nearest in the original space): solid where
    the map also put the neighbour near (``near``), dashed and in vermillion where it moved it away."""
    coords = np.asarray(coords, dtype=float)
    three_d = coords.shape[1] == 3
    is_near = np.asarray(near, dtype=bool)
    for kept, name, colour, dash in ((True, "true neighbour, near on the map", NEUTRAL, "solid"),
                                     (False, "true neighbour, moved away", SEPARATED, "dash")):
        ends = np.asarray(neighbours, dtype=np.intp)[is_near == kept]
        if not len(ends):
            continue
        # One trace per kind: each line is (word, neighbour, gap), so that Plotly draws them apart.
        path = np.full((3 * len(ends), coords.shape[1]), np.nan)
        path[0::3], path[1::3] = coords[row], coords[ends]
        line = dict(color=colour, width=2, dash=dash)
        common = dict(name=name, mode="lines", line=line, hoverinfo="skip", showlegend=False, connectgaps=False)
        if three_d:
            figure.add_trace(go.Scatter3d(x=path[:, 0], y=path[:, 1], z=path[:, 2], **common))
        else:
            figure.add_trace(go.Scatter(x=path[:, 0], y=path[:, 1], **common))
    return figure
