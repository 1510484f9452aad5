"""Safe, readable point labels for Plotly."""

from __future__ import annotations

import html

#: Longer labels are shortened on the chart; the hover text keeps them whole.
MAX_LABEL_CHARACTERS = 28


def plain(text: str) -> str:
    """Escape ``text`` so Plotly shows it literally (Plotly renders <b>, <a>, <br> …)."""
    return html.escape(str(text), quote=False)


def short(text: str, limit: int = MAX_LABEL_CHARACTERS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, then escaped."""
    text = str(text)
    return plain(text if len(text) <= limit else text[: limit - 1] + "…")
