"""The session cache: equal keys find their result, changed arrays and settings do not."""

import logging

import numpy as np
import pytest
import streamlit as st

from ui.session_cache import remembered


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


def test_arrays_inside_settings_are_told_apart_by_content(vectors):
    # numpy's repr of a large array elides its middle: a key holding the repr would match both.
    changed = vectors.copy()
    changed[2500, 25] += 0.5
    assert repr(("graph", vectors)) == repr(("graph", changed))
    calls, compute = counting("result")
    remembered("graph", (("nested", vectors), {"k": 15}), compute)
    remembered("graph", (("nested", changed), {"k": 15}), compute)
    assert len(calls) == 2
