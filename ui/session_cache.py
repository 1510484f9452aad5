"""Slow results on one user's data, kept in that user's session only.

``st.cache_data`` cannot show a progress bar from inside a cached function (it
refuses to update elements created outside), and it shares its entries across
sessions; uploaded lists belong to their user. So work that needs progress on a
user's data is remembered here, in the session, a few entries at a time.

Keys hold arrays (a list's vectors). Digesting an array reads all of it (20 MB for
100,000 words of 50 numbers), and every rerun looks its results up again, so each
array's digest is computed once and remembered for as long as the array lives
(``array_digest``); later look-ups only check a small sample of it.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import streamlit as st

T = TypeVar("T")
#: Results kept per session; the oldest goes first (a 100,000-point graph holds about 100 MB).
MAX_ENTRIES = 12
_STORE_KEY = "session_cache"
#: Elements of an array read again at each look-up of its remembered digest, spread evenly over
#: it: a change to the array in place that touches any of them makes a new digest.
PROBE_ELEMENTS = 4096

#: id(array) -> (weak reference to the array, its digest, its probe). Process-wide: a digest says
#: nothing about the data beyond equality, and an entry goes when its array is freed.
#: No lock: each step is one dict operation (atomic), and an id is reused only after its array's entry went.
_digests: dict[int, tuple[weakref.ref, str, bytes]] = {}


def fingerprint(*parts: object) -> str:
    """A digest of arrays (by content) and plain values (by ``repr``)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, np.ndarray):
            digest.update(b"array:" + array_digest(part).encode())
        else:
            digest.update(repr(part).encode())
    return digest.hexdigest()


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
        reference = weakref.ref(array, lambda ref, key=key: _forget(key, ref))
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


def remembered(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its earlier result in this session for the same ``name`` and ``key``."""
    store: OrderedDict = st.session_state.setdefault(_STORE_KEY, OrderedDict())
    entry = (name, fingerprint(*key))
    if entry in store:
        store.move_to_end(entry)
        return store[entry]
    value = compute()
    store[entry] = value
    while len(store) > MAX_ENTRIES:
        store.popitem(last=False)
    return value
