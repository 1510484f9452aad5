"""Unit vectors, cosine similarity and exact nearest neighbours: the arithmetic every analysis shares."""

from __future__ import annotations

import numpy as np

#: Rows per block when summarising all pairs, so 5,000 items never need a 5,000 x 5,000 matrix at once.
BLOCK_ROWS = 512


def unit_rows(vectors: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Each row scaled to length 1 (zero rows stay zero): cosine becomes a dot product."""
    vectors = np.asarray(vectors, dtype=dtype)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def pairwise_cosine(vectors: np.ndarray) -> np.ndarray:
    """The ``[n x n]`` cosine similarity matrix; zero vectors are similar to nothing."""
    unit = unit_rows(vectors)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def neighbours_within(words: list[str], vectors: np.ndarray, word: str, k: int) -> list[tuple[str, float]]:
    """The ``k`` items of ``words`` most cosine-similar to ``word`` (itself excluded)."""
    unit = unit_rows(vectors)
    row = words.index(word)
    similarities = np.clip(unit @ unit[row], -1.0, 1.0)
    order = [int(i) for i in np.argsort(-similarities, kind="stable") if i != row][:k]
    return [(words[i], float(similarities[i])) for i in order]


def similarity_histogram(vectors: np.ndarray, bins: int = 20) -> tuple[np.ndarray, float, float]:
    """Counts of all pairs' cosine similarities in ``bins`` equal bins over [-1, 1], with the lowest and highest.

    Pairs are counted once and an item is not paired with itself.
    """
    unit = unit_rows(vectors)
    counts = np.zeros(bins, dtype=np.int64)
    lowest, highest = np.inf, -np.inf
    for start in range(0, len(unit), BLOCK_ROWS):
        block = np.clip(unit[start : start + BLOCK_ROWS] @ unit.T, -1.0, 1.0)
        rows, columns = np.indices(block.shape)
        pairs = block[columns > rows + start]
        if len(pairs):
            counts += np.histogram(pairs, bins=bins, range=(-1.0, 1.0))[0]
            lowest, highest = min(lowest, pairs.min()), max(highest, pairs.max())
    return counts, float(lowest), float(highest)


def flat_index(dimension: int, inner_product: bool = True):
    """An empty exact FAISS index: every stored vector compared, by dot product or by squared L2 distance."""
    import faiss

    return faiss.IndexFlatIP(dimension) if inner_product else faiss.IndexFlatL2(dimension)


def exact_neighbours(points: np.ndarray, queries: np.ndarray, k: int,
                     inner_product: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Scores and rows of the ``k`` points nearest each query (exact; a query that is a point finds itself).

    ``points`` and ``queries`` are float32; for cosine pass unit rows (``unit_rows(..., np.float32)``).
    """
    index = flat_index(points.shape[1], inner_product)
    index.add(np.ascontiguousarray(points, dtype=np.float32))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
