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

from embedders.base import EmbeddingResult, Embedder, Progress, no_progress

__all__ = ["EmbeddingResult", "Embedder", "Progress", "available", "get", "no_progress", "title"]

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

_instances: dict[str, Embedder] = {}
_instances_lock = threading.Lock()


def available() -> list[str]:
    """Names of all embedding methods, from the simplest to the most modern."""
    return list(_REGISTRY)


def title(name: str) -> str:
    """The display title of a method, without importing it."""
    return _REGISTRY[_check(name)][2]


def get(name: str) -> Embedder:
    """The shared embedder for ``name`` (one per process; it loads on first use)."""
    with _instances_lock:
        if name not in _instances:
            module_name, class_name, _ = _REGISTRY[_check(name)]
            embedder_class = getattr(importlib.import_module(module_name), class_name)
            _instances[name] = embedder_class()
        return _instances[name]


def _check(name: str) -> str:
    if name not in _REGISTRY:
        raise ValueError(f"Unknown embedding method {name!r}; choose one of: {', '.join(_REGISTRY)}.")
    return name
