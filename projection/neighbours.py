"""One neighbour graph per set of vectors: each point's k nearest other points.

Computed once per (method, list) and reused by UMAP (``precomputed_knn``), by
t-SNE's affinities, by the distortion metrics and by in-list neighbours, so
that no step searches neighbours on its own (UMAP would otherwise compile
pynndescent for tens of seconds above 4,096 points).

Exact search (FAISS ``IndexFlat``: blocked BLAS products) while its work,
n x n x dimensions, stays under ``EXACT_WORK``; above it an inverted-file index
(``IndexIVFFlat``: k-means lists, each point searched in its ``IVF_PROBES`` nearest
lists). Measured on 100,000 GloVe words, 15 neighbours, one thread: exact 21 s,
IVF 7 s at recall 0.94 (UMAP as trustworthy on it as on the exact graph), HNSW with
32 links 70 s (under load; 23 s measured idle before).
Exact ties (one-hot vectors are all equally far apart) fall at random rather
than by list order: every coordinate is nudged by a millionth of the data's scale.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

from common.progress import Progress, no_progress
from common.vectors import flat_index, unit_rows

GRAPH_METRICS = ("cosine", "euclidean", "correlation")
#: Up to this much work (points x points x dimensions) the graph is exact; above, approximate (IVF):
#: 25,000 GloVe words (50 dimensions, about 1.3 s), 384-dimensional MiniLM vectors up to 9,000. Around
#: there both take as long; at 100,000 words exact takes 3 x the time of IVF.
EXACT_WORK = 25_000 * 25_000 * 50
#: Query rows per block: bounds memory and gives progress steps.
BLOCK_ROWS = 4096
#: IVF settings: about sqrt(n) k-means lists, each point searched in its 16 nearest (100,000 GloVe
#: words: 5 % of the points scanned per query; recall 0.94 for 15 neighbours, 0.90 for 90).
IVF_PROBES = 16
#: Size of the random nudge that breaks exact ties, relative to the largest coordinate.
TIE_JITTER = 1e-6
#: Threads FAISS searches with. One: on two cores shared by the server's sessions (and a browser), two
#: OpenMP threads waited for each other and searched 1.5-3 x slower than one (measured under load).
SEARCH_THREADS = 1
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

    points, k = _points(vectors, k, metric, seed)
    n, d = points.shape
    if k == 0:
        return NeighbourGraph(np.zeros((n, 0), np.int64), np.zeros((n, 0), np.float32), metric, True)
    inner_product = metric != "euclidean"
    if not inner_product and d <= LOW_DIMENSIONS:
        found, distances = _low_dimensional(points, None, k, progress)
        return _graph(found, distances, metric, exact=True)

    exact = float(n) * n * d <= exact_work
    with _search_threads(faiss):
        if exact:
            index = flat_index(d, inner_product)
        else:
            index = _approximate_index(faiss, points, inner_product, progress)
        index.add(points)
        scores, found = _search(index, points, k + 1, progress, f"Finding each point's {k} nearest neighbours")
        missing = np.flatnonzero((found < 0).any(axis=1))
        if len(missing):  # an approximate index can come back short for a few points: search those exactly
            flat = flat_index(d, inner_product)
            flat.add(points)
            scores[missing], found[missing] = flat.search(points[missing], k + 1)

    distances = 1.0 - scores if inner_product else np.sqrt(np.maximum(scores, 0.0))
    return _graph(found, distances, metric, exact)


def neighbours_of(
    vectors: np.ndarray,
    rows: np.ndarray,
    k: int,
    metric: str = "cosine",
    *,
    seed: int = 0,
    progress: Progress = no_progress,
) -> tuple[np.ndarray, np.ndarray]:
    """The exact ``k`` nearest other points of the points ``rows``, searched among all points.

    Row ``i`` of the result belongs to point ``rows[i]``: indices into ``vectors``
    (nearest first) and distances, as ``neighbour_graph`` finds them for those
    rows (the same metrics, tie-breaking and seed). For a sample of a large list:
    ``len(rows)`` searches instead of one per point.
    """
    import faiss

    points, k = _points(vectors, k, metric, seed)
    rows = np.asarray(rows, dtype=np.int64)
    n, d = points.shape
    if k == 0 or len(rows) == 0:
        return np.zeros((len(rows), k), np.int64), np.zeros((len(rows), k), np.float32)
    inner_product = metric != "euclidean"
    if not inner_product and d <= LOW_DIMENSIONS:
        found, distances = _low_dimensional(points, rows, k, progress)
    else:
        with _search_threads(faiss):
            index = flat_index(d, inner_product)
            index.add(points)
            scores, found = _search(index, points[rows], k + 1, progress,
                                    f"Finding the {k} nearest neighbours of {len(rows):,} points")
        distances = 1.0 - scores if inner_product else np.sqrt(np.maximum(scores, 0.0))
    found, distances = _without_self(found, distances, rows)
    return found.astype(np.int64), np.maximum(distances, 0.0).astype(np.float32)


def _points(vectors: np.ndarray, k: int, metric: str, seed: int) -> tuple[np.ndarray, int]:
    """The points as searched (prepared for ``metric``, ties nudged apart) and ``k`` cut to what they allow."""
    if metric not in GRAPH_METRICS:
        raise ValueError(f"Unknown metric {metric!r}; choose one of: {', '.join(GRAPH_METRICS)}.")
    points = prepared_points(vectors, metric)
    k = max(0, min(k, len(points) - 1))
    if k == 0:
        return points, 0
    scale = float(np.abs(points).max()) or 1.0
    points = points + np.random.default_rng(seed).normal(0.0, TIE_JITTER * scale, points.shape).astype(np.float32)
    return np.ascontiguousarray(points), k


def _low_dimensional(points: np.ndarray, rows: np.ndarray | None, k: int,
                     progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Projected coordinates (euclidean, at most 3 dimensions): a k-d tree, O(n log n) where a flat index
    compares every pair. The ``k + 1`` nearest of ``rows`` (None: of every point), each itself included."""
    from sklearn.neighbors import NearestNeighbors

    queries = points if rows is None else points[rows]
    progress(0.0, f"Finding the {k} nearest neighbours of {len(queries):,} points among {len(points):,}…")
    distances, found = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(queries)
    return found, distances


