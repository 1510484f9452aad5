"""How faithful a 2-D/3-D picture is to the original vectors, and how much two methods agree.

Neighbours in the original space are found by cosine distance (how the app
measures similarity everywhere); on the picture, by the plain distance the eye
sees. Exact ties (one-hot vectors are all equally far apart) are broken at
random with a fixed seed rather than by list order, so that a list sorted by
group does not hand one-hot neighbours it never earned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from common.progress import Progress, no_progress
from projection.neighbours import NeighbourGraph, neighbour_graph, neighbours_of
from projection.reducers import sample_rows

DEFAULT_K = 5
#: Above this many points, trustworthiness (which ranks every pair) is computed on a random sample of this size.
TRUSTWORTHINESS_SAMPLE = 2000
#: Above this many points, kNN recall is the mean over a random sample of this many words, each one's
#: neighbours searched among all the points: no neighbour graph of the whole list is needed (100,000
#: GloVe words: 1 s instead of 20-60 s), and the mean is off by about 0.003 (its standard error).
KNN_RECALL_SAMPLE = 5000
#: Neighbour sets of k words need k + 2 words: with k + 1, every word's neighbours are all the others.
EXTRA_WORDS_NEEDED = 2
#: Seconds per unit of work (points x points x dimensions) of an exact search of every point's neighbours,
#: measured on these 2-core machines shared by other work: 100,000 GloVe words (50 dimensions) took 32 s
#: and, busier, 68 s; 10,000 took 0.3-1.2 s. Between the two, so that the time said is rarely far short.
EXACT_SEARCH_SECONDS_PER_WORK = 1.0e-10
#: How many worst-placed items ``worst_placed`` lists by default.
WORST_SHOWN = 15


def original_metric(vectors: np.ndarray) -> str:
    """Cosine, unless some vector is all zeros (it has no direction); then euclidean."""
    vectors = np.asarray(vectors)
    if len(vectors) and np.any(~vectors.any(axis=1)):
        return "euclidean"
    return "cosine"


def why_not_computable(n: int, k: int) -> str | None:
    """Why neighbour metrics with ``k`` neighbours cannot be computed on ``n`` words, or None if they can."""
    if k < 1:
        return f"k must be at least 1 (got {k})."
    if n < k + EXTRA_WORDS_NEEDED:
        return (
            f"Only {n} word{'s' if n != 1 else ''}: comparing each word's {k} nearest "
            f"neighbour{'s' if k != 1 else ''} needs at least "
            f"k + 2 = {k + EXTRA_WORDS_NEEDED} words (with fewer, every word's neighbours are simply all the others)."
        )
    return None


def _check(n: int, k: int) -> None:
    reason = why_not_computable(n, k)
    if reason:
        raise ValueError(reason)


def neighbour_indices(points: np.ndarray, k: int, metric: str = "euclidean", seed: int = 0) -> np.ndarray:
    """Row ``i`` holds the indices of the ``k`` points nearest to point ``i`` (itself excluded)."""
    _check(len(points), k)
    return neighbour_graph(points, k, metric, seed=seed).indices


def knn_recall(X: np.ndarray, Y: np.ndarray, k: int = DEFAULT_K, metric: str | None = None,
               graph: NeighbourGraph | None = None, rows: np.ndarray | None = None) -> float:
    """Mean share of each point's ``k`` nearest neighbours in ``X`` that are also among its ``k`` nearest in ``Y``.

    ``X`` are the original vectors (``metric``: cosine by default, see ``original_metric``),
    ``Y`` the projected coordinates (euclidean). 1.0 means every neighbourhood
    survives; a random picture scores about ``k / (n - 1)``. ``graph``, the shared
    neighbour graph of ``X`` with at least ``k`` neighbours, saves searching them again
    (only an exact one: an approximate graph would lower the score). ``rows`` averages
    over those points only (a sample), their neighbours still searched among all points.
    """
    return float(np.mean(kept_neighbourhoods(X, Y, k, graph, metric, rows).recall))


@dataclass(frozen=True)
class KeptNeighbourhoods:
    """For each point of ``rows``: its ``k`` nearest in the original space and on the map, and the share kept.

    Row ``i`` of ``original`` (nearest first, with ``original_distances`` in ``metric``) and of ``on_map``
    belongs to point ``rows[i]``; ``recall[i]`` is the share of ``original[i]`` also in ``on_map[i]``.
    """

    rows: np.ndarray
    original: np.ndarray
    original_distances: np.ndarray
    on_map: np.ndarray
    recall: np.ndarray
    metric: str

    @property
    def k(self) -> int:
        return self.original.shape[1]


def exact_graph_covers(graph: NeighbourGraph | None, n: int, k: int, metric: str) -> bool:
    """Whether ``graph`` holds each of ``n`` points' exact ``k`` nearest in ``metric``."""
    return graph is not None and graph.exact and graph.metric == metric and graph.k >= k and len(graph) == n


