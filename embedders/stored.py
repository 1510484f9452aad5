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
from common.progress import Progress, no_progress
from embedders.base import Embedder, EmbeddingResult
from inputs.wordlists import WordList, looks_like_sentences
from settings import cache_dir

_TEXT_FIELDS = ("words", "missing", "generated", "unknown_words", "cut")
#: Shorter lists embed in a second or two: not worth a file.
STORE_FROM = 500


def stored_embedding(embedder: Embedder, preset: str, items: tuple[str, ...], as_sentences: bool,
                     compute: Callable[[], EmbeddingResult]) -> EmbeddingResult:
    """The stored embedding of a bundled preset's ``items``, or ``compute()``, stored for next time when
    worth it (see the module's docstring)."""
    if not worth_storing(embedder, items):
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


def worth_storing(embedder: Embedder, items: tuple[str, ...]) -> bool:
    """Whether ``stored_embedding`` keeps this embedding on disk (see the module's docstring)."""
    import embedders

    return embedders.is_shared(embedder) and not embedder.uses_corpus and len(items) >= STORE_FROM


def embeddable_items(embedder: Embedder, items) -> tuple[tuple[str, ...], bool]:
    """The items of a list that ``embedder`` embeds (its first ``max_items`` when it has a limit) and
    whether it embeds them as sentences (most have several words)."""
    items = tuple(items)
    if embedder.max_items is not None:
        items = items[: embedder.max_items]
    return items, looks_like_sentences(items)


def preset_embedding(embedder: Embedder, word_list: WordList, progress: Progress = no_progress) -> EmbeddingResult:
    """A bundled preset's embedding as the pages compute it, stored when worth it (``python -m deploy warm``
    prepares them all)."""
    items, as_sentences = embeddable_items(embedder, word_list.items)
    embed = embedder.embed_sentences if as_sentences else embedder.embed
    return stored_embedding(embedder, word_list.preset or "", items, as_sentences, lambda: embed(list(items), progress))
