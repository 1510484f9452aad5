"""Embeddings of the bundled presets, stored on disk once per machine.

MiniLM takes one to two minutes for the 1,465 Wikipedia passages on two cores
(measured); a class should wait for that once, not once per session or server
start. Only long presets embedded by registered methods with fixed vectors are
stored: never a user's list, upload or corpus, and never the vectors of a method
trained here, which change with its training settings. Files are ``.npz`` read
with ``allow_pickle=False``.

``write_atomically`` is how files in the cache folder are written: other modules use it too.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np

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
    digest = hashlib.blake2b("\n".join(items).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    path = cache_dir() / "preset-vectors" / f"{method}-{preset}-{'sentences' if as_sentences else 'words'}-{digest}.npz"
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as stored:
                return EmbeddingResult(vectors=stored["vectors"], sentences=bool(stored["sentences"]),
                                       **{name: stored[name].tolist() for name in _TEXT_FIELDS})
        except (OSError, ValueError, KeyError):
            pass  # a damaged or older file: computed again and replaced below
    result = compute()
    write_atomically(path, lambda file: np.savez(
        file, vectors=result.vectors, sentences=result.sentences,
        **{name: np.array(getattr(result, name), dtype=str) for name in _TEXT_FIELDS}))
    return result


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Create or replace the file ``path`` with what ``write(file)`` writes to an open binary file.

    The bytes go to a temporary file of a unique name in the same folder, renamed over ``path`` once
    complete (``os.replace``, atomic on one file system): a reader sees the old file or the new one,
    never half of one, and two processes writing the same path at once each rename a whole file. After
    a failure the temporary file is removed and the error raised.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
