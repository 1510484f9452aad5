"""One neighbour graph per set of vectors: each point's k nearest other points.

Computed once per (method, list) and reused by UMAP (``precomputed_knn``), by
t-SNE's affinities, by the distortion metrics and by in-list neighbours, so
that no step searches neighbours on its own (UMAP would otherwise compile
pynndescent for tens of seconds above 4,096 points).

Exact search (FAISS ``IndexFlat``: blocked BLAS products) while its work,
n x n x dimensions, stays under ``EXACT_WORK``; above it an HNSW index. Exact is
the faster of the two for 90 neighbours well past 50,000 points (50,000 GloVe
words: 4.4 s exact, 10 s HNSW at recall 0.9999; 100,000: 23 s HNSW).
Exact ties (one-hot vectors are all equally far apart) fall at random rather
than by list order: every coordinate is nudged by a millionth of the data's scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedders.base import Progress, no_progress
from embedders.similarity import unit_rows

GRAPH_METRICS = ("cosine", "euclidean", "correlation")
#: Up to this much work (points x points x dimensions) the graph is exact; above, approximate
#: (HNSW). 100,000 GloVe words (50 dimensions) fit; 384-dimensional MiniLM vectors up to 36,000.
EXACT_WORK = 100_000 * 100_000 * 50
#: Query rows per block: bounds memory and gives progress steps.
BLOCK_ROWS = 4096
#: HNSW settings: 32 links per node and a search list of at least 128 (recall about 0.95, see bench/).
HNSW_LINKS = 32
HNSW_SEARCH_DEPTH = 128
#: Size of the random nudge that breaks exact ties, relative to the largest coordinate.
TIE_JITTER = 1e-6
#: Euclidean points with at most this many dimensions (projections) are searched with a k-d tree.
LOW_DIMENSIONS = 3


@dataclass(frozen=True)
class NeighbourGraph:
    """Row ``i`` of ``indices`` holds the ``k`` points nearest to point ``i`` (itself excluded), nearest first.

    ``distances`` are in ``metric`` (cosine distance is 1 - cosine similarity);
    ``exact`` is False when an approximate index found them.
    """

    indices: np.ndarray
    distances: np.ndarray
    metric: str
    exact: bool

    @property
    def k(self) -> int:
        return self.indices.shape[1]

    def __len__(self) -> int:
        return len(self.indices)

    def nearest(self, k: int) -> NeighbourGraph:
        """The same graph cut to each point's ``k`` nearest."""
        if k > self.k:
            raise ValueError(f"The graph holds {self.k} neighbours per point, fewer than the {k} asked for.")
        return NeighbourGraph(self.indices[:, :k], self.distances[:, :k], self.metric, self.exact)


def neighbour_graph(
    vectors: np.ndarray,
    k: int,
    metric: str = "cosine",
    *,
    exact_work: float = EXACT_WORK,
    seed: int = 0,
    progress: Progress = no_progress,
) -> NeighbourGraph:
    """Each point's ``k`` nearest other points (fewer when there are not ``k + 1`` points).

    ``metric`` is "cosine" (zero vectors then have no direction and are nobody's
    near neighbour), "correlation" (cosine of mean-centred rows) or "euclidean".
    """
    import faiss

    if metric not in GRAPH_METRICS:
        raise ValueError(f"Unknown metric {metric!r}; choose one of: {', '.join(GRAPH_METRICS)}.")
    points = _prepared(vectors, metric)
    n, d = points.shape
    k = max(0, min(k, n - 1))
    if k == 0:
        return NeighbourGraph(np.zeros((n, 0), np.int64), np.zeros((n, 0), np.float32), metric, True)

    exact = float(n) * n * d <= exact_work
    scale = float(np.abs(points).max()) or 1.0
    points = points + np.random.default_rng(seed).normal(0.0, TIE_JITTER * scale, points.shape).astype(np.float32)
    inner_product = metric != "euclidean"
    if not inner_product and d <= LOW_DIMENSIONS:
        # Projected coordinates: a k-d tree is O(n log n) where a flat index compares every pair.
        from sklearn.neighbors import NearestNeighbors

        progress(0.0, f"Finding each point's {k} nearest neighbours among {n:,} points…")
        distances, found = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points)
        return _graph(found, distances, metric, exact=True)
    if exact:
        index = faiss.IndexFlatIP(d) if inner_product else faiss.IndexFlatL2(d)
    else:
        faiss_metric = faiss.METRIC_INNER_PRODUCT if inner_product else faiss.METRIC_L2
        index = faiss.IndexHNSWFlat(d, HNSW_LINKS, faiss_metric)
        index.hnsw.efSearch = max(HNSW_SEARCH_DEPTH, 2 * (k + 1))
        progress(0.0, f"Building an approximate neighbour index of {n:,} points…")
    index.add(points)

    found = np.empty((n, k + 1), dtype=np.int64)
    scores = np.empty((n, k + 1), dtype=np.float32)
    for start in range(0, n, BLOCK_ROWS):
        progress(start / n, f"Finding each point's {k} nearest neighbours: {start:,} of {n:,} points…")
        stop = min(start + BLOCK_ROWS, n)
        scores[start:stop], found[start:stop] = index.search(points[start:stop], k + 1)
    progress(1.0, f"Found the {k} nearest neighbours of all {n:,} points.")

    missing = np.flatnonzero((found < 0).any(axis=1))
    if len(missing):  # HNSW can come back short for a few points: search those exactly
        flat = faiss.IndexFlatIP(d) if inner_product else faiss.IndexFlatL2(d)
        flat.add(points)
        scores[missing], found[missing] = flat.search(points[missing], k + 1)

    distances = 1.0 - scores if inner_product else np.sqrt(np.maximum(scores, 0.0))
    return _graph(found, distances, metric, exact)


def _graph(found: np.ndarray, distances: np.ndarray, metric: str, exact: bool) -> NeighbourGraph:
    """The graph from ``k + 1`` results per point, each point itself left out."""
    found, distances = _without_self(found, distances)
    return NeighbourGraph(found.astype(np.int64), np.maximum(distances, 0.0).astype(np.float32), metric, exact)


def _prepared(vectors: np.ndarray, metric: str) -> np.ndarray:
    """float32 rows ready for an inner-product (cosine, correlation) or L2 (euclidean) index."""
    points = np.asarray(vectors, dtype=np.float32)
    if points.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array, got shape {points.shape}.")
    if not np.all(np.isfinite(points)):
        raise ValueError("vectors contain NaN or infinite values.")
    if metric == "correlation":
        points = points - points.mean(axis=1, keepdims=True)
    if metric in ("cosine", "correlation"):
        points = unit_rows(points, dtype=np.float32)
    return np.ascontiguousarray(points)


def _without_self(found: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop each row's own point from ``k + 1`` results (or the farthest, when a duplicate pushed it out)."""
    n, width = found.shape
    is_self = found == np.arange(n)[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    keep = ~is_self
    return found[keep].reshape(n, width - 1), scores[keep].reshape(n, width - 1)
