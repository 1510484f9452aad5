"""Projecting a list's vectors for a page: the controls, the shared neighbour graph, UMAP's worker, progress,
and new items placed on a drawn map."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from typing import Any

import numpy as np
import streamlit as st

from common.progress import Progress
from links.view import ProjectionSettings
from projection import (
    PROJECTION_METHODS,
    UMAP_METRICS,
    UMAP_MIN_POINTS,
    NeighbourGraph,
    ProjectionResult,
    graph_k,
    neighbour_graph,
    plan_projection,
    run_projection,
)
from projection.distortion import original_metric
from projection.placement import PLACEMENT_NOTES, Placement, place
from projection.reducers import expected_umap_seconds
from projection.umap_worker import umap_worker
from ui.display import progress_bar
from ui.session_cache import remembered

logger = logging.getLogger(__name__)


def projection_controls(key: str = "projection") -> ProjectionSettings:
    """Projection method and dimensions, with the seed and the methods' options in a popover, as one typed value.

    Widget values start from the defaults through the session (not widget arguments), so that a
    shared link can set them first without Streamlit warning about two sources.
    """
    for name, value in asdict(ProjectionSettings()).items():
        if st.session_state.get(f"{key}_{name}") is None:
            st.session_state[f"{key}_{name}"] = value
    method = st.segmented_control("Projection", list(PROJECTION_METHODS),
                                  format_func=PROJECTION_METHODS.__getitem__, required=True, key=f"{key}_method")
    dims_column, settings_column = st.columns([1, 1], vertical_alignment="bottom")
    dims = dims_column.segmented_control("Dimensions", [2, 3], format_func=lambda d: f"{d}D", required=True,
                                         key=f"{key}_dims", label_visibility="collapsed")
    with settings_column.popover("Settings", width="stretch",
                                 help="Random seed, UMAP's and t-SNE's options."):
        seed = st.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, key=f"{key}_seed",
                               help="The same seed gives the same layout (UMAP, t-SNE).")
        n_neighbors = st.slider("UMAP n_neighbors", 2, 100, key=f"{key}_n_neighbors",
                                help="How many neighbours shape each point's local picture.")
        min_dist = st.slider("UMAP min_dist", 0.0, 0.99, step=0.01, key=f"{key}_min_dist",
                             help="How tightly UMAP may pack points together.")
        metric = st.selectbox("UMAP metric", UMAP_METRICS, key=f"{key}_metric")
        perplexity = st.slider("t-SNE perplexity", 2.0, 100.0, step=1.0, key=f"{key}_perplexity",
                               help="Roughly, how many neighbours t-SNE balances; must be below the number of points.")
    # Never None: the loop above gave both widgets a value in the session, and required=True keeps one chosen.
    assert method is not None and dims is not None
    return ProjectionSettings(method, dims, int(seed), n_neighbors, min_dist, metric, perplexity)


def shared_graph(vectors: np.ndarray, k: int) -> NeighbourGraph:
    """The list's neighbour graph (cosine; euclidean when a vector is all zeros), computed once per list."""
    metric = original_metric(vectors)
    report, remove = progress_bar()
    graph = remembered("graph", (vectors, k, metric), lambda: neighbour_graph(vectors, k, metric, progress=report))
    remove()
    return graph


def _projection(vectors: np.ndarray, method: str, dims: int, seed: int, options: dict,
                graph: NeighbourGraph | None, progress: Progress) -> ProjectionResult:
    if method == "umap" and len(vectors) >= UMAP_MIN_POINTS:
        return _umap_in_worker(vectors, dims, seed, options, graph, progress)
    return run_projection(vectors, method, dims, seed, graph=graph, progress=progress, **options)


def _umap_in_worker(vectors, dims, seed, options, graph, progress) -> ProjectionResult:
    """UMAP in the worker process, with a progress bar estimated from this machine's measured speed."""
    if graph is not None and graph.k >= options.get("n_neighbors", 15):
        graph = graph.nearest(options.get("n_neighbors", 15))  # send only what UMAP uses
    future = umap_worker.submit(vectors, dims, seed, graph=graph, **options)
    expected = expected_umap_seconds(len(vectors))
    started = time.monotonic()
    while not future.done():
        elapsed = time.monotonic() - started
        progress(min(0.95, elapsed / expected), f"UMAP on {len(vectors):,} points: {elapsed:.0f} s of about {expected:.0f} s")
        time.sleep(0.25)
    return future.result()


