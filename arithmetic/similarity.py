"""The cosine similarity matrix of a word list, ordered so that its blocks show."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common.vectors import pairwise_cosine

#: A heatmap of more items has cells too small to read or hover; longer lists are cut, visibly.
MAX_HEATMAP_ITEMS = 150
#: How the rows and columns can be ordered.
ORDERS = {
    "group": "by group (as in the list)",
    "cluster": "by hierarchical clustering",
    "list": "as in the list",
}


@dataclass
class SimilarityMatrix:
    """Words (and their groups) in display order and their ``[n x n]`` cosine similarities."""

    words: list[str]
    groups: list[str]
    matrix: np.ndarray
    order: str


def similarity_matrix(
    words: list[str], vectors: np.ndarray, groups: list[str] | None = None, order: str = "group"
) -> SimilarityMatrix:
    """Cosine similarities of the original vectors, rows and columns in the chosen ``order``.

    "group" keeps groups together in the order they first appear (the list order
    within a group), "cluster" follows the leaves of an average-linkage
    clustering on cosine distance, "list" keeps the input order.
    """
    if order not in ORDERS:
        raise ValueError(f"Unknown order {order!r}; choose one of: {', '.join(ORDERS)}.")
    groups = list(groups) if groups is not None else [""] * len(words)
    if not (len(words) == len(groups) == len(vectors)):
        raise ValueError("words, groups and vectors must have the same length.")
    if order == "group":
        positions = group_order(groups)
    elif order == "cluster":
        positions = cluster_order(vectors)
    else:
        positions = list(range(len(words)))
    matrix = pairwise_cosine(vectors)[np.ix_(positions, positions)]
    return SimilarityMatrix([words[i] for i in positions], [groups[i] for i in positions], matrix, order)


def group_order(groups: list[str]) -> list[int]:
    """Positions sorted by group, groups in order of first appearance, stable within a group."""
    rank = {group: i for i, group in enumerate(dict.fromkeys(groups))}
    return sorted(range(len(groups)), key=lambda i: rank[groups[i]])


def cluster_order(vectors: np.ndarray) -> list[int]:
    """Leaf order of an average-linkage clustering on cosine distance (similar items end up adjacent)."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    n = len(vectors)
    if n < 3:
        return list(range(n))
    # 1 − cosine from pairwise_cosine, so that zero vectors get distance 1 instead of scipy's NaN.
    distances = np.clip(1.0 - pairwise_cosine(vectors), 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method="average", optimal_ordering=True)
    return [int(i) for i in leaves_list(tree)]
