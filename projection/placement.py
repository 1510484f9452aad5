"""Place new items on a map that is already drawn, without moving any point on it.

Each projection places new points through its own ``transform``, fitted on the list alone:

- **PCA**: the same linear map. PCA is deterministic, so the map is fitted again on the same vectors with
  the same settings; its coordinates for the list are checked against the drawn ones before it is used.
- **t-SNE**: openTSNE's ``TSNEEmbedding.transform`` on the drawn layout itself. Its transform needs only the
  layout and each new point's affinities to the list's points in the original space (cosine, as in the
  fit): every new point is optimised against the fixed layout, so nothing is refitted and nothing moves.
- **UMAP**: umap-learn's ``transform`` of the fitted model. The model is fitted again with the same
  vectors, neighbour graph and seed (umap-learn is deterministic once seeded), plus an exact search index
  for the new points' neighbours; its layout is checked against the drawn one, then it is kept per
  (vectors, settings) in the process that fitted it, so the next placement costs only the transform.

The new points' neighbours are searched exactly among the fitted points, in the metric the fit used.
Each new item is placed on its own (none of them influences another), as every ``transform`` here does.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from common.fingerprints import fingerprint
from common.vectors import exact_neighbours
from projection.neighbours import NeighbourGraph, prepared_points
from projection.reducers import (
    TSNE_FFT_FROM,
    UMAP_MIN_POINTS,
    fit_metric,
    free_cores,
    pad_axes,
    pca_model,
    umap_model,
)

#: openTSNE's own defaults for ``transform``: a small perplexity (each new point is drawn towards its few
#: nearest fitted points) and 250 iterations against the fixed layout.
TSNE_TRANSFORM_PERPLEXITY = 5.0
#: A refitted model must reproduce the drawn coordinates to this share of the layout's extent, or nothing
#: is placed (float32 arithmetic differs in the last digits between runs; any real difference is far larger).
REPRODUCE_TOLERANCE = 1e-4
#: Fitted UMAP models kept per process (each holds its vectors and graph: about 25 MB for 10,000 words).
KEPT_MODELS = 4

PLACEMENT_NOTES = {
    "pca": "New items are placed by PCA's transform: the axes fitted on your list, applied to the new vectors.",
    "umap": "New items are placed by UMAP's transform: each lands where its nearest list items (original space) "
            "pull it, against the fixed map.",
    "tsne": "New items are placed by openTSNE's transform: each is optimised against the fixed map, drawn "
            "towards its nearest list items in the original space.",
}


class PlacementError(ValueError):
    """New items cannot be placed on this map (said in words for the user)."""


@dataclass
class Placement:
    """Coordinates ``[m x dims]`` of the new items on the drawn map, and notes on how they were placed."""

    coords: np.ndarray
    method: str
    notes: list[str] = field(default_factory=list)


def place(
    vectors: np.ndarray,
    coords: np.ndarray,
    new_vectors: np.ndarray,
    method: str,
    *,
    seed: int = 0,
    n_neighbors: int = 15,
    min_dist: float = 0.1,
    metric: str = "cosine",
    perplexity: float = 30.0,
    graph: NeighbourGraph | None = None,
) -> Placement:
    """Coordinates of ``new_vectors`` on the map ``coords`` that ``method`` drew of ``vectors`` (rows correspond).

    ``method`` is the method that really ran (``ProjectionResult.method``: PCA when UMAP fell back on a tiny
    list); the options are the projection's own, and ``graph`` is the neighbour graph the fit used (the
    list's shared graph), needed for UMAP to refit exactly. ``coords`` never change.
    Raises ``PlacementError`` when the items cannot be placed.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    coords = np.asarray(coords, dtype=np.float64)
    new_vectors = np.asarray(new_vectors, dtype=np.float32)
    if new_vectors.ndim == 1:
        new_vectors = new_vectors[None, :]
    if vectors.ndim != 2 or coords.ndim != 2 or len(coords) != len(vectors):
        raise ValueError(f"vectors {vectors.shape} and coords {coords.shape} must have one row per item.")
    dims = coords.shape[1]
    if new_vectors.shape[1:] != vectors.shape[1:]:
        raise PlacementError(f"The new items have {new_vectors.shape[1]}-dimensional vectors and the map's items "
                             f"{vectors.shape[1]}-dimensional ones: they live in different spaces.")
    if not np.all(np.isfinite(new_vectors)):
        raise PlacementError("Some new vectors contain NaN or infinite values.")
    if len(new_vectors) == 0:
        return Placement(np.zeros((0, dims)), method)
    n = len(vectors)
    if n == 0:
        raise PlacementError("There is no map to place items on.")
    if n == 1:  # the map is one point at the origin: nothing tells directions apart
        return Placement(np.zeros((len(new_vectors), dims)), method,
                         ["The map holds a single point: new items sit on it."])
    if method == "pca" or (method == "umap" and n < UMAP_MIN_POINTS):
        placed = _place_pca(vectors, coords, new_vectors)
        return Placement(placed, "pca", [PLACEMENT_NOTES["pca"]])
    if method == "tsne":
        return Placement(_place_tsne(vectors, coords, new_vectors, seed, graph), "tsne", [PLACEMENT_NOTES["tsne"]])
    if method == "umap":
        placed = place_with_umap(vectors, coords, new_vectors, dims, seed, n_neighbors=n_neighbors,
                                 min_dist=min_dist, metric=metric, graph=graph)
        return Placement(placed, "umap", [PLACEMENT_NOTES["umap"]])
    raise ValueError(f"Unknown projection {method!r}.")


