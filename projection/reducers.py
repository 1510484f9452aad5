"""Project vectors to 2 or 3 dimensions with PCA, UMAP or t-SNE.

Every method accepts any number of points: where a method cannot run (too few
points, too few dimensions) ``run_projection`` falls back to something that can
and says so in ``notes``, instead of raising. Where a method cannot run on every
point in reasonable time (3-D t-SNE), ``plan_projection`` says so before anything
runs, and the projection covers a stated random sample.

UMAP and t-SNE take their neighbours from one shared ``NeighbourGraph`` (pass
``graph=``; it is computed here when missing): UMAP never compiles pynndescent,
and t-SNE's affinities cost one lookup instead of a search.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from common.progress import Progress, fraction_done, no_progress
from projection.neighbours import NeighbourGraph, neighbour_graph
from settings import cache_dir

PROJECTION_METHODS = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}
UMAP_METRICS = ("cosine", "euclidean", "correlation")
#: UMAP's neighbour graph and spectral start need a handful of points.
UMAP_MIN_POINTS = 5
#: UMAP's optimisation epochs: umap-learn's default (500 up to 10,000 points, 200 above) on small
#: lists, where it costs little; above UMAP_FEW_EPOCHS_FROM points, 100 epochs on the exact shared graph
#: (measured on 10,000 GloVe words: 0.18 x the time of umap-learn's defaults, trustworthiness 0.007 lower).
UMAP_DEFAULT_EPOCHS = 500
UMAP_FEW_EPOCHS_FROM = 2000
UMAP_FEW_EPOCHS = 100
#: Above 60,000 points fewer epochs still, at most this many point-epochs (at least UMAP_FEWEST_EPOCHS):
#: 100,000 GloVe words get 60 epochs, 60 % of the optimisation's work for a trustworthiness 0.008 lower
#: (0.836 against 0.844, k = 10 on a sample of 2,000; with 40 epochs 30,000 words lost 0.019).
UMAP_EPOCH_BUDGET = 6_000_000
UMAP_FEWEST_EPOCHS = 50
#: Above this many points UMAP starts from PCA instead of the graph's spectral layout, whose eigensolver
#: slows sharply with size (20,000 GloVe words: 8.3 s instead of 16.4 s in all, trustworthiness 0.873
#: against 0.867; 30,000: half the time). On smaller lists spectral is as fast and a little better.
UMAP_PCA_START_FROM = 10_000
#: UMAP's speed here, for progress estimates: seconds per point and epoch (10,000 GloVe words,
#: 100 epochs: 2.7 s), plus a fixed start-up.
UMAP_SECONDS_PER_POINT_EPOCH = 2.7e-6
UMAP_START_SECONDS = 0.5
#: t-SNE's neighbour lists hold 3 x perplexity points, as in openTSNE and scikit-learn.
TSNE_NEIGHBOURS_PER_PERPLEXITY = 3
#: t-SNE's iterations: early exaggeration, then the rest (openTSNE's defaults are 250 and 500; 250
#: more keep trustworthiness on 5,000 and 10,000 GloVe words within 0.001 of 500 at 2/3 of the time).
TSNE_EARLY_ITERATIONS = 250
TSNE_ITERATIONS = 250
#: openTSNE's Barnes-Hut is faster up to about this many points in 2-D (5,000 words: 8.0 s against
#: 9.9 s), its FFT method above (10,000: 13 s against 20 s).
TSNE_FFT_FROM = 5000
#: 3-D t-SNE has only the Barnes-Hut method, whose octree slows sharply with size: above this many
#: points it runs on a random sample of this size (3,000 points took 13 s, 2,000 took 6 s at 750 iterations).
TSNE_3D_LIMIT = 2000
#: Neighbours the shared graph holds: enough for UMAP's and t-SNE's defaults (perplexity 30).
DEFAULT_GRAPH_K = 90


def free_cores() -> int:
    """How many threads a parallel step should use now: the cores the last minute's load left idle (at least 1).

    Threads that share a core with other busy processes wait for each other at every barrier: 5,000-word
    t-SNE took 20-27 s on two threads against 13-14 s on one while other work kept the two cores busy
    (load 3-4.6), and about 7.5 s on two threads on an idle machine.
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this system
        return cores
    return max(1, min(cores, round(cores - load)))


