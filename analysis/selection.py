"""What a box or lasso on a map holds: the selected items, their groups and nearest neighbours.

Neighbours come from the original vectors (cosine, through an exact FAISS index), never
from the map, so a selection tells what the items are near, not only where they were drawn.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from retrieval import IndexSettings, VectorIndex

NEIGHBOURS = 3


def selected_rows(points: Iterable[Mapping], labels: Sequence[str]) -> list[int]:
    """Rows of ``labels`` picked in a Plotly selection, in list order.

    Points carry their label as ``customdata``, escaped for Plotly (``charts.labels.plain``);
    label-only traces carry none and are skipped.
    """
    row_of = {label: row for row, label in enumerate(labels)}
    picked = set()
    for point in points:
        data = point.get("customdata")
        label = html.unescape(data[0] if isinstance(data, (list, tuple)) else data) if data is not None else None
        if label in row_of:
            picked.add(row_of[label])
    return sorted(picked)


def selection_table(rows: Sequence[int], items: Sequence[str], groups: Sequence[str], vectors: np.ndarray,
                    index: VectorIndex | None = None, k: int = NEIGHBOURS) -> pd.DataFrame:
    """One row per selected item: its group and its ``k`` nearest items of the whole list (cosine)."""
    if index is None:
        index = VectorIndex.build(vectors, IndexSettings("exact"))
    rows = list(rows)
    neighbours: list[str] = []
    if rows:
        found = index.search(vectors[rows], k + 1).indices
        neighbours = [" · ".join([items[i] for i in found_row if i >= 0 and i != row][:k])
                      for row, found_row in zip(rows, found)]
    return pd.DataFrame({"item": [items[r] for r in rows], "group": [groups[r] for r in rows],
                         f"{k} nearest in the list": neighbours})
