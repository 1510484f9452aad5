"""Charts enlarged for a projector: bigger text, markers and labels."""

from __future__ import annotations

import plotly.graph_objects as go

#: Text and markers grow by this factor; Plotly's default text is 12 px.
SCALE = 1.7
BASE_FONT = 12


def enlarged(figure: go.Figure, scale: float = SCALE) -> go.Figure:
    """A copy of ``figure`` with every font and marker ``scale`` times larger."""
    figure = go.Figure(figure)
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
