"""Slow results on one user's data, kept in that user's session only.

``st.cache_data`` cannot show a progress bar from inside a cached function (it
refuses to update elements created outside), and it shares its entries across
sessions; uploaded lists belong to their user. So work that needs progress on a
user's data is remembered here, in the session, a few entries at a time.

Keys hold arrays (a list's vectors), texts and settings, digested by their content
(``common.fingerprints``: an array's digest is computed once per array object).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from common.fingerprints import fingerprint

T = TypeVar("T")
#: Results kept per session; the oldest goes first (a 100,000-point graph holds about 100 MB).
MAX_ENTRIES = 12
_STORE_KEY = "session_cache"


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
