"""Charts enlarged for a projector: bigger text, markers and labels.

A scatter from ``charts.scatter`` places its labels for one font size, so enlarging it afterwards
would make them overlap: build it with ``font_scale=SCALE`` instead. It records that scale in
``layout.meta``, and ``enlarged`` leaves such a figure as it is.
"""

from __future__ import annotations

import plotly.graph_objects as go

#: Text and markers grow by this factor; Plotly's default text is 12 px.
SCALE = 1.7
BASE_FONT = 12


def enlarged(figure: go.Figure, scale: float = SCALE) -> go.Figure:
    """A copy of ``figure`` with every font and marker ``scale`` times larger (unchanged if built at ``scale``)."""
    figure = go.Figure(figure)
    if built_at_scale(figure) >= scale:
        return figure
    figure.update_layout(font_size=round(BASE_FONT * scale), title_font_size=round(1.4 * BASE_FONT * scale),
                         legend_font_size=round(BASE_FONT * scale))
    for trace in figure.data:
        text_font = getattr(trace, "textfont", None)
        if text_font is not None:
            trace.textfont.size = round((text_font.size or BASE_FONT) * scale)
        marker = getattr(trace, "marker", None)
        size = getattr(marker, "size", None) if marker is not None else None
        if isinstance(size, (int, float)):
            trace.marker.size = size * scale
        elif size is not None:
            trace.marker.size = [s * scale for s in size]
    return figure


def built_at_scale(figure: go.Figure) -> float:
    """The font scale a figure was built at (``layout.meta["font_scale"]``), 1 when it does not say."""
    meta = figure.layout.meta
    return float(meta.get("font_scale", 1.0)) if isinstance(meta, dict) else 1.0