def kept_neighbourhoods(X: np.ndarray, Y: np.ndarray, k: int = DEFAULT_K, graph: NeighbourGraph | None = None,
                        metric: str | None = None, rows: np.ndarray | None = None,
                        progress: Progress = no_progress) -> KeptNeighbourhoods:
    """Each point's ``k`` nearest neighbours in ``X`` (``metric``, cosine by default) and on the map ``Y``
    (euclidean), and the share of the first that are also among the second (kNN recall per point).

    Original neighbours are exact: from ``graph`` when it is the exact graph of ``X`` with at least ``k``
    neighbours, else searched exactly (every point: about ``exact_search_seconds``). ``rows`` limits
    the result to those points, their neighbours still searched among all points.
    Raises ``ValueError`` when there are fewer than k + 2 points.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if len(X) != len(Y):
        raise ValueError(f"X and Y must have as many rows, got {len(X)} and {len(Y)}.")
    n = len(X)
    _check(n, k)
    metric = metric or original_metric(X)
    everyone = rows is None
    rows = np.arange(n) if everyone else np.asarray(rows, dtype=np.int64)
    if graph is not None and exact_graph_covers(graph, n, k, metric):
        original, distances = graph.indices[rows, :k], graph.distances[rows, :k]
    elif everyone:  # exact whatever the size: an approximate search would count lost neighbours as the map's fault
        found = neighbour_graph(X, k, metric, exact_work=np.inf, progress=progress)
        original, distances = found.indices, found.distances
    else:
        original, distances = neighbours_of(X, rows, k, metric, progress=progress)
    on_map = neighbour_indices(Y, k, "euclidean") if everyone else neighbours_of(Y, rows, k, "euclidean")[0]
    # Which of a row's original neighbours are among its map neighbours: as (row, neighbour) pairs, one
    # sorted lookup (a row-by-row k x k comparison held 250 MB at 100,000 points and k = 50).
    own = rows[:, None] * n
    kept = np.isin(own + original, own + on_map).sum(axis=1)
    return KeptNeighbourhoods(rows, original, distances, on_map, kept / k, metric)


def per_point_recall(X: np.ndarray, Y: np.ndarray, k: int = DEFAULT_K, graph: NeighbourGraph | None = None,
                     metric: str | None = None, progress: Progress = no_progress) -> np.ndarray:
    """Per point, in [0, 1]: the share of its ``k`` nearest neighbours in ``X`` that are also among its ``k``
    nearest on the map ``Y`` (see ``kept_neighbourhoods``); their mean is ``knn_recall``."""
    return kept_neighbourhoods(X, Y, k, graph, metric, progress=progress).recall


def exact_search_seconds(n: int, dimensions: int) -> float:
    """About how long finding every one of ``n`` points' exact neighbours takes here (n x n x dimensions work)."""
    return EXACT_SEARCH_SECONDS_PER_WORK * float(n) * n * dimensions


def map_ranks(coords: np.ndarray, row: int, others: np.ndarray) -> np.ndarray:
    """Where each of ``others`` ranks among point ``row``'s neighbours on the map: 1 = its nearest."""
    coords = np.asarray(coords, dtype=float)
    distance = np.linalg.norm(coords - coords[row], axis=1)
    # Points strictly nearer than each other point, the point itself (distance 0) standing in for "1 +".
    return np.maximum(1, np.searchsorted(np.sort(distance), distance[np.asarray(others)], side="left"))


def true_neighbours(words: Sequence[str], X: np.ndarray, Y: np.ndarray, row: int, k: int = DEFAULT_K,
                    graph: NeighbourGraph | None = None, metric: str | None = None) -> pd.DataFrame:
    """Point ``row``'s ``k`` nearest neighbours in the original space ``X``, nearest first, and where the map
    ``Y`` put them.

    Columns: ``neighbour`` (its word), ``row``, ``similarity`` (cosine; for euclidean, minus the
    distance), ``map_rank`` (1 = the point's nearest on the map), ``map_distance`` and ``near_on_map``
    (among the point's ``k`` nearest on the map, as ``kept_neighbourhoods`` counts it). Only this
    point's neighbours are searched: cheap enough before the picture.
    """
    kept = kept_neighbourhoods(X, Y, k, graph, metric, rows=np.array([row]))
    found = kept.original[0]
    similarity = 1.0 - kept.original_distances[0] if kept.metric == "cosine" else -kept.original_distances[0]
    Y = np.asarray(Y, dtype=float)
    return pd.DataFrame({
        "neighbour": [words[i] for i in found],
        "row": found,
        "similarity": similarity.astype(float),
        "map_rank": map_ranks(Y, row, found),
        "map_distance": np.linalg.norm(Y[found] - Y[row], axis=1),
        "near_on_map": np.isin(found, kept.on_map[0]),
    })


