"""Fingerprints of inputs: one digest for arrays, texts, numbers, settings and any nesting of them.

Derived files (indexes, stored embeddings, measurements) and session results are keyed by the
fingerprint of what they were made from, so a changed input never meets an old result. Each part
is digested by its content, never by ``repr`` (numpy's ``repr`` of a large array elides its middle).

Digesting an array reads all of it (150 MB for 100,000 x 384 float32), and every rerun of a page
looks its results up again, so each array's digest is computed once and remembered for as long as the
array lives (``array_digest``); later look-ups only check a small sample of it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import weakref
from pathlib import PurePath

import numpy as np

#: Elements of an array read again at each look-up of its remembered digest, spread evenly over
#: it: a change to the array in place that touches any of them makes a new digest.
PROBE_ELEMENTS = 4096

#: id(array) -> (weak reference to the array, its digest, its probe). Process-wide: a digest says
#: nothing about the data beyond equality, and an entry goes when its array is freed.
#: No lock: each step is one dict operation (atomic), and an id is reused only after its array's entry went.
_digests: dict[int, tuple[weakref.ref, str, bytes]] = {}


def fingerprint(*parts: object) -> str:
    """A hex digest of ``parts``: arrays by dtype, shape and content; strings, bytes and numbers by value;
    lists, tuples, sets, dicts and dataclasses by their items. Different inputs give different digests.

    Raises ``TypeError`` for any other kind of part, whose content it cannot vouch for.
    """
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        _update(digest, part)
    return digest.hexdigest()


def _update(digest, part: object) -> None:
    if isinstance(part, np.ndarray):
        digest.update(b"array " + array_digest(part).encode())
    elif isinstance(part, enum.Enum):
        digest.update(f"enum {type(part).__name__}.{part.name}".encode())
    elif part is None or isinstance(part, (bool, int, float, complex, np.generic)):
        digest.update(f"{type(part).__name__} {part!r}".encode())
    elif isinstance(part, str):
        digest.update(f"str {len(part)} ".encode() + part.encode("utf-8", "surrogatepass"))
    elif isinstance(part, bytes):
        digest.update(f"bytes {len(part)} ".encode() + part)
    elif isinstance(part, PurePath):
        _update(digest, ("path", str(part)))
    elif isinstance(part, (list, tuple)):
        if all(isinstance(item, str) for item in part):  # a list of 100,000 words: one joined update
            text = "\n".join(part).encode("utf-8", "surrogatepass")
            digest.update(f"texts {len(part)} {len(text)} ".encode() + text)
        else:
            digest.update(f"sequence {len(part)}".encode())
            for item in part:
                _update(digest, item)
    elif isinstance(part, (set, frozenset)):
        _update(digest, ("set", sorted(fingerprint(item) for item in part)))
    elif isinstance(part, dict):
        _update(digest, ("dict", sorted((fingerprint(key), fingerprint(value)) for key, value in part.items())))
    elif dataclasses.is_dataclass(part) and not isinstance(part, type):
        _update(digest, (type(part).__name__, [getattr(part, f.name) for f in dataclasses.fields(part)]))
    else:
        raise TypeError(f"cannot fingerprint a {type(part).__name__}")
    digest.update(b"\0")


def array_digest(array: np.ndarray) -> str:
    """A digest of ``array``'s dtype, shape and content, computed once per array object.

    Later calls for the same object compare a sample of ``PROBE_ELEMENTS`` elements with
    the one taken with the digest and recompute only when it differs. Arrays used as keys
    are values, never edited in place: an edit of a few elements between the samples
    would keep the old digest (copy the array instead).
    """
    key = id(array)
    probe = _probe(array)
    entry = _digests.get(key)
    if entry is not None and entry[0]() is array and entry[2] == probe:
        return entry[1]
    digest = _full_digest(array)
    try:
        reference = weakref.ref(array, functools.partial(_forget, key))
    except TypeError:  # an array type without weak references: no memory, digest each time
        return digest
    _digests[key] = (reference, digest, probe)
    return digest


def _full_digest(array: np.ndarray) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{array.dtype}{array.shape}".encode())
    digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def _probe(array: np.ndarray) -> bytes:
    """A few elements spread over the array, and its dtype and shape: cheap to read at every look-up."""
    size = array.size
    positions = np.linspace(0, size - 1, min(size, PROBE_ELEMENTS)).astype(np.intp) if size else np.empty(0, np.intp)
    return f"{array.dtype}{array.shape}".encode() + np.ascontiguousarray(array.flat[positions]).tobytes()


def _forget(key: int, reference: weakref.ref) -> None:
    """Drop the remembered digest of an array being freed (unless a newer array took its id already)."""
    entry = _digests.get(key)
    if entry is not None and entry[0] is reference:
        _digests.pop(key, None)
