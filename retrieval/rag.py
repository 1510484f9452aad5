"""What the retrieval step of RAG hands on: the items found, ranked, and the prompt they become.

No language model runs here: the prompt is shown as text, to make plain that
retrieval only chooses what the model gets to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from common.vectors import unit_rows
from retrieval.index import SearchResult


@dataclass(frozen=True)
class Match:
    """One item found: its row among the searched vectors, its rank (1 = best) and cosine similarity."""

    row: int
    rank: int
    similarity: float


def matches(result: SearchResult, k: int, skip_row: int | None = None) -> list[Match]:
    """The first query's ``k`` best matches, without the padding FAISS adds (row −1) and without
    ``skip_row`` (a word searched among its own vocabulary finds itself first)."""
    rows = [(int(row), float(similarity)) for row, similarity in zip(result.indices[0], result.similarities[0])
            if row >= 0 and row != skip_row]
    return [Match(row, rank, similarity) for rank, (row, similarity) in enumerate(rows[:k], start=1)]


def rag_prompt(question: str, passages: Sequence[str]) -> str:
    """The prompt a RAG system would send to a language model: the passages found as numbered
    context, then the question."""
    context = "\n\n".join(f"[{number}] {passage}" for number, passage in enumerate(passages, start=1))
    return (
        "Answer the question using only the context below. Cite the passages you use by number; "
        "if the context does not answer it, say so.\n\n"
        f"Context:\n{context}\n\nQuestion: {question}\nAnswer:"
    )


def map_with_query(vectors: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2-D PCA of the items' unit vectors, and the query placed on the same map.

    PCA is fitted on the items alone, so the map does not move when the query changes;
    the query is then projected with the same axes (rows of ``[n x 2]`` and ``[1 x 2]``).
    """
    from sklearn.decomposition import PCA

    unit = unit_rows(vectors, dtype=np.float32)
    query_unit = unit_rows(np.atleast_2d(query), dtype=np.float32)
    if len(unit) < 3:  # too few to fit two axes: put everything on one line
        coords = np.column_stack([unit @ query_unit[0], np.zeros(len(unit))])
        return coords, np.array([[1.0, 0.0]])
    pca = PCA(n_components=2, random_state=0).fit(unit)
    return pca.transform(unit), pca.transform(query_unit)
