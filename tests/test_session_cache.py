"""The session cache: equal keys find their result, changed arrays do not, digests are remembered."""

import gc
import logging

import numpy as np
import pytest
import streamlit as st

from ui import session_cache
from ui.session_cache import array_digest, fingerprint, remembered


@pytest.fixture(autouse=True)
def empty_session_cache():
    # Outside `streamlit run`, st.session_state is a plain store that warns on every use: keep it quiet.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    st.session_state.pop("session_cache", None)
    yield
    st.session_state.pop("session_cache", None)


@pytest.fixture
def vectors(glove):
    return np.array(glove.keyed_vectors.vectors[1000:6000])  # a list's vectors: 5,000 real GloVe words


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return calls, compute


def test_equal_arrays_find_the_same_result_object(vectors):
    calls, compute = counting(object())
    first = remembered("graph", (vectors, 15, "cosine"), compute)
    assert remembered("graph", (vectors, 15, "cosine"), compute) is first  # the same array again (a rerun)
    assert remembered("graph", (vectors.copy(), 15, "cosine"), compute) is first  # an equal copy
    assert len(calls) == 1


def test_a_changed_array_of_the_same_shape_is_computed_again(vectors):
    calls, compute = counting("graph")
    remembered("graph", (vectors, 15), compute)
    changed = vectors.copy()
    changed[1234, 7] += 0.5
    remembered("graph", (changed, 15), compute)
    assert len(calls) == 2
    remembered("graph", (vectors, 16), compute)  # and another plain value in the key
    assert len(calls) == 3


def test_an_array_changed_in_place_gets_a_new_digest(vectors):
    before = array_digest(vectors)
    vectors *= 2.0  # every element, the sampled ones among them
    assert array_digest(vectors) != before
    assert array_digest(vectors) == array_digest(vectors.copy())


def test_the_digest_is_remembered_while_the_array_lives_and_forgotten_with_it(vectors):
    vectors = vectors.copy()  # this test's own array (pytest holds on to the fixture's)
    digest = array_digest(vectors)
    key = id(vectors)
    assert session_cache._digests[key][1] == digest
    assert array_digest(vectors) == digest == session_cache._full_digest(vectors)
    del vectors
    gc.collect()
    assert key not in session_cache._digests


def test_digests_tell_dtype_shape_and_views_apart(vectors):
    assert array_digest(vectors) != array_digest(vectors.astype(np.float64))
    assert array_digest(vectors) != array_digest(vectors.reshape(2500, 100))
    assert array_digest(vectors[:, :10]) == array_digest(np.ascontiguousarray(vectors[:, :10]))  # a strided view
    assert array_digest(np.empty((0, 50), np.float32)) != array_digest(np.empty((0, 49), np.float32))
    assert fingerprint(vectors, "umap") != fingerprint(vectors, "pca")