def projected(vectors: np.ndarray, method: str, dims: int, seed: int, notes=None, **options) -> ProjectionResult | None:
    """Cached projection over the list's shared neighbour graph, with progress; any sampling is said before
    the work starts, then kept in ``notes`` (a frame's notes; by default where the call is).

    None after an error shown on the page.
    """
    notes = notes or st.container()
    plan = plan_projection(len(vectors), method, dims)
    said_first = st.empty()
    if plan:
        said_first.info(" ".join(plan))
    if method == "umap" and len(vectors) >= UMAP_MIN_POINTS:
        wait_for_umap()
    try:
        graph = None
        if method != "pca" and len(vectors) > 2:
            graph = shared_graph(vectors, graph_k(method, options.get("n_neighbors", 15), options.get("perplexity", 30.0)))
        report, remove = progress_bar()
        with st.spinner(f"Projecting {len(vectors):,} points with {PROJECTION_METHODS[method]}…"):
            result = remembered("projection", (vectors, method, dims, seed, sorted(options.items())),
                                lambda: _projection(vectors, method, dims, seed, options, graph, report))
        remove()
    except Exception as error:
        logger.exception("%s of %d points failed", method, len(vectors))
        st.error(f"The {PROJECTION_METHODS[method]} projection failed: {error}")
        return None
    finally:
        said_first.empty()
    for note in plan:
        notes.info(note)
    return result


def placed_on_map(vectors: np.ndarray, projection: ProjectionResult, new_vectors: np.ndarray,
                  settings: ProjectionSettings) -> Placement:
    """``new_vectors`` placed on the map ``projection`` drew of ``vectors`` (``projected``'s result for the
    same settings) by the projection's transform; remembered per map and items. UMAP places in its worker,
    by the model that drew the map. Raises ``PlacementError`` with a message for the user."""
    fitted = vectors if projection.rows is None else vectors[projection.rows]
    options: dict[str, Any] = dict(seed=settings.seed, n_neighbors=settings.n_neighbors, min_dist=settings.min_dist,
                   metric=settings.metric, perplexity=settings.perplexity)
    graph = None
    if projection.method != "pca" and projection.rows is None and len(vectors) > 2:
        # The graph the projection was fitted on (``projected`` computed it; here it is remembered).
        graph = shared_graph(vectors, graph_k(settings.method, settings.n_neighbors, settings.perplexity))

    def compute() -> Placement:
        if projection.method != "umap":
            return place(fitted, projection.coords, new_vectors, projection.method, graph=graph, **options)
        umap_graph = graph.nearest(settings.n_neighbors) if graph is not None and graph.k >= settings.n_neighbors \
            else graph  # as _umap_in_worker sent it, so that the refit repeats the fit exactly
        wait_for_umap()
        future = umap_worker.submit_placement(fitted, projection.coords, new_vectors, projection.coords.shape[1],
                                              settings.seed, n_neighbors=settings.n_neighbors,
                                              min_dist=settings.min_dist, metric=settings.metric, graph=umap_graph)
        return Placement(future.result(), "umap", [PLACEMENT_NOTES["umap"]])

    with st.spinner(f"Placing {len(new_vectors)} new item{'s' if len(new_vectors) != 1 else ''} on the map…"):
        return remembered("placement", (fitted, projection.coords, new_vectors, projection.method,
                                        sorted(options.items())), compute)


def wait_for_umap() -> None:
    """Show the UMAP worker's warm-up until it is done (at most two minutes)."""
    umap_worker.start()
    if umap_worker.wait(0):
        return
    slot = st.empty()
    with slot.status("UMAP is compiling its code, once per server start…", expanded=True):
        line = st.empty()
        deadline = time.monotonic() + 120
        while not umap_worker.wait(0.5) and time.monotonic() < deadline:
            line.text(f"{umap_worker.elapsed():.0f} s so far; this usually takes 10 to 40 s.")
    slot.empty()


def umap_status_caption() -> None:
    """One line about the background UMAP compile, for the sidebar; live while it compiles."""
    if umap_worker.state == "compiling":
        _live_umap_status()
    elif umap_worker.state == "ready":
        st.caption(f"UMAP is ready (compiled in {umap_worker.elapsed():.0f} s).")
    elif umap_worker.state == "failed":
        st.caption(f"UMAP could not start: {umap_worker.error}")


@st.fragment(run_every=2)
def _live_umap_status() -> None:
    if umap_worker.state != "compiling":
        st.rerun()  # once, to swap the live line for the final one
    st.caption(f"UMAP is compiling in the background ({umap_worker.elapsed():.0f} s); PCA and t-SNE work meanwhile.")
