"""One animated map for several methods: each frame a method's layout, aligned onto the frame before it.

The frames are the methods' 2-D layouts of the same words, each rotated, reflected and scaled onto the
previous one (orthogonal Procrustes over the words both have, ``projection.align``), so a word moves
only as far as the methods disagree about it. Every frame is a ``charts.scatter`` chart of the union
of words (a word a method has no vector for is left out of that frame), so labels never overlap
within a frame. Play/pause buttons (``updatemenus``) and a slider (``sliders``) step through them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from charts.labels import plain
from charts.scatter import WEBGL_FROM, scatter_chart
from projection.align import align_to_words

#: How long a frame stays, and how long the move to the next one takes, in ms.
FRAME_MS = 1600
TRANSITION_MS = 900
#: Space under the plot for the slider and the play button, in px at font scale 1.
CONTROLS_PX = 95


@dataclass(frozen=True)
class MethodLayout:
    """One method's 2-D layout: its title, the words it has a vector for, and their coordinates ``[n x 2]``."""

    title: str
    words: Sequence[str]
    coords: np.ndarray


def aligned_in_sequence(layouts: Sequence[MethodLayout]) -> tuple[list[MethodLayout], list[int]]:
    """Each layout aligned onto the (already aligned) one before it, over the words both have.

    Returns the moved layouts and, for each, how many shared words its alignment used (the first: all of
    its words; fewer than ``projection.align.MIN_SHARED_POINTS``: that layout is left as it was).
    """
    moved: list[MethodLayout] = []
    shared_counts: list[int] = []
    for layout in layouts:
        coords, shared = np.asarray(layout.coords, dtype=np.float64), len(layout.words)
        if moved:
            coords, shared = align_to_words(moved[-1].words, moved[-1].coords, layout.words, coords)
        moved.append(MethodLayout(layout.title, list(layout.words), coords))
        shared_counts.append(shared)
    return moved, shared_counts


def method_transition(
    layouts: Sequence[MethodLayout],
    group_of: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    *,
    highlight: Sequence[str] = (),
    height: int = 560,
    width: int = 900,
    font_scale: float = 1.0,
) -> go.Figure:
    """An animated scatter with one frame per layout (in the order given), a play button and a slider.

    ``layouts`` should already be aligned (``aligned_in_sequence``). ``group_of`` colours words by group
    with ``colours``; ``highlight`` as in ``charts.scatter.scatter_chart``. Frame titles say how many
    words each method leaves out.
    """
    if not layouts:
        raise ValueError("No layouts to animate.")
    words = list(dict.fromkeys(word for layout in layouts for word in layout.words))
    groups = [group_of.get(word, "") for word in words] if group_of else None
    margin = dict(b=round(CONTROLS_PX * font_scale))
    frames, ranges = [], []
    for layout in layouts:
        row_of = {word: row for row, word in enumerate(layout.words)}
        coords = np.full((len(words), 2), np.nan)  # a word the method lacks: not drawn in this frame
        present = [i for i, word in enumerate(words) if word in row_of]
        coords[present] = np.asarray(layout.coords, dtype=np.float64)[[row_of[words[i]] for i in present], :2]
        missing = len(words) - len(present)
        title = layout.title + (f" ({missing} word{'s' if missing != 1 else ''} missing)" if missing else "")
        chart = scatter_chart(coords, words, groups, highlight=highlight, title=title, height=height, width=width,
                              font_scale=font_scale, colours=colours, margin=margin)
        for trace in chart.figure.data:
            if trace.customdata is not None and trace.name != "labels":  # a word keeps its id from frame to frame
                trace.ids = list(trace.customdata)
        frames.append((plain(layout.title), title, chart.figure))
        ranges.append((chart.figure.layout.xaxis.range, chart.figure.layout.yaxis.range))

    first = frames[0][2]
    webgl = len(words) > WEBGL_FROM  # WebGL traces cannot glide: each frame is redrawn
    animation = go.Figure(data=first.data, layout=first.layout)
    animation.frames = [
        go.Frame(name=name, data=figure.data,
                 layout=dict(title=dict(text=plain(title)), xaxis=dict(range=x_range), yaxis=dict(range=y_range)))
        for (name, title, figure), (x_range, y_range) in zip(frames, ranges)
    ]
    step = dict(frame=dict(duration=FRAME_MS, redraw=webgl), transition=dict(duration=TRANSITION_MS,
                                                                            easing="cubic-in-out"))
    font = dict(size=round(12 * font_scale))
    animation.update_layout(
        updatemenus=[dict(
            type="buttons", direction="left", showactive=False, x=0.0, xanchor="left", y=0.0, yanchor="top",
            pad=dict(t=round(30 * font_scale), r=10), font=font,
            buttons=[
                dict(label="▶ Play", method="animate", args=[None, dict(step, fromcurrent=True, mode="immediate")]),
                dict(label="❚❚ Pause", method="animate",
                     args=[[None], dict(frame=dict(duration=0, redraw=False), transition=dict(duration=0),
                                        mode="immediate")]),
            ],
        )],
        sliders=[dict(
            active=0, x=0.3, len=0.7, y=0.0, yanchor="top", pad=dict(t=round(20 * font_scale)), font=font,
            currentvalue=dict(prefix="Method: ", xanchor="right", font=font),
            transition=dict(duration=TRANSITION_MS),
            steps=[dict(label=name, method="animate",
                        args=[[name], dict(step, mode="immediate")]) for name, _, _ in frames],
        )],
    )
    return animation
