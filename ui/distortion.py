"""Streamlit helpers that show how much a 2-D/3-D picture distorts the original vectors."""

from __future__ import annotations

import numpy as np
import streamlit as st

from projection import NeighbourGraph
from projection.distortion import DEFAULT_K, EXTRA_WORDS_NEEDED, ProjectionQuality, projection_quality

EXPLANATION = (
    "How much this picture distorts: **trustworthiness** (0 to 1) is high when the neighbours you see on "
    "the chart are also near in the original vectors (cosine); **kNN recall@k** is the share of each "
    "word's k nearest original neighbours that are also among its k nearest on the chart."
)
TRUSTWORTHINESS_HELP = (
    "scikit-learn's trustworthiness: 1 means no word has a chart neighbour that is far from it in the "
    "original space; unexpected chart neighbours are penalised by how far they really are."
)


def neighbours_control(word_count: int, key: str, label: str = "Neighbours k") -> int:
    """A number input for k (default 5), limited to what ``word_count`` words allow."""
    largest = max(1, word_count - EXTRA_WORDS_NEEDED)
    # A shorter list than last run: forget a remembered k that is now out of range instead of erroring.
    if st.session_state.get(key, 0) > largest:
        del st.session_state[key]
    return int(st.number_input(
        label, min_value=1, max_value=largest, value=min(DEFAULT_K, largest), step=1, key=key,
        help=f"How many nearest neighbours the distortion numbers compare (at most {largest} for "
        f"{word_count} words: k + 2 words are needed).",
    ))


@st.cache_data(max_entries=64, show_spinner="Measuring how much the picture distorts…")
def cached_quality(vectors: np.ndarray, coords: np.ndarray, k: int, _graph: NeighbourGraph | None = None) -> ProjectionQuality:
    """``projection_quality``, cached (``_graph`` is derived from ``vectors``, so not part of the key)."""
    return projection_quality(vectors, coords, k, _graph)


def show_projection_quality(vectors: np.ndarray, coords: np.ndarray, key: str, k: int | None = None,
                            compact: bool = False, graph: NeighbourGraph | None = None) -> ProjectionQuality:
    """Trustworthiness and kNN recall@k of ``coords`` as a picture of ``vectors``, or why they are missing.

    Without ``k`` the user picks it here (widget ``key``); pages showing
    several pictures pass one shared ``k`` instead. ``compact`` fits a narrow
    panel: one line of numbers, and the explanation left to the page (``EXPLANATION``).
    ``graph`` is the list's shared neighbour graph, when the page has one.
    """
    metric_columns = None
    if k is None:
        k_column, *metric_columns = st.columns(3, vertical_alignment="bottom")
        with k_column:
            k = neighbours_control(len(vectors), key=f"{key}_quality_k")
    quality = cached_quality(np.asarray(vectors), np.asarray(coords), k, graph)
    if quality.reason:
        st.caption(f"Distortion numbers cannot be computed. {quality.reason}")
        return quality
    recall_help = f"A chart with random positions would score about {quality.chance_recall:.2f} here."
    if compact:
        st.markdown(
            f"Trustworthiness **{quality.trustworthiness:.2f}** · kNN recall@{k} **{quality.knn_recall:.2f}**",
            help=f"{TRUSTWORTHINESS_HELP} {recall_help}",
        )
    else:
        left, right = metric_columns or st.columns(2)
        left.metric("Trustworthiness", f"{quality.trustworthiness:.2f}", help=TRUSTWORTHINESS_HELP, border=True)
        right.metric(f"kNN recall@{k}", f"{quality.knn_recall:.2f}", help=recall_help, border=True)
    details = f"On {quality.words:,} words; a random picture would get a recall of about {quality.chance_recall:.2f}."
    if quality.trustworthiness_sample:
        details += (f" Trustworthiness is computed among a random sample of {quality.trustworthiness_sample:,} "
                    "words (it ranks every pair); ")
        details += (f"kNN recall is the mean over a random sample of {quality.knn_recall_sample:,} words, their "
                    f"neighbours found among all {quality.words:,}." if quality.knn_recall_sample
                    else "kNN recall covers every word.")
    st.caption(details if compact else f"{EXPLANATION} {details}")
    for note in quality.notes:
        st.caption(note)
    return quality
