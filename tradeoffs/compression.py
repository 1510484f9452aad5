"""What precision costs: the same vectors stored smaller, and how many true neighbours survive.

Each way of storing is judged by bytes per vector and recall@k: the share of each
query's k nearest neighbours at full precision (cosine, float32) that the vectors
read back from storage still find, every stored form queried with its own rows.
Given the words, each form is also scored on WordSim-353 and SimLex-999. Quantizers
come from FAISS, PCA from scikit-learn.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from common.progress import Progress, no_progress
from common.vectors import exact_neighbours, unit_rows
from embedders.base import keyed_vectors_from
from retrieval import recall_at_k, without_query
from tradeoffs.scores import WordPairScore, word_pair_scores

#: Queries drawn from the vectors themselves to measure recall on.
RECALL_QUERIES = 500
RECALL_K = 10
#: Product quantization learns 256 centroids per part from the vectors themselves.
PQ_MIN_VECTORS = 256


@dataclass(frozen=True)
class Compression:
    """One way of storing the vectors and what it kept; ``word_pairs`` only when the words were given."""

    name: str
    bytes_per_vector: float
    recall: float
    seconds: float
    word_pairs: tuple[WordPairScore, ...] = ()


@dataclass(frozen=True)
class StorageForm:
    """A way of storing vectors: its size, and ``read_back``, which turns the vectors (``[n × d]``
    float32) into what would be read from storage (float32; PCA gives its own, fewer coordinates)."""

    name: str
    bytes_per_vector: float
    read_back: Callable[[np.ndarray], np.ndarray]


def short_name(name: str) -> str:
    """A storage form's name short enough to label a point of a chart: "float32", "PQ 10 × 8 bits", "PCA to 25"."""
    return (name.replace(" (full precision)", "").replace("product quantization, ", "PQ ")
            .replace(" scalar quantization", " scalar").replace(" dimensions", "").split(" (")[0])


def storage_forms(rows: int, dimension: int) -> list[StorageForm]:
    """Full precision, float16, 8-bit scalar quantization, product quantization (from ``PQ_MIN_VECTORS``
    rows, which it learns from), sign bits and PCA to d/2 and d/4, largest first within each kind."""
    forms = [
        StorageForm("float32 (full precision)", 4 * dimension, lambda vectors: vectors),
        StorageForm("float16", 2 * dimension, as_float16),
        StorageForm("8-bit scalar quantization", dimension, scalar_quantized),
    ]
    for parts in _pq_sizes(dimension) if rows >= PQ_MIN_VECTORS else []:
        forms.append(StorageForm(f"product quantization, {parts} × 8 bits", parts,
                                 functools.partial(product_quantized, parts=parts)))
    forms.append(StorageForm(f"sign bits ({dimension} bits)", math.ceil(dimension / 8), sign_bits))
    for reduced in sorted({max(2, dimension // 2), max(2, dimension // 4)}, reverse=True):
        forms.append(StorageForm(f"PCA to {reduced} dimensions", 4 * reduced,
                                 functools.partial(pca_coordinates, reduced=reduced)))
    return forms


def compression_table(vectors: np.ndarray, k: int = RECALL_K, queries: int = RECALL_QUERIES, seed: int = 0,
                      progress: Progress = no_progress, words: list[str] | None = None) -> list[Compression]:
    """Every storage form of the unit-length rows of ``vectors``, with its bytes per vector and recall@k
    against full precision on ``queries`` random rows; with ``words`` (one per row), also the
    WordSim-353 and SimLex-999 scores of the vectors as read back."""
    if words is not None and len(words) != len(vectors):
        raise ValueError(f"{len(words)} words for {len(vectors)} vectors.")
    unit = np.ascontiguousarray(unit_rows(vectors, dtype=np.float32))
    n, dimension = unit.shape
    rows = np.random.default_rng(seed).choice(n, size=min(queries, n), replace=False)
    k = min(k, n - 1)
    truth = _neighbours(unit, rows, k)

    forms = storage_forms(n, dimension)
    table = []
    for number, form in enumerate(forms):
        progress(number / len(forms), f"Measuring {form.name}…")
        started = time.perf_counter()
        stored = form.read_back(unit)
        recall = recall_at_k(_neighbours(stored, rows, k), truth)
        seconds = time.perf_counter() - started  # building and searching, as the page's column says
        scores = tuple(word_pair_scores(keyed_vectors_from(words, stored))) if words is not None else ()
        table.append(Compression(form.name, float(form.bytes_per_vector), recall, seconds, scores))
    progress(1.0, "Done.")
    return table


def _neighbours(stored: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` nearest rows (cosine, exact) of each row in ``rows``, itself left out."""
    unit = unit_rows(stored, dtype=np.float32)
    return without_query(exact_neighbours(unit, unit[rows], k + 1)[1], rows, k)


def as_float16(vectors: np.ndarray) -> np.ndarray:
    """Half precision, widened again as a reader would."""
    return vectors.astype(np.float16).astype(np.float32)


def scalar_quantized(vectors: np.ndarray) -> np.ndarray:
    """One byte per number, on each dimension's own range (FAISS ``QT_8bit``), decoded."""
    import faiss

    quantizer = faiss.IndexScalarQuantizer(vectors.shape[1], faiss.ScalarQuantizer.QT_8bit,
                                           faiss.METRIC_INNER_PRODUCT)
    return _encoded_and_decoded(quantizer, vectors)


def product_quantized(vectors: np.ndarray, parts: int) -> np.ndarray:
    """``parts`` sub-vectors, each replaced by the nearest of 256 learnt centroids (one byte), decoded."""
    import faiss

    return _encoded_and_decoded(faiss.IndexPQ(vectors.shape[1], parts, 8, faiss.METRIC_INNER_PRODUCT), vectors)


def _encoded_and_decoded(index, vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index.train(vectors)
    return index.sa_decode(index.sa_encode(vectors))


def sign_bits(vectors: np.ndarray) -> np.ndarray:
    """Only each number's sign, as ±1: their inner product is d − 2 × the Hamming distance of the bits."""
    return np.where(vectors > 0, 1.0, -1.0).astype(np.float32)


def pca_coordinates(vectors: np.ndarray, reduced: int) -> np.ndarray:
    """The coordinates on the ``reduced`` main axes of the vectors (scikit-learn PCA)."""
    from sklearn.decomposition import PCA

    return PCA(n_components=reduced, random_state=0).fit_transform(vectors).astype(np.float32)


def _pq_sizes(dimension: int) -> list[int]:
    """Sub-vector counts near d/2, d/5 and d/10 that divide the dimension (product quantization needs that)."""
    divisors = [m for m in range(1, dimension + 1) if dimension % m == 0]
    targets = (dimension // 2, dimension // 5, dimension // 10)
    return sorted({min(divisors, key=lambda m: abs(m - max(1, target))) for target in targets}, reverse=True)
