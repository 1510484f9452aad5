"""Maps a user can ask questions of: colour by clusters or by how much of each point's neighbourhood the map
kept, and box or lasso a region to see what is in it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from analysis.clusters import cluster
from analysis.selection import selected_rows, selection_table
from retrieval import IndexSettings, VectorIndex
from ui.display import progress_bar, show_chart
from ui.session_cache import remembered
from ui.sidebar import keep_only, remove_items

#: Short names: they sit in the narrow control column.
COLOURINGS = {"groups": "Groups", "kmeans": "k-means", "hdbscan": "HDBSCAN", "kept": "Neighbourhood kept"}
#: The colouring by per-point kNN recall (``ui.distortion.kept_on_map``): a continuous scale, not groups.
KEPT = "kept"
AUTOMATIC = "automatic"
_GENERATION_KEY = "selection_generation"


def colouring_controls(key: str) -> tuple[str, int | None]:
    """What colours the points (the list's groups or clusters), and the number of clusters (None: automatic)."""
    colouring = st.segmented_control("Colour by", list(COLOURINGS), format_func=COLOURINGS.__getitem__,
                                     required=True, default="groups", key=f"{key}_colouring",
                                     help="The list's own groups, or clusters found in the original vectors "
                                          "(k-means or HDBSCAN), each named by its most central items; or, per "
                                          "point, the share of its nearest neighbours in the original vectors "
                                          "that are also its nearest on the map (where the map lies).")
    k = AUTOMATIC
    if colouring == "kmeans":
        k = st.select_slider("Clusters", [AUTOMATIC, *range(2, 21)], value=AUTOMATIC, key=f"{key}_clusters",
                                help="Automatic: the number with the best silhouette (cosine), from 2 to 12.")
    return colouring, None if k == AUTOMATIC else int(k)


def cluster_groups(items: Sequence[str], vectors: np.ndarray, method: str, k: int | None, seed: int) -> list[str]:
    """Each item's cluster, named by the cluster's most central items; clusters come from the original
    vectors (cosine), not the map. Says how many were found and any sampling."""
    with st.spinner("Clustering in the original space…"):
        found = remembered("clusters", (vectors, method, k, seed), lambda: cluster(vectors, items, method, k, seed))
    st.caption(f"{found.k} {COLOURINGS[method]} clusters found in the original {vectors.shape[1]}-dimensional vectors"
               + (f" (silhouette {found.silhouette:.2f})" if found.silhouette is not None else "")
               + ". Each is named by its most central items. " + " ".join(found.notes))
    return [found.names[int(label)] for label in found.labels]


def selectable_map(figure, key: str, items: Sequence[str], groups: Sequence[str], vectors: np.ndarray,
                   actions: bool = True, picture: bool = False) -> None:
    """A 2-D map on which a box or lasso selects items: a table of them with their group and nearest
    neighbours follows, with buttons (``actions``) to keep only them, remove them or download them.
    ``picture``: the page's main chart (see ``show_chart``)."""
    generation = st.session_state.get(_GENERATION_KEY, 0)  # a new chart key after the list changes
    event = show_chart(figure, key=f"{key}_{generation}", picture=picture, on_select="rerun", selection_mode=("box", "lasso"))
    rows = selected_rows(event.selection.points if event else [], items)
    if not rows:
        if actions:
            st.caption("Draw a box or a lasso on the map (toolbar at its top right) to see what is inside.")
        return
    report, remove = progress_bar()
    index = remembered("index", (vectors, "exact"), lambda: VectorIndex.build(vectors, IndexSettings("exact"), report))
    remove()
    table = selection_table(rows, items, groups, vectors, index)
    st.subheader(f"{len(rows):,} selected")
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_selection_table")
    if not actions:
        return
    chosen = [items[r] for r in rows]
    keep, drop, download = st.columns(3)
    if keep.button("Keep only these", key=f"{key}_keep", disabled=len(rows) == len(items)):
        keep_only(chosen)
        _new_chart()
    if drop.button("Remove these", key=f"{key}_remove", disabled=len(rows) == len(items)):
        remove_items(chosen)
        _new_chart()
    download.download_button("Download (CSV)", table.to_csv(index=False).encode("utf-8"), "selection.csv",
                             "text/csv", key=f"{key}_download")


def _new_chart() -> None:
    st.session_state[_GENERATION_KEY] = st.session_state.get(_GENERATION_KEY, 0) + 1
    st.rerun()
