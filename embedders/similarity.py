"""Cosine similarity between the original vectors of a list."""

from __future__ import annotations

import numpy as np


def pairwise_cosine(vectors: np.ndarray) -> np.ndarray:
    """The ``[n x n]`` cosine similarity matrix; zero vectors are similar to nothing."""
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def neighbours_within(words: list[str], vectors: np.ndarray, word: str, k: int) -> list[tuple[str, float]]:
    """The ``k`` items of ``words`` most cosine-similar to ``word`` (itself excluded)."""
    similarities = pairwise_cosine(vectors)
    row = words.index(word)
    order = [int(i) for i in np.argsort(-similarities[row], kind="stable") if i != row][:k]
    return [(words[i], float(similarities[row, i])) for i in order]