def _approximate_index(faiss, points: np.ndarray, inner_product: bool, progress: Progress):
    """An inverted-file index of about sqrt(n) lists, trained on ``points`` (which are then added)."""
    n, d = points.shape
    lists = max(1, int(np.sqrt(n)))
    faiss_metric = faiss.METRIC_INNER_PRODUCT if inner_product else faiss.METRIC_L2
    quantizer = flat_index(d, inner_product)
    index = faiss.IndexIVFFlat(quantizer, d, lists, faiss_metric)  # faiss's wrapper keeps the quantizer alive
    index.nprobe = min(lists, IVF_PROBES)
    progress(0.0, f"Building an approximate neighbour index of {n:,} points…")
    index.train(points)  # k-means with FAISS's fixed seed: the same lists, the same graph, every run
    return index


def _search(index, queries: np.ndarray, width: int, progress: Progress, doing: str) -> tuple[np.ndarray, np.ndarray]:
    """``index.search`` of ``queries`` in blocks of ``BLOCK_ROWS`` (memory, progress): scores and ids."""
    n = len(queries)
    found = np.empty((n, width), dtype=np.int64)
    scores = np.empty((n, width), dtype=np.float32)
    for start in range(0, n, BLOCK_ROWS):
        progress(start / n, f"{doing}: {start:,} of {n:,} points…")
        stop = min(start + BLOCK_ROWS, n)
        scores[start:stop], found[start:stop] = index.search(queries[start:stop], width)
    progress(1.0, f"{doing}: all {n:,} points.")
    return scores, found


@contextlib.contextmanager
def _search_threads(faiss):
    """FAISS runs ``SEARCH_THREADS`` threads here, then as many as before (the setting is per thread)."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(SEARCH_THREADS)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _graph(found: np.ndarray, distances: np.ndarray, metric: str, exact: bool) -> NeighbourGraph:
    """The graph from ``k + 1`` results per point, each point itself left out."""
    found, distances = _without_self(found, distances)
    return NeighbourGraph(found.astype(np.int64), np.maximum(distances, 0.0).astype(np.float32), metric, exact)


def prepared_points(vectors: np.ndarray, metric: str) -> np.ndarray:
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


def _without_self(found: np.ndarray, scores: np.ndarray,
                  rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Drop each row's own point (``rows[i]``; by default ``i``) from ``k + 1`` results (or the farthest,
    when a duplicate pushed it out)."""
    n, width = found.shape
    own = np.arange(n) if rows is None else np.asarray(rows)
    is_self = found == own[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    keep = ~is_self
    return found[keep].reshape(n, width - 1), scores[keep].reshape(n, width - 1)