@dataclass
class ProjectionResult:
    """Coordinates ``[m x dims]``, the method that really ran, and notes for the user.

    ``rows`` lists which input rows the coordinates belong to when only a sample
    was projected (None: all of them, in order).
    """

    coords: np.ndarray
    method: str
    notes: list[str] = field(default_factory=list)
    rows: np.ndarray | None = None


def graph_k(method: str, n_neighbors: int = 15, perplexity: float = 30.0) -> int:
    """How many neighbours per point a projection needs from the shared graph."""
    needed = {"umap": n_neighbors, "tsne": int(np.ceil(TSNE_NEIGHBOURS_PER_PERPLEXITY * perplexity))}.get(method, 0)
    return max(DEFAULT_GRAPH_K, needed)


def umap_epochs(n: int) -> int:
    """The epochs UMAP runs for ``n`` points (umap-learn's default on small lists, fewer on large ones)."""
    if n <= UMAP_FEW_EPOCHS_FROM:
        return UMAP_DEFAULT_EPOCHS
    return max(UMAP_FEWEST_EPOCHS, min(UMAP_FEW_EPOCHS, UMAP_EPOCH_BUDGET // n))


def umap_start(n: int) -> str:
    """How UMAP lays out its ``n`` points before optimising: "spectral", "pca" or (tiny lists) "random"."""
    if n <= 10:  # spectral initialisation fails on very small graphs (k >= N in eigh)
        return "random"
    return "pca" if n > UMAP_PCA_START_FROM else "spectral"


def expected_umap_seconds(n: int) -> float:
    """About how long UMAP takes on ``n`` points on this kind of machine (for progress bars)."""
    return UMAP_START_SECONDS + UMAP_SECONDS_PER_POINT_EPOCH * n * umap_epochs(n)


def sample_rows(n: int, size: int, seed: int = 0) -> np.ndarray:
    """A sorted random sample of ``size`` of ``n`` row numbers (all of them when ``n <= size``)."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def plan_projection(n: int, method: str, dims: int) -> list[str]:
    """What a projection of ``n`` points will do instead of running on all of them, said before it runs."""
    if method == "tsne" and dims == 3 and n > TSNE_3D_LIMIT:
        return [
            f"3-D t-SNE runs on a random sample of {TSNE_3D_LIMIT:,} of the {n:,} points: its Barnes-Hut method "
            "slows sharply with more (2-D t-SNE, PCA and UMAP use every point)."
        ]
    return []


def project(vectors: np.ndarray, method: str = "pca", dims: int = 2, seed: int = 0, **options) -> np.ndarray:
    """Coordinates ``[n x dims]`` of ``vectors`` under ``method`` ("pca", "umap" or "tsne").

    ``options`` are ``n_neighbors``, ``min_dist`` and ``metric`` for UMAP and
    ``perplexity`` for t-SNE. See ``run_projection`` for fallbacks on small input
    (and for sampled 3-D t-SNE, whose rows this function does not return).
    """
    return run_projection(vectors, method, dims, seed, **options).coords


def run_projection(
    vectors: np.ndarray,
    method: str = "pca",
    dims: int = 2,
    seed: int = 0,
    *,
    n_neighbors: int = 15,
    min_dist: float = 0.1,
    metric: str = "cosine",
    perplexity: float = 30.0,
    graph: NeighbourGraph | None = None,
    progress: Progress = no_progress,
) -> ProjectionResult:
    """Project ``vectors`` and explain any adjustment made for small or large input.

    ``graph`` is the shared neighbour graph of ``vectors`` (cosine), reused when
    it has the metric and enough neighbours; ``progress`` hears about slow steps.
    """
    if method not in PROJECTION_METHODS:
        raise ValueError(f"Unknown projection {method!r}; choose one of: {', '.join(PROJECTION_METHODS)}.")
    if dims not in (2, 3):
        raise ValueError("dims must be 2 or 3.")
    if metric not in UMAP_METRICS:
        raise ValueError(f"Unknown metric {metric!r}; choose one of: {', '.join(UMAP_METRICS)}.")
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array, got shape {vectors.shape}.")
    if not np.all(np.isfinite(vectors)):
        raise ValueError("vectors contain NaN or infinite values.")

    n = len(vectors)
    if n == 0:
        return ProjectionResult(np.zeros((0, dims)), method, ["There are no points to project."])
    if n == 1:
        return ProjectionResult(np.zeros((1, dims)), method, ["A single point: it sits at the origin."])

    if method == "umap":
        if n < UMAP_MIN_POINTS:
            result = _pca(vectors, dims)
            result.notes.insert(0, f"UMAP needs at least {UMAP_MIN_POINTS} points; showing PCA for these {n}.")
            return result
        return _umap(vectors, dims, seed, n_neighbors, min_dist, metric, graph, progress)
    if method == "tsne":
        notes = plan_projection(n, method, dims)
        if notes:
            rows = sample_rows(n, TSNE_3D_LIMIT, seed)
            result = _tsne(vectors[rows], dims, seed, perplexity, None, progress)
            return ProjectionResult(result.coords, "tsne", notes + result.notes, rows)
        return _tsne(vectors, dims, seed, perplexity, graph, progress)
    return _pca(vectors, dims)


def pad_axes(coords: np.ndarray, dims: int) -> np.ndarray:
    """``coords`` as float64, with flat axes added when the data has fewer directions than the chart."""
    coords = np.asarray(coords, dtype=np.float64)
    if coords.shape[1] == dims:
        return coords
    return np.hstack([coords, np.zeros((len(coords), dims - coords.shape[1]))])


def pca_model(vectors: np.ndarray, dims: int):
    """The unfitted scikit-learn PCA the app fits on ``vectors`` for a ``dims``-D chart (placement fits it
    again to reproduce the drawn map, so both go through here)."""
    from sklearn.decomposition import PCA

    n, d = vectors.shape
    # Full SVD is exact and fast for small inputs; randomized is exact enough and far faster on 100,000 rows.
    solver = "full" if n * d < 5_000_000 else "randomized"
    return PCA(n_components=min(dims, n, d), svd_solver=solver, random_state=0)


def _pca(vectors: np.ndarray, dims: int) -> ProjectionResult:
    n, d = vectors.shape
    components = min(dims, n, d)
    notes = []
    if components < dims:
        notes.append(f"{n} points in {d} dimensions vary along at most {components} directions; the other axis is flat.")
    if not np.ptp(vectors, axis=0).any():  # PCA would divide by a zero variance
        notes.append(f"All {n} points have the same vector: they sit on one spot.")
        return ProjectionResult(np.zeros((n, dims)), "pca", notes)
    return ProjectionResult(pad_axes(pca_model(vectors, dims).fit_transform(vectors), dims), "pca", notes)


def graph_for(vectors: np.ndarray, k: int, metric: str, graph: NeighbourGraph | None,
               progress: Progress) -> NeighbourGraph:
    """The shared graph cut to ``k`` neighbours, or a new one when it does not fit."""
    k = min(k, len(vectors) - 1)
    if graph is not None and graph.metric == metric and graph.k >= k and len(graph) == len(vectors):
        return graph.nearest(k)
    return neighbour_graph(vectors, k, metric, progress=progress)


def use_numba_disk_cache() -> None:
    """Let numba keep UMAP's compiled functions on disk so later processes start faster."""
    os.environ.setdefault("NUMBA_CACHE_DIR", str(cache_dir() / "numba"))


def fit_metric(vectors: np.ndarray, metric: str = "cosine") -> str:
    """The metric a fit really uses: zero vectors have no direction, so cosine and correlation become euclidean."""
    if metric in ("cosine", "correlation") and np.any(~vectors.any(axis=1)):
        return "euclidean"
    return metric


def umap_model(vectors: np.ndarray, dims: int, seed: int, n_neighbors: int, min_dist: float, metric: str,
               graph: NeighbourGraph | None, progress: Progress = no_progress,
               search_index: object | None = None) -> tuple[Any, list[str]]:
    """The unfitted umap-learn model the app fits on ``vectors``, and notes on what was adjusted for them.

    Placement fits it again to reproduce the drawn map, so both go through here; ``search_index`` (an
    object with umap-learn's ``query``) lets the fitted model ``transform`` new points.
    """
    use_numba_disk_cache()  # must precede numba's import
    import umap

    n = len(vectors)
    notes = []
    if n_neighbors >= n:
        notes.append(f"UMAP's n_neighbors lowered from {n_neighbors} to {n - 1}: there are only {n} points.")
        n_neighbors = n - 1
    n_neighbors = max(2, n_neighbors)
    if fit_metric(vectors, metric) != metric:
        notes.append("Some vectors are all zeros, which have no direction: UMAP uses euclidean distance instead.")
        metric = "euclidean"
    knn = graph_for(vectors, n_neighbors, metric, graph, progress)
    # UMAP cuts edges of the graph it is given in place: it gets a copy, so a shared graph stays whole.
    precomputed = (knn.indices.copy(), knn.distances.copy(), *((search_index,) if search_index is not None else ()))
    reducer = umap.UMAP(
        n_components=dims, n_neighbors=n_neighbors, min_dist=min_dist, metric=metric, random_state=seed,
        init=umap_start(n), n_epochs=umap_epochs(n), precomputed_knn=precomputed,
    )
    return reducer, notes


def _umap(vectors, dims, seed, n_neighbors, min_dist, metric, graph, progress) -> ProjectionResult:
    n = len(vectors)
    reducer, notes = umap_model(vectors, dims, seed, n_neighbors, min_dist, metric, graph, progress)
    progress(0.0, f"UMAP is laying out {n:,} points…")
    with warnings.catch_warnings():
        # "n_jobs overridden by setting random_state" and small-graph notices: expected here.
        warnings.simplefilter("ignore")
        coords = reducer.fit_transform(vectors)
    return ProjectionResult(np.asarray(coords, dtype=np.float64), "umap", notes)


def _tsne(vectors, dims, seed, perplexity, graph, progress) -> ProjectionResult:
    from openTSNE import TSNEEmbedding, affinity, initialization
    from openTSNE.nearest_neighbors import PrecomputedNeighbors

    n = len(vectors)
    notes = []
    # Above (n - 1) / 3 every point counts as every other's neighbour and the picture loses
    # its clusters (king drifts from queen on 16 words).
    largest = max(1.0, (n - 1) / 3)
    if perplexity > largest:
        notes.append(
            f"t-SNE's perplexity lowered from {perplexity:g} to {largest:.3g}: with {n} points a larger "
            "value makes every point a neighbour of every other."
        )
        perplexity = largest
    metric = "cosine" if vectors.any(axis=1).all() else "euclidean"  # zero vectors have no direction
    knn = graph_for(vectors, int(np.ceil(TSNE_NEIGHBOURS_PER_PERPLEXITY * perplexity)), metric, graph, progress)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openTSNE warns when it trims perplexity to the neighbours it has
        affinities = affinity.PerplexityBasedNN(
            perplexity=perplexity, knn_index=PrecomputedNeighbors(knn.indices, knn.distances.astype(np.float64))
        )
    # PCA start (openTSNE's default) needs as many points and features as output dimensions.
    if min(vectors.shape) > dims:
        start = initialization.pca(vectors, n_components=dims, random_state=seed)
    else:
        start = initialization.random(n, n_components=dims, random_state=seed)
    total = TSNE_EARLY_ITERATIONS + TSNE_ITERATIONS
    done = 0

    def report(iteration: int, error: float, embedding) -> None:
        progress(fraction_done(done + iteration, total), f"t-SNE on {n:,} points: iteration {done + iteration} of {total}")

    embedding = TSNEEmbedding(
        start, affinities, negative_gradient_method="fft" if dims == 2 and n > TSNE_FFT_FROM else "bh", random_state=seed,
        callbacks=report, callbacks_every_iters=25, n_jobs=free_cores(),
    )
    embedding = embedding.optimize(TSNE_EARLY_ITERATIONS, exaggeration=12, momentum=0.5)
    done = TSNE_EARLY_ITERATIONS
    embedding = embedding.optimize(TSNE_ITERATIONS, momentum=0.8)
    return ProjectionResult(np.asarray(embedding, dtype=np.float64), "tsne", notes)
