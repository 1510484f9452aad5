"""Word2Vec and FastText trained with gensim, once per corpus and parameters.

Trained vectors are saved in the cache folder in the formats of the original
tools (word2vec binary, Facebook's FastText binary), which load without
unpickling anything.
"""

from __future__ import annotations

import numpy as np
from gensim.models.callbacks import CallbackAny2Vec
from gensim.models.word2vec import MAX_WORDS_IN_BATCH

from common.files import temporary_path
from common.fingerprints import fingerprint
from common.progress import Progress
from embedders.base import CorpusEmbedder
from embedders.corpus import Corpus
from settings import cache_dir


class EpochProgress(CallbackAny2Vec):
    """Reports each finished gensim training epoch to a progress callback, between ``start`` and ``end``."""

    def __init__(self, title: str, epochs: int, progress: Progress, start: float = 0.0, end: float = 1.0) -> None:
        self.title, self.epochs, self.progress, self.start, self.end, self.epoch = title, epochs, progress, start, end, 0

    def on_epoch_end(self, model) -> None:
        self.epoch += 1
        self.progress(self.start + (self.end - self.start) * self.epoch / self.epochs,
                      f"{self.title}: epoch {self.epoch} of {self.epochs}")


def training_sentences(corpus: Corpus, max_words: int | None = None) -> list[list[str]]:
    """The corpus's documents cut into gensim's 10,000-token sentences (gensim silently ignores what lies
    past them), stopping after ``max_words`` words."""
    sentences: list[list[str]] = []
    words = 0
    for document in corpus.documents:
        for start in range(0, len(document), MAX_WORDS_IN_BATCH):
            piece = document[start : start + MAX_WORDS_IN_BATCH]
            if max_words is not None and words + len(piece) > max_words:
                piece = piece[: max_words - words]
            if piece:
                sentences.append(piece)
                words += len(piece)
            if max_words is not None and words >= max_words:
                return sentences
    return sentences


class GensimTrainedEmbedder(CorpusEmbedder):
    """Base of the methods trained with gensim on a corpus.

    Subclasses set ``training_parameters`` (keyword arguments of the gensim
    model) and ``uses_subwords``.
    """

    slow_to_load = True
    trains_on_first_use = True
    uses_subwords = False
    training_parameters: dict = {}

    def cache_path(self):
        """Where the vectors for this corpus and these parameters are saved."""
        digest = fingerprint(self.name, self.corpus.fingerprint, MAX_WORDS_IN_BATCH, self.training_parameters)[:16]
        return cache_dir() / "trained" / f"{self.name}-{digest}.bin"

    def _load(self, progress: Progress) -> None:
        progress(0.0, f"Reading the corpus for {self.title}…")
        path = self.cache_path()
        if path.exists():
            progress(0.5, f"Loading {self.title} vectors trained earlier…")
            self._kv = self._read(path)
        else:
            self._kv = self._train_and_save(path, progress)
        progress(1.0, f"{self.title} is ready ({len(self._kv.index_to_key):,} words).")

    def _train_and_save(self, path, progress: Progress):
        corpus = self.corpus
        if not corpus.documents:
            raise ValueError("The corpus has no words to train on.")
        epochs = self.training_parameters["epochs"]
        progress(0.0, f"Training {self.title} on {corpus.name} ({corpus.token_count:,} tokens), {epochs} epochs…")
        model = self._model_class()(
            sentences=training_sentences(corpus),
            callbacks=[EpochProgress(f"Training {self.title}", epochs, progress)],
            **self.training_parameters,
        )
        with temporary_path(path) as temporary:  # two servers training at once each rename a whole file
            self._write(model, temporary)
        return model.wv

    def _model_class(self):
        raise NotImplementedError

    def _write(self, model, path) -> None:
        model.wv.save_word2vec_format(str(path), binary=True)

    def _read(self, path):
        from gensim.models import KeyedVectors

        return KeyedVectors.load_word2vec_format(str(path), binary=True)


class Word2VecEmbedder(GensimTrainedEmbedder):
    """Word2Vec (CBOW or skip-gram, by ``training_parameters['sg']``)."""

    def _model_class(self):
        from gensim.models import Word2Vec

        return Word2Vec


class FastTextEmbedder(GensimTrainedEmbedder):
    """FastText: word vectors plus character n-gram vectors for unseen words."""

    uses_subwords = True

    def _model_class(self):
        from gensim.models import FastText

        return FastText

    def _write(self, model, path) -> None:
        from gensim.models.fasttext import save_facebook_model

        save_facebook_model(model, str(path))

    def _read(self, path):
        from gensim.models.fasttext import load_facebook_vectors

        return load_facebook_vectors(str(path))

    def _vector_for_unseen(self, key: str) -> np.ndarray | None:
        vector = self._loaded_kv().get_vector(key)  # built from the word's character n-grams
        return vector if np.any(vector) else None
