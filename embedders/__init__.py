"""The embedding methods, behind one interface and a registry.

>>> import embedders
>>> embedders.available()[:2]
['onehot', 'count']

Adding a method is one new module with an ``Embedder`` subclass and one line
in ``_REGISTRY``. Modules are imported on first use so that start-up never
waits for torch or gensim.
"""

from __future__ import annotations

import importlib
import threading

from embedders.base import Embedder, EmbeddingResult
from embedders.corpus import Corpus

__all__ = ["Corpus", "EmbeddingResult", "Embedder", "available", "get", "is_shared", "title"]

#: method name -> (module, class name, display title)
_REGISTRY: dict[str, tuple[str, str, str]] = {
    "onehot": ("embedders.onehot", "OneHotEmbedder", "One-hot"),
    "count": ("embedders.count", "CountEmbedder", "Count vectors"),
    "tfidf": ("embedders.tfidf", "TfidfEmbedder", "TF-IDF vectors"),
    "word2vec-cbow": ("embedders.word2vec_cbow", "Word2VecCBOWEmbedder", "Word2Vec CBOW"),
    "word2vec-skipgram": ("embedders.word2vec_skipgram", "Word2VecSkipGramEmbedder", "Word2Vec skip-gram"),
    "fasttext": ("embedders.fasttext", "FastTextSkipGramEmbedder", "FastText"),
    "glove": ("embedders.glove", "GloVeEmbedder", "GloVe 6B 50d"),
    "minilm": ("embedders.minilm", "MiniLMEmbedder", "MiniLM (sentence-transformers)"),
}

#: At most this many embedders trained on users' own corpora stay in memory (oldest go first).
MAX_CUSTOM_CORPUS_EMBEDDERS = 6

_instances: dict[tuple[str, str | None], Embedder] = {}
_instances_lock = threading.Lock()


def available() -> list[str]:
    """Names of all embedding methods, from the simplest to the most modern."""
    return list(_REGISTRY)


def title(name: str) -> str:
    """The display title of a method, without importing it."""
    return _REGISTRY[_check(name)][2]


def get(name: str, corpus: Corpus | None = None) -> Embedder:
    """The shared embedder for ``name`` (one per process and corpus; it loads on first use).

    ``corpus`` replaces the bundled Wikipedia sample for the methods that learn from
    text (count, TF-IDF, Word2Vec, FastText); the other methods ignore it.
    """
    module_name, class_name, _ = _REGISTRY[_check(name)]
    embedder_class = getattr(importlib.import_module(module_name), class_name)
    if not embedder_class.uses_corpus:
        corpus = None
    key = (name, corpus.fingerprint if corpus else None)
    with _instances_lock:
        if key not in _instances:
            _instances[key] = embedder_class(corpus) if corpus else embedder_class()
            _forget_old_custom_corpus_embedders()
        return _instances[key]


def is_shared(embedder: Embedder) -> bool:
    """Whether what ``embedder`` computes may be kept where other users can reach it: on disk in the cache
    folder, or in a cache shared between sessions (``st.cache_resource``).

    The rule of the whole app, in one place: only a shared model qualifies, the registry's own instance of a
    method, trained (for the methods that learn from text) on the bundled corpus. Everything else is one
    session's own data and stays in that session: an uploaded vectors file (not in the registry), a method
    trained on the user's own corpus (registered under that corpus), an embedder made outside the registry.
    What is computed from a shared model may still be the user's own (a typed list, an upload's words):
    callers check their data too.
    """
    with _instances_lock:
        return _instances.get((embedder.name, None)) is embedder


def _forget_old_custom_corpus_embedders() -> None:
    custom = [key for key in _instances if key[1] is not None]
    for key in custom[: max(0, len(custom) - MAX_CUSTOM_CORPUS_EMBEDDERS)]:
        del _instances[key]


def _check(name: str) -> str:
    if name not in _REGISTRY:
        raise ValueError(f"Unknown embedding method {name!r}; choose one of: {', '.join(_REGISTRY)}.")
    return name