def worst_placed(words: Sequence[str], Y: np.ndarray, kept: KeptNeighbourhoods, n: int = WORST_SHOWN) -> pd.DataFrame:
    """The ``n`` points whose neighbourhood the map ``Y`` kept least, worst first.

    Fewest neighbours kept first; among equals, those whose true neighbours landed farthest on the
    map (mean distance). Columns: ``item``, ``kept`` (per-point recall), ``moved_away`` (the true
    neighbours not among its nearest on the map, each with its rank on the map) and ``still_near``.
    """
    Y = np.asarray(Y, dtype=float)
    spread = np.linalg.norm(Y[kept.original] - Y[kept.rows][:, None, :], axis=2).mean(axis=1)
    order = np.lexsort((-spread, kept.recall))[:n]
    table = []
    for i in order:
        row, near = int(kept.rows[i]), set(kept.on_map[i].tolist())
        away = [j for j in kept.original[i].tolist() if j not in near]
        ranks = map_ranks(Y, row, np.array(away, dtype=np.int64)).tolist() if away else []
        table.append({
            "item": words[row],
            "kept": float(kept.recall[i]),
            "moved_away": ", ".join(f"{words[j]} (#{rank:,})" for j, rank in zip(away, ranks)),
            "still_near": ", ".join(words[j] for j in kept.original[i].tolist() if j in near),
        })
    return pd.DataFrame(table, columns=["item", "kept", "moved_away", "still_near"])


def trustworthiness(X: np.ndarray, Y: np.ndarray, k: int = DEFAULT_K, metric: str | None = None) -> float:
    """scikit-learn's trustworthiness of projection ``Y`` of ``X`` with ``k`` neighbours.

    1.0 means no point has a neighbour on the picture that is not a near
    neighbour in the original space. Raises ``ValueError`` with the reason when
    there are too few points (scikit-learn needs ``k < n / 2``).
    """
    from sklearn import manifold

    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    n = len(X)
    _check(n, k)
    if k >= n / 2:
        raise ValueError(f"Trustworthiness needs fewer than n / 2 neighbours: k = {k} is too many for {n} words.")
    return float(manifold.trustworthiness(X, Y, n_neighbors=k, metric=metric or original_metric(X)))


def chance_recall(n: int, k: int) -> float:
    """The kNN recall a picture with random positions would get on average."""
    return k / (n - 1)


@dataclass
class ProjectionQuality:
    """Both distortion numbers for one picture, or the reason they are missing."""

    words: int
    k: int
    metric: str
    trustworthiness: float | None = None
    trustworthiness_k: int | None = None
    knn_recall: float | None = None
    chance_recall: float | None = None
    reason: str | None = None
    #: Trustworthiness was computed among a random sample of this many words (None: all of them).
    trustworthiness_sample: int | None = None
    #: kNN recall is the mean over a random sample of this many words (None: over all of them).
    knn_recall_sample: int | None = None
    notes: list[str] = field(default_factory=list)


