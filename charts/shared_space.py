"""The chart of images and words in one space: the digit images mapped onto GloVe, the words beside them.

A plain figure builder (arrays in, Plotly figure out) for ``images.shared_space``'s results.
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go

from charts.labels import plain
from charts.palette import group_colours
from images.shared_space import (
    DIGIT_WORDS,
    JointProjection,
    SearchResult,
    SharedSpace,
    digits,
    png_bytes,
    thumbnail,
    typical_rows,
)

#: A thumbnail's side as a share of the wider axis' extent (one per digit: ten stay readable, 1,797 would not).
THUMBNAIL_SHARE = 0.07
#: The words' labels and stars, in px at font scale 1: larger than the points, they are what the chart is about.
WORD_FONT = 15
WORD_SIZE = 16
WORD_COLOUR = "#000000"
QUERY_COLOUR = "#D55E00"
#: Word labels sit outside the ring of points, this share of its radius beyond the farthest point, at
#: least this many radians apart around the centre: number words that GloVe puts close together stay legible.
LABEL_REACH = 0.22
LABEL_GAP_RADIANS = 0.3


def _data_uri(picture: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(picture)).decode("ascii")


def _spread(angles: np.ndarray, gap: float) -> np.ndarray:
    """``angles`` (radians) moved as little as possible (least squares) so that neighbours around the circle
    are at least ``gap`` apart (at most a little under a full turn divided among them).

    The circle is cut open at its widest empty arc; on that line, keeping neighbours ``gap`` apart is an
    isotonic regression of ``angle - rank * gap`` (scikit-learn's ``IsotonicRegression``).
    """
    from sklearn.isotonic import IsotonicRegression

    count = len(angles)
    if count < 2:
        return np.asarray(angles, dtype=float)
    gap = min(gap, 0.9 * 2 * np.pi / count)
    order = np.argsort(angles)
    ordered = np.asarray(angles, dtype=float)[order]
    cut = int(np.argmax(np.diff(np.append(ordered, ordered[0] + 2 * np.pi)))) + 1  # after the widest empty arc
    order, ordered = np.roll(order, -cut), np.roll(ordered, -cut)
    line = ordered[0] + (ordered - ordered[0]) % (2 * np.pi)  # increasing from the cut
    steps = np.arange(count) * gap
    fitted = IsotonicRegression().fit_transform(np.arange(count), line - steps) + steps
    out = np.empty(count)
    out[order] = fitted
    return out


def shared_space_figure(space: SharedSpace, projection: JointProjection, found: SearchResult | None = None,
                        query_point: np.ndarray | None = None, thumbnails: bool = True, height: int = 600,
                        scale: float = 1.0) -> go.Figure:
    """One chart: every image's mapped vector (coloured by digit; held-out digits as diamonds), the ten
    words as stars labelled around the points, one typical image per digit as a thumbnail, and a
    search's word and hits if given.

    ``query_point`` places the searched word when it is not one of the ten; ``scale`` enlarges text and
    markers (presentation mode).
    """
    colours = group_colours(str(digit) for digit in range(len(DIGIT_WORDS)))
    held = set(space.held_out)
    figure = go.Figure()
    # One WebGL trace per digit: 1,797 points with only their row numbers as hover data keep the page light.
    for digit in range(len(DIGIT_WORDS)):
        rows = np.flatnonzero(space.labels == digit)
        unseen = digit in held
        figure.add_trace(go.Scattergl(
            x=projection.images[rows, 0], y=projection.images[rows, 1], mode="markers", customdata=rows,
            name=f"{digit} · held out" if unseen else str(digit), legendgroup="held out" if unseen else "seen",
            marker=dict(color=colours[str(digit)], size=(9 if unseen else 6) * scale,
                        symbol="diamond" if unseen else "circle", opacity=0.9 if unseen else 0.6,
                        line=dict(color="#222222", width=1 if unseen else 0)),
            hovertemplate=f"image #%{{customdata}}: a handwritten {digit}"
                          + (" (held out: never seen in training)" if unseen else "") + "<extra></extra>",
        ))
    if found is not None and len(found.rows):
        figure.add_trace(go.Scatter(
            x=projection.images[found.rows, 0], y=projection.images[found.rows, 1], mode="markers",
            name=f"found for “{plain(found.word)}”", customdata=found.rows, text=[f"{c:.3f}" for c in found.cosines],
            marker=dict(color="rgba(0,0,0,0)", size=15 * scale, line=dict(color=QUERY_COLOUR, width=2.5)),
            hovertemplate="image #%{customdata}: cosine %{text} with the word<extra></extra>",
        ))
    # The searched word gets its own star when it is not one of the ten (and only with a search).
    query = query_point[None, :] if found is not None and query_point is not None else None
    stars = np.vstack([projection.words] + ([query] if query is not None else []))
    texts = [f"<b>{word}</b>" if digit in held else word for digit, word in enumerate(DIGIT_WORDS)]
    texts += [f"<b>{plain(found.word)}</b>"] if query is not None and found is not None else []
    figure.add_trace(go.Scatter(
        x=projection.words[:, 0], y=projection.words[:, 1], mode="markers", name="words (GloVe)",
        customdata=list(DIGIT_WORDS), hovertemplate="the word “%{customdata}” (its GloVe vector)<extra></extra>",
        marker=dict(symbol="star", size=WORD_SIZE * scale, color=WORD_COLOUR, line=dict(color="white", width=1)),
    ))
    if query is not None and found is not None:
        figure.add_trace(go.Scatter(
            x=query[:, 0], y=query[:, 1], mode="markers", name="your word", customdata=[found.word],
            hovertemplate="the word “%{customdata}” (its GloVe vector)<extra></extra>",
            marker=dict(symbol="star", size=(WORD_SIZE + 2) * scale, color=QUERY_COLOUR,
                        line=dict(color="white", width=1)),
        ))
    # Labels around the ring of points, joined to their stars by a line: the words crowd where the points do.
    points = np.vstack([projection.images, stars])
    centre = np.median(projection.images, axis=0)
    radius = float(np.linalg.norm(points - centre, axis=1).max())
    offsets = stars - centre
    angles = _spread(np.arctan2(offsets[:, 1], offsets[:, 0]), LABEL_GAP_RADIANS)
    labels_at = centre + radius * (1 + LABEL_REACH) * np.column_stack([np.cos(angles), np.sin(angles)])
    for index, (star, label, text) in enumerate(zip(stars, labels_at, texts)):
        colour = QUERY_COLOUR if index >= len(DIGIT_WORDS) else WORD_COLOUR
        figure.add_annotation(x=star[0], y=star[1], ax=label[0], ay=label[1], axref="x", ayref="y", text=text,
                              showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor="#777777", standoff=4,
                              font=dict(size=WORD_FONT * scale, color=colour), bgcolor="rgba(255,255,255,0.85)")
    extent = np.vstack([points, labels_at])
    low, high = extent.min(axis=0), extent.max(axis=0)
    side = THUMBNAIL_SHARE * float(max(high - low))
    if thumbnails:
        images = digits().images
        for row in typical_rows(projection.images, space.labels):
            framed = np.pad(thumbnail(images[row]), 1, constant_values=150)  # a grey frame: paper on paper
            figure.add_layout_image(source=_data_uri(framed), x=projection.images[row, 0], y=projection.images[row, 1],
                                    xref="x", yref="y", sizex=side, sizey=side, xanchor="center", yanchor="middle",
                                    layer="above", opacity=0.95)
    padding = 0.08 * (high - low)
    figure.update_layout(
        height=height, margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white",
        title=dict(text="Digit images mapped into GloVe, with the words · PCA", font=dict(size=16 * scale)),
        legend=dict(title="digit", itemsizing="constant", font=dict(size=12 * scale)), meta=dict(font_scale=scale), dragmode="pan",
        xaxis=dict(range=[float(low[0] - padding[0]), float(high[0] + padding[0])], showticklabels=False,
                   zeroline=False, showgrid=False, title=""),
        yaxis=dict(range=[float(low[1] - padding[1]), float(high[1] + padding[1])], showticklabels=False,
                   zeroline=False, showgrid=False, title="", scaleanchor="x"),
    )
    return figure