def _check_reproduced(refitted: np.ndarray, drawn: np.ndarray, method: str) -> None:
    """Raise unless a refitted model's layout is the drawn one (to ``REPRODUCE_TOLERANCE`` of its extent)."""
    extent = float(np.ptp(drawn, axis=0).max()) or 1.0
    worst = float(np.abs(np.asarray(refitted, dtype=np.float64) - drawn).max())
    if worst > REPRODUCE_TOLERANCE * extent:
        raise PlacementError(f"The {method} model fitted again does not reproduce the map (points differ by "
                             f"{worst / extent:.1%} of its extent), so nothing is placed.")


def _place_pca(vectors: np.ndarray, coords: np.ndarray, new_vectors: np.ndarray) -> np.ndarray:
    """PCA's transform, fitted as ``projection.reducers`` fits it (same components, solver and seed)."""
    dims = coords.shape[1]
    if not np.ptp(vectors, axis=0).any():  # every item has the same vector: the map is one spot
        return np.zeros((len(new_vectors), dims))
    pca = pca_model(vectors, dims).fit(vectors)
    _check_reproduced(pad_axes(pca.transform(vectors), dims), coords, "PCA")
    return pad_axes(pca.transform(new_vectors), dims)


class ExactSearch:
    """Exact nearest fitted points of new points (FAISS flat index), in the fit's metric.

    Answers both libraries' queries: umap-learn's ``query(X, k, epsilon)`` (its transform asks a search
    index) and openTSNE's ``build()``/``query(X, k)`` (a ``KNNIndex``). Distances as the graph has them:
    cosine distance 1 - cosine similarity, or euclidean.
    """

    _angular_trees = False  # read by umap-learn's transform (it only picks an epsilon we ignore)

    def __init__(self, vectors: np.ndarray, metric: str, graph: NeighbourGraph | None = None, k: int = 15) -> None:
        self.metric = metric
        self.points = prepared_points(vectors, metric)
        self.n_samples = len(vectors)
        self.k = min(k, self.n_samples - 1)
        self._graph = graph

    def build(self) -> tuple[np.ndarray, np.ndarray]:
        """The fitted points' own neighbours (openTSNE computes reference affinities from them)."""
        if self._graph is not None and self._graph.metric == self.metric and self._graph.k >= self.k:
            graph = self._graph.nearest(self.k)
            return graph.indices, graph.distances.astype(np.float64)
        found, distances = self.query(self.points, self.k + 1)
        return found[:, 1:], distances[:, 1:]  # each point finds itself first

    def query(self, queries: np.ndarray, k: int, epsilon: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the ``k`` nearest fitted points of each query, nearest first, and their distances."""
        k = min(k, self.n_samples)
        inner_product = self.metric != "euclidean"
        scores, found = exact_neighbours(self.points, prepared_points(queries, self.metric), k, inner_product)
        distances = 1.0 - scores if inner_product else np.sqrt(np.maximum(scores, 0.0))
        return found.astype(np.int64), np.maximum(distances, 0.0).astype(np.float64)


def _place_tsne(vectors: np.ndarray, coords: np.ndarray, new_vectors: np.ndarray, seed: int,
                graph: NeighbourGraph | None) -> np.ndarray:
    """openTSNE's transform on the drawn layout: the layout stays fixed; each new point is optimised alone."""
    from openTSNE import TSNEEmbedding, affinity
    from openTSNE.nearest_neighbors import KNNIndex

    n, dims = coords.shape
    metric = "cosine" if vectors.any(axis=1).all() else "euclidean"  # as the fit chose (zero vectors)
    perplexity = min(TSNE_TRANSFORM_PERPLEXITY, max(1.0, (n - 1) / 3))
    search = ExactSearch(vectors, metric, graph, k=int(3 * perplexity))

    class Index(KNNIndex):  # openTSNE's interface, answered by the exact search
        def __init__(self) -> None:
            self.n_samples, self.k = search.n_samples, search.k

        def build(self):
            return search.build()

        def query(self, query, k):
            return search.query(query, k)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openTSNE's notice that it trims perplexity to the neighbours it has
        affinities = affinity.PerplexityBasedNN(perplexity=perplexity, knn_index=Index())
    method = "fft" if dims == 2 and n > TSNE_FFT_FROM else "bh"  # as the fit chose (3-D has only Barnes-Hut)
    layout = TSNEEmbedding(coords.copy(), affinities, negative_gradient_method=method, random_state=seed,
                           n_jobs=free_cores())
    centre = (coords.max(axis=0) + coords.min(axis=0)) / 2  # transform centres its copy of the layout first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        placed = layout.transform(new_vectors.astype(np.float64), perplexity=perplexity, k=min(25, n))
    return np.asarray(placed, dtype=np.float64) + centre


#: Fitted UMAP models of this process, newest last (see the module's docstring).
_kept_umaps: OrderedDict[str, object] = OrderedDict()


def fitted_umap(vectors: np.ndarray, coords: np.ndarray, dims: int, seed: int, *, n_neighbors: int = 15,
                min_dist: float = 0.1, metric: str = "cosine", graph: NeighbourGraph | None = None):
    """The UMAP model that drew ``coords``: kept from an earlier call, or fitted again and checked."""
    key = fingerprint(vectors, coords, dims, seed, n_neighbors, min_dist, metric)
    if key in _kept_umaps:
        _kept_umaps.move_to_end(key)
        return _kept_umaps[key]
    # The same model as projection.reducers' UMAP (adjustments, graph, arguments), so that the fit repeats
    # exactly, plus an exact search index for the new points' neighbours.
    search = ExactSearch(vectors, fit_metric(vectors, metric))
    reducer, _ = umap_model(vectors, dims, seed, n_neighbors, min_dist, metric, graph, search_index=search)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not an NNDescent object", "n_jobs overridden": expected here
        reducer.fit(vectors)
    _check_reproduced(reducer.embedding_, coords, "UMAP")
    _kept_umaps[key] = reducer
    while len(_kept_umaps) > KEPT_MODELS:
        _kept_umaps.popitem(last=False)
    return reducer


def place_with_umap(vectors: np.ndarray, coords: np.ndarray, new_vectors: np.ndarray, dims: int, seed: int,
                    **options) -> np.ndarray:
    """UMAP's transform of ``new_vectors`` by the model that drew ``coords`` (run it in the UMAP worker)."""
    reducer = fitted_umap(np.asarray(vectors, dtype=np.float32), np.asarray(coords, dtype=np.float64), dims, seed,
                          **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        placed = reducer.transform(np.asarray(new_vectors, dtype=np.float32))
    return np.asarray(placed, dtype=np.float64)
