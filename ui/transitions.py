"""The history of embeddings as one animation: a list's map under each method in turn, aligned frame to frame."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from charts.palette import group_colours
from charts.transition import MethodLayout, aligned_in_sequence, method_transition
from inputs.wordlists import WordList
from links.view import ProjectionSettings
from projection.align import MIN_SHARED_POINTS
from ui.display import font_scale, show_chart, show_items
from ui.embedded import embedded_list
from ui.frame import picture_height
from ui.methods import method_title
from ui.projections import projected

#: The order of the frames: from counting to context, as the methods appeared. Methods not named here
#: follow in the order given.
HISTORY = ["onehot", "count", "tfidf", "word2vec-skipgram", "word2vec-cbow", "glove", "fasttext", "minilm"]
#: Width in px the frames' labels are placed for: the picture column at 1440 x 900.
ANIMATION_WIDTH = 900


def in_history_order(methods: Sequence[str]) -> list[str]:
    """``methods`` in the order of ``HISTORY`` (others after, as given)."""
    rank = {name: i for i, name in enumerate(HISTORY)}
    return sorted(dict.fromkeys(methods), key=lambda name: rank.get(name, len(HISTORY)))


def draw_method_transition(words: WordList | Sequence[str], methods: Sequence[str], height: int | None = None,
                           key: str = "transition", settings: ProjectionSettings | None = None,
                           notes: DeltaGenerator | None = None,
                           highlight: str | None = None) -> dict[str, tuple[list[str], np.ndarray]]:
    """Draw the animated map of ``words`` under ``methods`` (in history order): one frame per method, each
    layout (2-D ``settings``, PCA by default) aligned onto the one before; what each method left out goes
    to ``notes``. Returns each drawn method's words and vectors, for what the page shows next."""
    word_list = words if isinstance(words, WordList) else WordList(list(words), [""] * len(words))
    settings = settings or ProjectionSettings()
    notes = notes or st.container()
    layouts: list[MethodLayout] = []
    embeddings: dict[str, tuple[list[str], np.ndarray]] = {}
    waiting = st.empty()
    order = in_history_order(methods)
    for done, name in enumerate(order):
        waiting.caption(f"Drawing {method_title(name)} ({done + 1} of {len(order)} methods)…")
        embedded = embedded_list(name, word_list, brief=True, notes=notes)
        if embedded is None:
            continue
        arguments = settings.arguments() | dict(dims=2)  # an animation between 3-D scenes cannot glide
        projection = projected(embedded.vectors, notes=notes, **arguments)
        if projection is None:
            continue
        rows = projection.rows if projection.rows is not None else np.arange(len(embedded.items))
        layouts.append(MethodLayout(method_title(name), [embedded.items[i] for i in rows], projection.coords))
        embeddings[name] = (embedded.items, embedded.vectors)
    waiting.empty()
    if not layouts:
        st.info("None of the methods has vectors for these words.")
        return embeddings
    aligned, shared = aligned_in_sequence(layouts)
    figure = method_transition(aligned, word_list.group_of(), group_colours(word_list.groups),
                               highlight=[highlight] if highlight else [], height=height or picture_height(),
                               width=ANIMATION_WIDTH, font_scale=font_scale())
    show_chart(figure, key=key, picture=True)
    with notes:
        st.caption("Press ▶ Play, or drag the slider: each frame is one method's map of the same words, rotated, "
                   "reflected and scaled onto the frame before it (orthogonal Procrustes over the words both "
                   "have), so a word moves only as far as the two methods disagree about where it belongs.")
        unaligned = [layout.title for layout, count in zip(aligned[1:], shared[1:]) if count < MIN_SHARED_POINTS]
        if unaligned:
            show_items(f"Too few words in common with the frame before, so not aligned (fewer than "
                       f"{MIN_SHARED_POINTS}):", unaligned, kind="caption")
        st.caption("A word a method has no vector for (listed above) is left out of that method's frame; the "
                   "frame's title counts them.")
    return embeddings
