"""Project vectors to 2 or 3 dimensions with PCA, UMAP or t-SNE.

Every method accepts any number of points: where a method cannot run (too few
points, too few dimensions) ``run_projection`` falls back to something that can
and says so in ``notes``, instead of raising.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field

import numpy as np

from settings import cache_dir

PROJECTION_METHODS = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}
UMAP_METRICS = ("cosine", "euclidean", "correlation")
#: UMAP's neighbour graph and spectral start need a handful of points.
UMAP_MIN_POINTS = 5


@dataclass
class ProjectionResult:
    """Coordinates ``[n x dims]``, the method that really ran, and notes for the user."""

    coords: np.ndarray
    method: str
    notes: list[str] = field(default_factory=list)


def project(vectors: np.ndarray, method: str = "pca", dims: int = 2, seed: int = 0, **options) -> np.ndarray:
    """Coordinates ``[n x dims]`` of ``vectors`` under ``method`` ("pca", "umap" or "tsne").

    ``options`` are ``n_neighbors``, ``min_dist`` and ``metric`` for UMAP and
    ``perplexity`` for t-SNE. See ``run_projection`` for fallbacks on small input.
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
) -> ProjectionResult:
    """Project ``vectors`` and explain any adjustment made for small input."""
    if method not in PROJECTION_METHODS:
        raise ValueError(f"Unknown projection {method!r}; choose one of: {', '.join(PROJECTION_METHODS)}.")
    if dims not in (2, 3):
        raise ValueError("dims must be 2 or 3.")
    vectors = np.asarray(vectors, dtype=np.float64)
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
        return _umap(vectors, dims, seed, n_neighbors, min_dist, metric)
    if method == "tsne":
        return _tsne(vectors, dims, seed, perplexity)
    return _pca(vectors, dims)


def _pad(coords: np.ndarray, dims: int) -> np.ndarray:
    """Add flat axes when the data has fewer directions than the chart."""
    if coords.shape[1] == dims:
        return coords
    return np.hstack([coords, np.zeros((len(coords), dims - coords.shape[1]))])


def _pca(vectors: np.ndarray, dims: int) -> ProjectionResult:
    from sklearn.decomposition import PCA

    n, d = vectors.shape
    components = min(dims, n, d)
    notes = []
    if components < dims:
        notes.append(f"{n} points in {d} dimensions vary along at most {components} directions; the other axis is flat.")
    if not np.ptp(vectors, axis=0).any():  # PCA would divide by a zero variance
        notes.append(f"All {n} points have the same vector: they sit on one spot.")
        return ProjectionResult(np.zeros((n, dims)), "pca", notes)
    coords = PCA(n_components=components, svd_solver="full").fit_transform(vectors)
    return ProjectionResult(_pad(coords, dims), "pca", notes)


def use_numba_disk_cache() -> None:
    """Let numba keep UMAP's compiled functions on disk so later processes start faster."""
    os.environ.setdefault("NUMBA_CACHE_DIR", str(cache_dir() / "numba"))


def _umap(vectors, dims, seed, n_neighbors, min_dist, metric) -> ProjectionResult:
    use_numba_disk_cache()  # must precede numba's import
    import umap

    n = len(vectors)
    notes = []
    if metric not in UMAP_METRICS:
        raise ValueError(f"Unknown UMAP metric {metric!r}; choose one of: {', '.join(UMAP_METRICS)}.")
    if n_neighbors >= n:
        notes.append(f"UMAP's n_neighbors lowered from {n_neighbors} to {n - 1}: there are only {n} points.")
        n_neighbors = n - 1
    n_neighbors = max(2, n_neighbors)
    if metric in ("cosine", "correlation") and np.any(np.linalg.norm(vectors, axis=1) == 0):
        notes.append("Some vectors are all zeros, which have no direction: UMAP uses euclidean distance instead.")
        metric = "euclidean"
    # Spectral initialisation fails on very small graphs (k >= N in eigh).
    init = "spectral" if n > 10 else "random"
    reducer = umap.UMAP(
        n_components=dims, n_neighbors=n_neighbors, min_dist=min_dist, metric=metric, random_state=seed, init=init
    )
    with warnings.catch_warnings():
        # "n_jobs overridden by setting random_state" and small-graph notices: expected here.
        warnings.simplefilter("ignore")
        coords = reducer.fit_transform(vectors)
    return ProjectionResult(np.asarray(coords, dtype=np.float64), "umap", notes)


def _tsne(vectors, dims, seed, perplexity) -> ProjectionResult:
    from sklearn.manifold import TSNE

    n, d = vectors.shape
    notes = []
    # sklearn needs perplexity < n; above (n - 1) / 3 every point counts as every other's
    # neighbour and the picture loses its clusters (king drifts from queen on 16 words).
    largest = max(1.0, (n - 1) / 3)
    if perplexity > largest:
        notes.append(
            f"t-SNE's perplexity lowered from {perplexity:g} to {largest:.3g}: with {n} points a larger "
            "value makes every point a neighbour of every other."
        )
        perplexity = largest
    # PCA initialisation needs at least as many samples and features as output dimensions.
    init = "pca" if min(n, d) >= dims else "random"
    coords = TSNE(n_components=dims, perplexity=perplexity, random_state=seed, init=init).fit_transform(vectors)
    return ProjectionResult(coords, "tsne", notes)
