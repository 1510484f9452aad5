"""What precision costs: the same vectors stored smaller, and how many true neighbours survive.

Each way of storing is judged by bytes per vector and recall@k: the share of each
query's k nearest neighbours at full precision (cosine, float32) that the smaller
vectors still find. Quantizers come from FAISS, PCA from scikit-learn.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from embedders.base import Progress, no_progress
from embedders.similarity import unit_rows
from retrieval import recall_at_k

#: Queries drawn from the vectors themselves to measure recall on.
RECALL_QUERIES = 500
RECALL_K = 10
#: Product quantization learns 256 centroids per part from the vectors themselves.
PQ_MIN_VECTORS = 256


@dataclass(frozen=True)
class Compression:
    """One way of storing the vectors and what it kept."""

    name: str
    bytes_per_vector: float
    recall: float
    seconds: float


def compression_table(vectors: np.ndarray, k: int = RECALL_K, queries: int = RECALL_QUERIES, seed: int = 0,
                      progress: Progress = no_progress) -> list[Compression]:
    """Full precision, float16, 8-bit scalar quantization, product quantization, sign bits and PCA, each
    with its bytes per vector and recall@k against full precision on ``queries`` random rows."""
    import faiss

    unit = np.ascontiguousarray(unit_rows(vectors, dtype=np.float32))
    n, dimension = unit.shape
    rows = np.random.default_rng(seed).choice(n, size=min(queries, n), replace=False)
    k = min(k, n - 1)

    def recall_of(index, data: np.ndarray) -> float:
        """Recall@k of ``index`` holding ``data`` (the vectors in a new form), queried with the same rows."""
        index.add(data)
        _, found = index.search(np.ascontiguousarray(data[rows]), k + 1)
        return recall_at_k(_without_query(found, rows, k), truth)

    exact = faiss.IndexFlatIP(dimension)
    exact.add(unit)
    truth = _without_query(exact.search(unit[rows], k + 1)[1], rows, k)

    steps: list[tuple[str, float, Callable[[], float]]] = [
        ("float32 (full precision)", 4 * dimension, lambda: 1.0),
        ("float16", 2 * dimension,
         lambda: recall_of(faiss.IndexFlatIP(dimension), unit.astype(np.float16).astype(np.float32))),
        ("8-bit scalar quantization", dimension, lambda: _trained_recall(
            faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT),
            unit, recall_of)),
    ]
    for parts in _pq_sizes(dimension) if n >= PQ_MIN_VECTORS else []:
        steps.append((f"product quantization, {parts} × 8 bits", parts, lambda parts=parts: _trained_recall(
            faiss.IndexPQ(dimension, parts, 8, faiss.METRIC_INNER_PRODUCT), unit, recall_of)))
    steps.append((f"sign bits ({dimension} bits)", math.ceil(dimension / 8), lambda: _binary_recall(unit, rows, k, truth)))
    for reduced in sorted({max(2, dimension // 2), max(2, dimension // 4)}, reverse=True):
        steps.append((f"PCA to {reduced} dimensions", 4 * reduced, lambda reduced=reduced: _pca_recall(
            unit, reduced, recall_of)))

    table = []
    for number, (name, size, measure) in enumerate(steps):
        progress(number / len(steps), f"Measuring {name}…")
        started = time.perf_counter()
        table.append(Compression(name, float(size), float(measure()), time.perf_counter() - started))
    progress(1.0, "Done.")
    return table


def _without_query(found: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Each query's results minus the query itself (it is its own nearest), cut to ``k``."""
    return np.array([[i for i in row if i != query][:k] for row, query in zip(found, rows)])


def _trained_recall(index, unit, recall_of) -> float:
    index.train(unit)
    return recall_of(index, unit)


def _pq_sizes(dimension: int) -> list[int]:
    """Sub-vector counts near d/2, d/5 and d/10 that divide the dimension (product quantization needs that)."""
    divisors = [m for m in range(1, dimension + 1) if dimension % m == 0]
    targets = (dimension // 2, dimension // 5, dimension // 10)
    return sorted({min(divisors, key=lambda m: abs(m - max(1, target))) for target in targets}, reverse=True)


def _binary_recall(unit: np.ndarray, rows: np.ndarray, k: int, truth: np.ndarray) -> float:
    """Keep only each number's sign and search by Hamming distance."""
    import faiss

    bits = np.packbits(unit > 0, axis=1)
    padded = 8 * bits.shape[1]
    index = faiss.IndexBinaryFlat(padded)
    index.add(bits)
    _, found = index.search(np.ascontiguousarray(bits[rows]), k + 1)
    return recall_at_k(_without_query(found, rows, k), truth)


def _pca_recall(unit: np.ndarray, reduced: int, recall_of) -> float:
    import faiss
    from sklearn.decomposition import PCA

    projected = unit_rows(PCA(n_components=reduced, random_state=0).fit_transform(unit), dtype=np.float32)
    return recall_of(faiss.IndexFlatIP(reduced), np.ascontiguousarray(projected))
