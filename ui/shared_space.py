"""Images and words in one space, drawn: the digit images mapped onto GloVe, the words beside them.

The figure itself is built by ``charts.shared_space``; these are the Streamlit helpers the page and a
Story step share. ``draw_shared_space`` draws the chart with a
one-line caption of the zero-shot accuracy into the current container.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from charts.shared_space import shared_space_figure
from images.shared_space import (
    DEFAULT_HELD_OUT,
    JointProjection,
    SharedSpace,
    digit_word_vectors,
    every_pair,
    joint_projection,
    train_shared_space,
)
from ui.display import font_scale, progress_bar, show_chart
from ui.methods import load_embedder
from ui.session_cache import remembered


def accuracy_line(space: SharedSpace) -> str:
    """The zero-shot result in one sentence, with chance beside each number."""
    held = " and ".join(str(digit) for digit in space.held_out)
    count = int(space.is_held_out().sum())
    return (f"Zero-shot: {space.zero_shot_held_out:.0%} of the {count} images of {held} (never seen in training) are "
            f"closest to their own word among the {len(space.held_out)} held-out words (chance "
            f"{space.chance_held_out:.0%}); among all ten words {space.zero_shot_all:.0%} (chance "
            f"{space.chance_all:.0%}). Unseen images of the seen digits: {space.seen_all:.0%} among all ten. "
            f"Trained here in {space.seconds:.2f} s.")


def shared_space(held_out: Sequence[int] = DEFAULT_HELD_OUT) -> tuple[SharedSpace, JointProjection] | None:
    """The map for ``held_out``, trained once per session and choice; None (with a message) without GloVe."""
    glove = load_embedder("glove")
    if glove is None:
        return None
    words = digit_word_vectors(glove.keyed_vectors)
    key = tuple(sorted(int(digit) for digit in held_out))
    with st.spinner("Training the map from images to words…"):
        return remembered("shared_space", key, lambda: _trained(words, key))


def _trained(words: np.ndarray, held_out: tuple[int, ...]) -> tuple[SharedSpace, JointProjection]:
    space = train_shared_space(words, held_out)
    return space, joint_projection(space)


def draw_shared_space(height: int, key: str) -> None:
    """The chart of images and words for the default held-out pair, with a caption of its zero-shot accuracy."""
    trained = shared_space()
    if trained is None:
        return
    space, projection = trained
    show_chart(shared_space_figure(space, projection, height=height, scale=font_scale()), key=key)
    st.caption(accuracy_line(space) + " A linear map trained in seconds: the idea behind CLIP, not CLIP.")


def every_pair_section(words: np.ndarray) -> None:
    """A button that holds out each of the 45 pairs in turn, then their accuracies in a table and a summary."""
    st.markdown("**Is the default pair typical?** No: it was chosen as one where the idea works. Measure every "
                "pair: 45 trainings of about a second each (under a minute, with a progress bar).")
    if not st.button("Hold out every pair in turn", key="images_every_pair"):
        return
    report, clear = progress_bar()
    results = remembered("shared_space_pairs", (words,), lambda: every_pair(words, report))
    clear()
    among_two, among_ten, seen = ("zero-shot, among the 2 held-out words", "zero-shot, among all 10 words",
                                  "seen digits, among all 10 words")
    table = pd.DataFrame([{"held out": " and ".join(map(str, result.held_out)), among_two: result.zero_shot_held_out,
                           among_ten: result.zero_shot_all, seen: result.seen_all} for result in results])
    above = int((table[among_two] > 0.5).sum())
    st.info(f"Among the two held-out words, the mean over all 45 pairs is {table[among_two].mean():.0%} (chance "
            f"50 %); {above} of 45 pairs beat chance. Among all ten words: {table[among_ten].mean():.0%} (chance "
            f"10 %). Seen digits' unseen images, among all ten words: {table[seen].mean():.0%}.")
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(table.sort_values(among_two, ascending=False), hide_index=True,
                 column_config={column: percent for column in (among_two, among_ten, seen)})
