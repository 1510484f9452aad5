"""Streamlit helpers that show how much a 2-D/3-D picture distorts the original vectors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from charts.scatter import add_neighbour_lines
from projection import NeighbourGraph
from projection.distortion import (
    DEFAULT_K,
    EXTRA_WORDS_NEEDED,
    KeptNeighbourhoods,
    ProjectionQuality,
    exact_graph_covers,
    exact_search_seconds,
    kept_neighbourhoods,
    original_metric,
    projection_quality,
    true_neighbours,
    why_not_computable,
    worst_placed,
)
from ui.display import progress_bar
from ui.session_cache import remembered

EXPLANATION = (
    "How much this picture distorts: **trustworthiness** (0 to 1) is high when the neighbours you see on "
    "the chart are also near in the original vectors (cosine); **kNN recall@k** is the share of each "
    "word's k nearest original neighbours that are also among its k nearest on the chart."
)
#: Above this many points a map is not coloured by neighbourhood kept: every point's exact neighbours
#: would take minutes (100,000 GloVe words took 32 s here; 400,000 would take about 9 minutes).
KEPT_LIMIT = 100_000
#: An exact search expected to take longer than this many seconds is announced, with its cost, first.
SAY_COST_FROM = 2.0
#: The colour bar's title and the hover's name for per-point recall.
KEPT_TITLE = "neighbourhood kept"
KEPT_EXPLANATION = (
    "Each point's colour is the share of its {k} nearest neighbours in the original vectors ({metric}) that are "
    "also among its {k} nearest on the map: blue kept its neighbourhood, vermillion lost it."
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


def kept_on_map(vectors: np.ndarray, coords: np.ndarray, k: int, graph: NeighbourGraph | None = None,
                notes=None, explain: bool = True) -> KeptNeighbourhoods | None:
    """How much of each point's neighbourhood the map ``coords`` kept (per-point kNN recall@k), for colouring it.

    Remembered in the session; uses ``graph`` when it is the list's exact graph, else searches every point's
    exact neighbours with a progress bar, its cost said first when slow. None, with the reason in ``notes``
    (default: here), when it cannot be computed. ``explain``: what the colour means, in the caption
    (a small panel says only its numbers).
    """
    notes = notes or st.container()
    n = len(vectors)
    reason = why_not_computable(n, k)
    if reason is None and n > KEPT_LIMIT:
        reason = (f"Colouring by neighbourhood kept takes at most {KEPT_LIMIT:,} points (it finds every point's "
                  f"exact neighbours); this map has {n:,}.")
    if reason:
        notes.info(f"Not coloured by neighbourhood kept. {reason}")
        return None
    metric = original_metric(vectors)
    said = st.empty()
    seconds = 0.0 if exact_graph_covers(graph, n, k, metric) else exact_search_seconds(n, np.shape(vectors)[1])
    if seconds > SAY_COST_FROM:
        said.info(f"Finding each of the {n:,} points' {k} nearest neighbours exactly, for the colouring: "
                  f"about {seconds:.0f} s on this machine.")
    report, remove = progress_bar()
    kept = remembered("kept_neighbourhoods", (vectors, coords, k, metric),
                      lambda: kept_neighbourhoods(vectors, coords, k, graph, metric, progress=report))
    remove()
    said.empty()
    note = KEPT_EXPLANATION.format(k=k, metric=metric) if explain else "Coloured by neighbourhood kept."
    lost = int(np.sum(kept.recall == 0))
    notes.caption(f"{note} Mean {kept.recall.mean():.2f} over all {n:,} points (the kNN recall@{k}); {lost:,} "
                  f"kept none." + (f" Every point's neighbours were searched exactly (about {seconds:.0f} s)."
                                   if seconds > SAY_COST_FROM else ""))
    return kept


def found_word_neighbours(words: Sequence[str], vectors: np.ndarray, coords: np.ndarray, word: str, k: int,
                          graph: NeighbourGraph | None = None) -> pd.DataFrame | None:
    """The found ``word``'s ``k`` true nearest neighbours (original space) and where the map put them
    (``projection.distortion.true_neighbours``); None when the map lacks the word or has too few points."""
    if word not in words or why_not_computable(len(words), k):
        return None
    return true_neighbours(words, vectors, coords, list(words).index(word), k, graph)


def draw_true_neighbours(figure, words: Sequence[str], coords: np.ndarray, word: str, around: pd.DataFrame,
                         notes=None) -> None:
    """Lines on ``figure`` from ``word`` to its true nearest neighbours ``around``, with a caption counting
    how many of them the map also put among its nearest."""
    add_neighbour_lines(figure, coords, list(words).index(word), around["row"].to_numpy(),
                        around["near_on_map"].to_numpy())
    k, near = len(around), int(around["near_on_map"].sum())
    kept = (f"all {k} of them are also among its {k} nearest on the map (solid grey lines)" if near == k else
            f"{near} of them {'is' if near == 1 else 'are'} also among its {k} nearest on the map (solid grey "
            f"lines); the map moved the other {k - near} away (dashed vermillion lines)")
    (notes or st.container()).caption(f"Lines from the found word to its {k} nearest neighbours in the original "
                                      f"vectors: {kept}. Their ranks on the map are under “Where the map lies”.")


def show_where_the_map_lies(words: Sequence[str], vectors: np.ndarray, coords: np.ndarray, k: int,
                            kept: KeptNeighbourhoods | None = None, graph: NeighbourGraph | None = None,
                            around: pd.DataFrame | None = None, key: str = "map_lies") -> None:
    """Below a picture: the found word's true neighbours with their ranks on the map (``around``), and the
    worst-placed items. Without ``kept`` (the colouring), the list is computed only when ``graph`` makes it
    cheap; otherwise the page says how to get it and what it costs."""
    if around is not None:
        st.caption("The found word's nearest neighbours in the original vectors, and where the map put them "
                   "(rank 1 = its nearest point on the map).")
        st.dataframe(around.drop(columns=["row"]).rename(columns={
            "map_rank": "rank on the map", "map_distance": "distance on the map", "near_on_map": "near on the map"}),
            hide_index=True, key=f"{key}_around",
            column_config={"similarity": st.column_config.NumberColumn("similarity", format="%.3f"),
                           "distance on the map": st.column_config.NumberColumn(format="%.2f")})
    n = len(vectors)
    reason = why_not_computable(n, k)
    if reason:
        st.caption(f"No worst-placed items. {reason}")
        return
    if kept is None or kept.k != k:
        metric = original_metric(vectors)
        if not exact_graph_covers(graph, n, k, metric):
            seconds = exact_search_seconds(n, np.shape(vectors)[1])
            st.caption("Choose Colour by → Neighbourhood kept to list the items whose neighbourhood the map lost"
                       + (f" (for {n:,} points: about {seconds:.0f} s)." if seconds > SAY_COST_FROM else "."))
            return
        kept = remembered("kept_neighbourhoods", (vectors, coords, k, metric),
                          lambda: kept_neighbourhoods(vectors, coords, k, graph, metric))
    table = worst_placed(words, coords, kept)
    st.caption(f"Worst-placed items: the fewest of their {k} nearest neighbours in the original vectors kept among "
               "their nearest on the map (ties: those whose neighbours landed farthest first). Beside each, its true "
               "neighbours the map moved away, with their rank on the map (#1 = nearest).")
    st.dataframe(table.rename(columns={"moved_away": "true neighbours moved away (rank on the map)",
                                       "still_near": "true neighbours still near"}),
                 hide_index=True, key=f"{key}_worst", width="stretch",
                 column_config={"kept": st.column_config.ProgressColumn("kept", min_value=0.0, max_value=1.0,
                                                                        format="%.2f")})
