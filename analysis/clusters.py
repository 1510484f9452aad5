"""Clusters in the original space (cosine geometry), each named by its most central items.

Clustering runs on the vectors themselves, never on projected coordinates: a 2-D
picture may split or merge groups that the full space does not. Rows are scaled to
unit length first, so k-means and HDBSCAN compare directions (cosine), not lengths.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from common.vectors import unit_rows

CLUSTER_METHODS = {"kmeans": "k-means", "hdbscan": "HDBSCAN"}
NOISE = -1
NOISE_NAME = "noise (no cluster)"
#: Items joined into a cluster's name.
NAME_ITEMS = 3
NAME_SEPARATOR = " · "
#: Silhouette scores need all pairwise distances: above this many items they are computed on a random sample.
SILHOUETTE_SAMPLE = 2000
#: Up to this many items k-means restarts from 10 seeds and keeps the best (cheap, steadier on small lists);
#: above it one k-means++ start (scikit-learn's n_init="auto"). Measured on 5,000 GloVe words, k = 2..12:
#: 0.8 s with one start, 16 s with three. Plain KMeans stays fast enough on the largest inputs the app takes
#: (400,000 x 50 GloVe, k = 10: 4.1 s, where MiniBatchKMeans with three starts took 14 s), so there is no
#: mini-batch variant.
KMEANS_RESTARTS_UP_TO = 1000
#: HDBSCAN's default smallest cluster: this fraction of the items, at least HDBSCAN_MIN_CLUSTER_SIZE.
HDBSCAN_MIN_CLUSTER_SIZE = 3
HDBSCAN_SIZE_DIVISOR = 50
#: HDBSCAN's density is measured at each item's 5th neighbour (capped at the smallest cluster): scikit-learn's
#: default (the smallest cluster size) called every one of 5,000 GloVe words noise.
HDBSCAN_MIN_SAMPLES = 5


@dataclass(frozen=True, eq=False)
class Clustering:
    """Cluster labels per item (-1: noise, HDBSCAN only), a name per label, and notes for the user.

    ``k`` counts the clusters found (noise is not a cluster); ``silhouette`` is the
    mean cosine silhouette (-1..1, higher: tighter, better separated clusters) or
    None where it is undefined (fewer than two clusters).
    """

    labels: np.ndarray
    names: dict[int, str]
    method: str
    k: int
    silhouette: float | None
    notes: tuple[str, ...]


def cluster(
    vectors: np.ndarray,
    items: Sequence[str],
    method: str = "kmeans",
    k: int | None = None,
    seed: int = 0,
    max_k: int = 12,
    min_cluster_size: int | None = None,
) -> Clustering:
    """Cluster ``vectors`` (one row per item) by direction and name each cluster by its most central items.

    ``method`` is "kmeans" (``k`` clusters; None picks k in 2..``max_k`` by the best
    cosine silhouette) or "hdbscan" (finds its own number of clusters, ignoring ``k``,
    and leaves outliers as noise, -1; ``min_cluster_size`` defaults to 2 % of the
    items, at least 3).
    Fewer than 3 items form one cluster; a ``k`` too large is reduced. Raises
    ``ValueError`` for an unknown method, mismatched ``items`` or non-finite vectors.
    """
    if method not in CLUSTER_METHODS:
        raise ValueError(f"Unknown clustering method {method!r}; choose one of: {', '.join(CLUSTER_METHODS)}.")
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.size == 0 and vectors.ndim < 2:
        vectors = vectors.reshape(0, 0)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array, got shape {vectors.shape}.")
    n = len(vectors)
    if len(items) != n:
        raise ValueError(f"{len(items)} items for {n} vectors: give one item per row.")
    if not np.isfinite(vectors).all():
        raise ValueError("vectors contain NaN or infinite values.")
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}.")
    if max_k < 2:
        raise ValueError(f"max_k must be at least 2, got {max_k}.")
    if min_cluster_size is not None and min_cluster_size < 2:
        raise ValueError(f"min_cluster_size must be at least 2, got {min_cluster_size}.")

    if n == 0:
        return Clustering(np.zeros(0, dtype=int), {}, method, 0, None, ("No items to cluster.",))
    unit = unit_rows(vectors)
    if n < 3:
        labels = np.zeros(n, dtype=int)
        note = f"{'1 item forms' if n == 1 else '2 items form'} a single cluster: clustering needs at least 3."
        return _finish(unit, items, labels, method, None, [note])

    notes: list[str] = []
    if np.any(~unit.any(axis=1)):
        notes.append("Zero vectors have no direction: they sit at the origin, equally far from every other item.")
    # Neither method can split items that all coincide (k-means cannot make more clusters than points).
    # Adding 0.0 turns -0.0 into 0.0, which compare equal but differ in bytes.
    distinct = len({row.tobytes() for row in unit + 0.0})
    if distinct < 2 or (method == "kmeans" and k == 1):
        if distinct < 2:
            notes.append("All vectors point the same way (or are zero): they form a single cluster.")
        return _finish(unit, items, np.zeros(n, dtype=int), method, None, notes)
    if method == "kmeans":
        labels, silhouette = _kmeans(unit, distinct, k, seed, max_k, notes)
    else:
        labels, silhouette = _hdbscan(unit, min_cluster_size, seed, notes)
    return _finish(unit, items, labels, method, silhouette, notes)


def _finish(unit: np.ndarray, items: Sequence[str], labels: np.ndarray, method: str, silhouette: float | None,
            notes: list[str]) -> Clustering:
    names = {int(label): central_name(unit, items, labels == label) for label in np.unique(labels) if label != NOISE}
    if np.any(labels == NOISE):
        names[NOISE] = NOISE_NAME
    found = sum(1 for label in names if label != NOISE)
    return Clustering(labels, names, method, found, silhouette, tuple(notes))


def central_name(unit: np.ndarray, items: Sequence[str], members: np.ndarray) -> str:
    """The up to NAME_ITEMS member items closest (cosine) to the members' mean direction."""
    rows = np.flatnonzero(members)
    centre = unit[rows].mean(axis=0)
    length = np.linalg.norm(centre)
    # A zero mean direction (opposite members, or only zero vectors) ranks nobody: keep input order.
    scores = unit[rows] @ (centre / length) if length > 0 else np.zeros(len(rows))
    best = rows[np.argsort(-scores, kind="stable")[:NAME_ITEMS]]
    return NAME_SEPARATOR.join(str(items[i]) for i in best)


