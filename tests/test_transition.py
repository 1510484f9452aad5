"""The method-transition animation: one frame per method, aligned frame to frame, with play and a slider."""

import numpy as np
import pytest

from charts.transition import MethodLayout, aligned_in_sequence, method_transition
from projection import run_projection
from ui.transitions import HISTORY, in_history_order


def glove_layouts(glove, words: list[str]) -> list[MethodLayout]:
    """Three real layouts of GloVe words: PCA, the same PCA rotated by 90 degrees and mirrored, and a
    layout that lacks the last three words."""
    vectors = np.asarray([glove.keyed_vectors[w] for w in words], dtype=np.float32)
    coords = run_projection(vectors, "pca", 2).coords
    turned = coords @ np.array([[0.0, 1.0], [1.0, 0.0]]) * 3.0 + 5.0
    return [MethodLayout("first", words, coords), MethodLayout("turned", words, turned),
            MethodLayout("shorter", words[:-3], run_projection(vectors[:-3], "pca", 2).coords)]


WORDS = ["king", "queen", "prince", "princess", "palace", "castle", "car", "truck", "bus", "train", "apple", "banana"]


def test_one_frame_per_method_in_order_with_play_and_slider(glove):
    layouts, _ = aligned_in_sequence(glove_layouts(glove, WORDS))
    figure = method_transition(layouts, {w: ("royal" if i < 6 else "other") for i, w in enumerate(WORDS)})
    assert [frame.name for frame in figure.frames] == ["first", "turned", "shorter"]
    buttons = figure.layout.updatemenus[0].buttons
    assert [b.method for b in buttons] == ["animate", "animate"] and "Play" in buttons[0].label
    assert buttons[0].args[0] is None  # play runs through every frame
    steps = figure.layout.sliders[0].steps
    assert [list(step.args[0]) for step in steps] == [["first"], ["turned"], ["shorter"]]
    # Every frame has the same traces (a word keeps its trace and its id), so Plotly can move the points.
    assert {len(frame.data) for frame in figure.frames} == {len(figure.data)}
    for frame in figure.frames:
        assert [t.name for t in frame.data] == [t.name for t in figure.data]


def test_a_word_a_method_lacks_is_left_out_of_its_frame_and_counted(glove):
    layouts, _ = aligned_in_sequence(glove_layouts(glove, WORDS))
    figure = method_transition(layouts)
    last = figure.frames[-1]
    assert "3 words missing" in last.layout.title.text
    marker = next(t for t in last.data if t.customdata is not None and t.name != "labels")
    x = np.asarray(marker.x, dtype=float)
    missing = [list(marker.ids).index(w) for w in WORDS[-3:]]
    assert np.isnan(x[missing]).all() and np.isfinite(np.delete(x, missing)).all()


def test_each_layout_is_aligned_onto_the_one_before(glove):
    layouts = glove_layouts(glove, WORDS)
    moved, shared = aligned_in_sequence(layouts)
    assert shared == [len(WORDS), len(WORDS), len(WORDS) - 3]
    # The turned and scaled copy lands back on the first layout; the unaligned copy does not.
    assert np.allclose(moved[1].coords, moved[0].coords, atol=1e-6)
    assert not np.allclose(layouts[1].coords, layouts[0].coords, atol=1e-3)
    assert np.array_equal(moved[0].coords, layouts[0].coords)  # the first frame is left as it is


def test_frames_follow_the_history_of_methods():
    picked = ["minilm", "glove", "onehot", "fasttext", "word2vec-skipgram", "tfidf"]
    assert in_history_order(picked) == ["onehot", "tfidf", "word2vec-skipgram", "glove", "fasttext", "minilm"]
    assert in_history_order(["uploaded", "glove"]) == ["glove", "uploaded"]
    assert HISTORY.index("word2vec-skipgram") < HISTORY.index("glove")


def test_no_layouts_is_refused():
    with pytest.raises(ValueError):
        method_transition([])


def test_compares_animation_view_draws_one_frame_per_picked_method_in_history_order(glove):
    from tests.app_runner import chart_specs, run_app

    at = run_app("pages/compare.py", state={"compare_view": "animation",
                                            "compare_methods": ["glove", "onehot", "tfidf"]})
    assert not at.exception, at.exception
    animated = [spec for spec in chart_specs(at) if spec.get("frames")]
    assert len(animated) == 1
    assert [frame["name"] for frame in animated[0]["frames"]] == ["One-hot", "TF-IDF vectors", "GloVe 6B 50d"]
    assert animated[0]["layout"]["sliders"] and animated[0]["layout"]["updatemenus"]