def projection_quality(vectors: np.ndarray, coords: np.ndarray, k: int = DEFAULT_K,
                       graph: NeighbourGraph | None = None, seed: int = 0) -> ProjectionQuality:
    """Trustworthiness and kNN recall@k of ``coords`` as a picture of ``vectors``.

    With fewer than k + 2 words neither is computed and ``reason`` says why.
    Trustworthiness uses a smaller k when scikit-learn's ``k < n / 2`` demands
    it, and ``notes`` says so. kNN recall covers every word up to ``KNN_RECALL_SAMPLE``
    words and a random sample of that many above (neighbours searched among all words;
    ``graph``, the shared exact neighbour graph, saves that search when given); above
    ``TRUSTWORTHINESS_SAMPLE`` words trustworthiness is computed among a random sample of that many.
    """
    n = len(vectors)
    metric = original_metric(vectors)
    quality = ProjectionQuality(words=n, k=k, metric=metric, reason=why_not_computable(n, k))
    if quality.reason:
        return quality
    if metric != "cosine":
        quality.notes.append("Some vectors are all zeros (no direction), so original distances are euclidean, not cosine.")
    recall_rows = None
    if n > KNN_RECALL_SAMPLE:
        recall_rows = sample_rows(n, KNN_RECALL_SAMPLE, seed)
        quality.knn_recall_sample = KNN_RECALL_SAMPLE
    quality.knn_recall = knn_recall(vectors, coords, k, metric, graph, recall_rows)
    quality.chance_recall = chance_recall(n, k)
    quality.trustworthiness_k = min(k, (n - 1) // 2)
    if quality.trustworthiness_k < k:
        quality.notes.append(
            f"Trustworthiness uses k = {quality.trustworthiness_k}: it needs fewer than half of the {n} words as neighbours."
        )
    rows = sample_rows(n, TRUSTWORTHINESS_SAMPLE, seed)
    if n > TRUSTWORTHINESS_SAMPLE:
        quality.trustworthiness_sample = TRUSTWORTHINESS_SAMPLE
    quality.trustworthiness = trustworthiness(np.asarray(vectors)[rows], np.asarray(coords)[rows],
                                              quality.trustworthiness_k, metric)
    return quality


def neighbour_overlap(
    words_a: Sequence[str],
    vectors_a: np.ndarray,
    words_b: Sequence[str],
    vectors_b: np.ndarray,
    k: int = DEFAULT_K,
) -> pd.DataFrame:
    """Per shared word, the Jaccard overlap of its ``k`` nearest neighbours (within the shared words) under A and B.

    Columns: ``word``, ``overlap`` (0 = no neighbour in common, 1 = the same
    neighbours), ``shared`` (neighbours in both), ``only_a``, ``only_b``. Rows
    come with the largest change (lowest overlap) first. Raises ``ValueError``
    when there are fewer than k + 2 shared words.
    """
    shared = _shared_words(words_a, words_b)
    _check(len(shared), k)
    return _overlap_table(
        shared, _neighbours_among(words_a, vectors_a, shared, k), _neighbours_among(words_b, vectors_b, shared, k)
    )


def _shared_words(words_a: Sequence[str], words_b: Sequence[str]) -> list[str]:
    in_b = set(words_b)
    return [word for word in words_a if word in in_b]


def _neighbours_among(words: Sequence[str], vectors: np.ndarray, shared: list[str], k: int) -> np.ndarray:
    """Each shared word's ``k`` nearest neighbours among the shared words, as indices into ``shared``."""
    row = {word: index for index, word in enumerate(words)}
    subset = np.asarray(vectors)[[row[word] for word in shared]]
    return neighbour_indices(subset, k, original_metric(subset))


def _overlap_table(shared: list[str], neighbours_a: np.ndarray, neighbours_b: np.ndarray) -> pd.DataFrame:
    rows = []
    for word, near_a, near_b in zip(shared, neighbours_a.tolist(), neighbours_b.tolist()):
        set_a, set_b = set(near_a), set(near_b)
        rows.append({
            "word": word,
            "overlap": len(set_a & set_b) / len(set_a | set_b),
            "shared": [shared[i] for i in near_a if i in set_b],
            "only_a": [shared[i] for i in near_a if i not in set_b],
            "only_b": [shared[i] for i in near_b if i not in set_a],
        })
    table = pd.DataFrame(rows, columns=["word", "overlap", "shared", "only_a", "only_b"])
    return table.sort_values("overlap", kind="stable").reset_index(drop=True)


def chance_overlap(n: int, k: int) -> float:
    """The mean overlap (Jaccard) of two unrelated choices of ``k`` neighbours among the other ``n - 1`` words."""
    from scipy.stats import hypergeom

    _check(n, k)
    common = np.arange(k + 1)  # how many neighbours the two choices share
    probability = hypergeom(n - 1, k, k).pmf(common)
    return float(np.sum(probability * common / (2 * k - common)))


def mean_overlap_matrix(embeddings: Mapping[str, tuple[Sequence[str], np.ndarray]], k: int = DEFAULT_K) -> pd.DataFrame:
    """Mean neighbour overlap for every pair of methods (``name -> (words, vectors)``).

    The diagonal is 1; a pair (or a method) with fewer than k + 2 words is NaN.
    """
    names = list(embeddings)
    matrix = pd.DataFrame(np.nan, index=names, columns=names)
    for name, (words, _) in embeddings.items():
        if why_not_computable(len(words), k) is None:
            matrix.loc[name, name] = 1.0
    # Methods that have the same words share neighbour sets between pairs: find each set once.
    found: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}

    def neighbours(name: str, shared: list[str]) -> np.ndarray:
        key = (name, tuple(shared))
        if key not in found:
            found[key] = _neighbours_among(*embeddings[name], shared, k)
        return found[key]

    for first, second in combinations(names, 2):
        shared = _shared_words(embeddings[first][0], embeddings[second][0])
        if why_not_computable(len(shared), k):
            continue
        mean = _overlap_table(shared, neighbours(first, shared), neighbours(second, shared))["overlap"].mean()
        matrix.loc[first, second] = matrix.loc[second, first] = mean
    return matrix
