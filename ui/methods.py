"""Choosing an embedding method: the registered ones and this session's uploaded sets, loaded with progress."""

from __future__ import annotations

import streamlit as st

import embedders
from embedders import Embedder
from embedders.uploaded import UPLOADED_PREFIX
from ui.display import load_with_progress
from ui.frame import Frame
from ui.sidebar import current_corpus
from ui.uploads import session_uploads, uploaded_methods

DEFAULT_METHOD = "glove"


def method_titles() -> dict[str, str]:
    """Every method this session can use, name -> title: the registered ones, then its own uploaded sets.

    Pass ``.__getitem__`` of it as a widget's ``format_func``: a plain lookup that needs no session.
    """
    return {name: method_title(name) for name in embedders.available() + list(uploaded_methods())}


def method_title(name: str) -> str:
    """The display title of a registered or uploaded method."""
    uploaded = uploaded_methods().get(name)
    if uploaded:
        return uploaded.title
    if name.startswith(UPLOADED_PREFIX):
        return "A vectors file you removed"  # still named by results kept from before
    return embedders.title(name)


def method_picker(label: str = "Embedding method", key: str = "method", default: str = DEFAULT_METHOD) -> str:
    """A select box over every method of this session; a vectors file just uploaded comes selected."""
    titles = method_titles()
    names = list(titles)
    uploads = session_uploads()
    if uploads.just_added in names:
        st.session_state[key], uploads.just_added = uploads.just_added, None
    elif st.session_state.get(key) not in names:
        st.session_state[key] = default  # first run, or an uploaded set the user has removed
    # The value comes through the session only, never an index argument: a widget whose arguments
    # change between runs is a new widget to Streamlit, and a new one would start empty.
    method = st.selectbox(label, names, index=None, format_func=titles.__getitem__, key=key)
    assert method is not None  # the session holds one of ``names`` (set above), so the box is never empty
    return method


def picked_embedder(frame: Frame, key: str, needs_vocabulary_to: str | None = None) -> tuple[str, Embedder]:
    """The method picker in the frame's controls, and its embedder loaded with progress in the picture's place.

    Stops the page, saying why, when the method failed to load or, for a page that works on a whole
    vocabulary (``needs_vocabulary_to`` says what for, e.g. "to compress"), has none.
    """
    with frame.controls:
        method = method_picker(key=key)
    with frame.picture:
        embedder = load_embedder(method)
        if embedder is None:
            st.stop()
        if needs_vocabulary_to and not embedder.has_vocabulary:
            st.info(f"{embedder.title} has no vocabulary of its own {needs_vocabulary_to}: choose GloVe, Word2Vec, "
                    "FastText or your own vectors.")
            st.stop()
    return method, embedder


def embedder_for(name: str) -> Embedder:
    """This session's uploaded set ``name``, or the shared embedder, trained on the sidebar's corpus if it learns from one."""
    uploaded = uploaded_methods().get(name)
    return uploaded if uploaded else embedders.get(name, corpus=current_corpus())


def load_embedder(name: str) -> Embedder | None:
    """The shared embedder, loaded (or trained) with visible progress; None after an error shown on the page."""
    embedder = embedder_for(name)
    if embedder.loaded or load_with_progress(embedder.title, embedder.load):
        return embedder
    return None
