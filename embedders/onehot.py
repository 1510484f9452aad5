"""One-hot: each distinct word of the list gets its own axis."""

from __future__ import annotations

import numpy as np

from common.progress import Progress
from embedders.base import Embedder, EmbeddingResult


class OneHotEmbedder(Embedder):
    name = "onehot"
    title = "One-hot"
    description = (
        "Each distinct word in your list gets its own dimension: a vector of zeros with a single 1. "
        "Every pair of words is exactly equally far apart (cosine similarity 0), so the picture "
        "carries no meaning at all: king is as far from queen as from dishwasher. "
        "This is the starting point that learned embeddings improve on."
    )
    lowercase = False
    max_items = 5000
    limit_note = "One-hot makes one dimension per distinct word: 5,000 words already make a 100 MB matrix."

    def _vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        distinct = list(dict.fromkeys(items))
        position = {word: i for i, word in enumerate(distinct)}
        vectors = np.zeros((len(items), len(distinct)), dtype=np.float32)
        for row, item in enumerate(items):
            vectors[row, position[item]] = 1.0
        return EmbeddingResult(list(items), vectors)

    sentence_note = "Each distinct sentence gets its own axis, as a word does: every pair is equally far apart."

    def _sentence_vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        return self._vectors_for(items, progress)
