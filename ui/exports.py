"""Download buttons for what a chart shows: coordinates, vectors and the chart itself."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def export_buttons(key: str, name: str, words: Sequence[str], groups: Sequence[str], coords: np.ndarray,
                   figure: go.Figure, vectors: np.ndarray | None = None) -> None:
    """A "Download" menu: coordinates as CSV, the chart as interactive HTML, and the vectors and
    metadata as the Projector's TSV pair when given.

    Files are built only when a button is pressed (``data`` is a function), so that a
    page with 100,000 points does not build them on every rerun.
    """
    from inputs import vectorfiles

    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "chart"
    words, groups = list(words), list(groups)
    menu = st.popover("Download", icon=":material/download:")
    menu.download_button(
        "Coordinates (CSV)", lambda: vectorfiles.to_coordinates_csv(words, coords, groups), f"{stem}-coordinates.csv",
        "text/csv", key=f"{key}_export_csv", on_click="ignore", icon=":material/download:",
        help="x, y (and z) of every point on the chart, with its word and group; opens in a spreadsheet, "
             "and the Your coordinates page draws it again.")
    menu.download_button(
        "Chart (HTML)", lambda: figure.to_html(include_plotlyjs=True, full_html=True), f"{stem}.html", "text/html",
        key=f"{key}_export_html", on_click="ignore", icon=":material/download:",
        help="This chart as a standalone interactive page (zoom, hover), with no app or internet needed.")
    if vectors is not None:
        metadata = pd.DataFrame({"group": groups}) if any(groups) else None
        # Both files come from one call, made on the first of the two downloads and kept for the other.
        projector_files = functools.cache(lambda: vectorfiles.to_projector_tsv(words, vectors, metadata))
        menu.download_button(
            "Vectors (TSV)", lambda: projector_files()[0], f"{stem}-vectors.tsv",
            "text/tab-separated-values", key=f"{key}_export_vectors", on_click="ignore", icon=":material/download:",
            help="The original vectors, one row per word, for the TensorFlow Embedding Projector or this app.")
        menu.download_button(
            "Metadata (TSV)", lambda: projector_files()[1],
            f"{stem}-metadata.tsv", "text/tab-separated-values", key=f"{key}_export_metadata", on_click="ignore",
            icon=":material/download:", help="The words (and groups) matching the vectors file row by row.")