def _consecutive(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0.. in order of first appearance of each cluster id (noise stays -1)."""
    out = np.full(len(labels), NOISE, dtype=int)
    kept = labels != NOISE
    _, first, inverse = np.unique(labels[kept], return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    out[kept] = rank[inverse]
    return out


def _silhouette_sample(n: int, seed: int, notes: list[str]) -> np.ndarray:
    if n <= SILHOUETTE_SAMPLE:
        return np.arange(n)
    notes.append(f"Silhouette scores use a random sample of {SILHOUETTE_SAMPLE:,} of the {n:,} items "
                 "(they need every pair of distances); the clusters use every item.")
    return np.sort(np.random.default_rng(seed).choice(n, SILHOUETTE_SAMPLE, replace=False))


def _cosine_distances(unit: np.ndarray) -> np.ndarray:
    distances = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    # Zero rows have cosine 0 with everything, themselves included; silhouette needs a zero diagonal.
    np.fill_diagonal(distances, 0.0)
    return distances


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float | None:
    from sklearn.metrics import silhouette_score

    found = len(np.unique(labels))
    if not 2 <= found <= len(labels) - 1:
        return None
    return float(silhouette_score(distances, labels, metric="precomputed"))


def _kmeans(unit: np.ndarray, distinct: int, k: int | None, seed: int, max_k: int,
            notes: list[str]) -> tuple[np.ndarray, float | None]:
    n = len(unit)
    limit = min(n - 1, distinct)
    sample = _silhouette_sample(n, seed, notes)
    distances = _cosine_distances(unit[sample])

    if k is not None:
        if k > limit:
            notes.append(f"k = {k} reduced to {limit}: "
                         + (f"{n} items allow at most {n - 1} clusters." if limit == n - 1
                            else f"there are only {distinct} distinct directions."))
            k = limit
        labels = _consecutive(_fit_kmeans(unit, k, seed))
        return labels, _silhouette(distances, labels[sample])

    top = min(max_k, limit)
    best: tuple[float, np.ndarray] | None = None
    for candidate in range(2, top + 1):
        labels = _fit_kmeans(unit, candidate, seed)
        score = _silhouette(distances, labels[sample])
        # Ties keep the smaller k: the simpler description.
        if score is not None and (best is None or score > best[0]):
            best = (score, labels)
    if best is None:
        notes.append("No number of clusters separated the items (silhouette undefined): one cluster.")
        return np.zeros(n, dtype=int), None
    labels = _consecutive(best[1])
    notes.append(f"k = {len(np.unique(labels))} chosen automatically: the best cosine silhouette "
                 f"({best[0]:.3f}) for k from 2 to {top}.")
    return labels, best[0]


def _fit_kmeans(unit: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    estimator = KMeans(n_clusters=k, n_init=10 if len(unit) <= KMEANS_RESTARTS_UP_TO else "auto", random_state=seed)
    with warnings.catch_warnings():
        # Near-duplicate points can leave a cluster empty; _consecutive renumbers what was found.
        warnings.simplefilter("ignore", category=UserWarning)
        return estimator.fit_predict(unit)


def _hdbscan(unit: np.ndarray, min_cluster_size: int | None, seed: int,
             notes: list[str]) -> tuple[np.ndarray, float | None]:
    from sklearn.cluster import HDBSCAN

    n = len(unit)
    if min_cluster_size is None:
        min_cluster_size = max(HDBSCAN_MIN_CLUSTER_SIZE, n // HDBSCAN_SIZE_DIVISOR)
        notes.append(f"HDBSCAN's smallest cluster: {min_cluster_size} items "
                     f"(1/{HDBSCAN_SIZE_DIVISOR} of the list, at least {HDBSCAN_MIN_CLUSTER_SIZE}).")
    if min_cluster_size > n:
        notes.append(f"Smallest cluster size {min_cluster_size} reduced to the {n} items.")
        min_cluster_size = n
    min_samples = min(HDBSCAN_MIN_SAMPLES, min_cluster_size)
    # Euclidean distance between unit vectors (the chord, sqrt(2 - 2 cos)) orders pairs exactly as cosine
    # does, and unlike metric="cosine" it lets scikit-learn use a tree instead of an n x n matrix.
    notes.append("HDBSCAN measures the straight-line distance between unit vectors, which ranks pairs exactly "
                 f"as cosine similarity does; density is judged from each item's {min_samples} nearest neighbours "
                 "(itself included). "
                 "Items in no dense region are noise (-1).")
    labels = _consecutive(HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True).fit_predict(unit))
    clustered = labels != NOISE
    silhouette = None
    if clustered.any():
        rows = np.flatnonzero(clustered)
        sample = rows[_silhouette_sample(len(rows), seed, notes)]
        silhouette = _silhouette(_cosine_distances(unit[sample]), labels[sample])
        if silhouette is not None and not clustered.all():
            notes.append("The silhouette leaves out the noise items.")
    return labels, silhouette
