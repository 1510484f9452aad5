"""Embeddings of the bundled presets, stored on disk once per machine.

MiniLM takes one to two minutes for the 1,465 Wikipedia passages on two cores
(measured); a class should wait for that once, not once per session or server
start. Only long presets embedded by registered methods with fixed vectors are
stored: never a user's list, upload or corpus, and never the vectors of a method
trained here, which change with its training settings. Files are ``.npz`` read
with ``allow_pickle=False``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from common.files import write_atomically
from common.fingerprints import fingerprint
from embedders.base import Embedder, EmbeddingResult
from settings import cache_dir

_TEXT_FIELDS = ("words", "missing", "generated", "unknown_words", "cut")
#: Shorter lists embed in a second or two: not worth a file.
STORE_FROM = 500


def stored_embedding(embedder: Embedder, preset: str, items: tuple[str, ...], as_sentences: bool,
                     compute: Callable[[], EmbeddingResult]) -> EmbeddingResult:
    """The stored embedding of a bundled preset's ``items``, or ``compute()``, stored for next time when
    worth it (see the module's docstring)."""
    import embedders

    if not embedders.is_shared(embedder) or embedder.uses_corpus or len(items) < STORE_FROM:
        return compute()
    method = embedder.name
    digest = fingerprint(list(items))[:16]
    path = cache_dir() / "preset-vectors" / f"{method}-{preset}-{'sentences' if as_sentences else 'words'}-{digest}.npz"
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as stored:
                return EmbeddingResult(vectors=stored["vectors"], sentences=bool(stored["sentences"]),
                                       **{name: stored[name].tolist() for name in _TEXT_FIELDS})
        except (OSError, ValueError, KeyError):
            pass  # a damaged or older file: computed again and replaced below
    result = compute()
    # allow_pickle=False as in the reader above; naming it also keeps the ``**`` arrays off that bool parameter
    write_atomically(path, lambda file: np.savez(
        file, allow_pickle=False, vectors=result.vectors, sentences=result.sentences,
        **{name: np.array(getattr(result, name), dtype=str) for name in _TEXT_FIELDS}))
    return result
