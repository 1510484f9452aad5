"""The Compare page run headless with AppTest, on the real embedders."""

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import embedders
from inputs import wordlists
from tests.app_runner import chart_specs, plotly_array, run_app, typed_list

pytestmark = pytest.mark.slow

#: The issue's default selection: one-hot, TF-IDF, Word2Vec skip-gram, GloVe, FastText, MiniLM.
DEFAULT_METHODS = ["onehot", "tfidf", "word2vec-skipgram", "glove", "fasttext", "minilm"]


def panel_specs(at: AppTest) -> dict[str, dict]:
    """Scatter panels by their title (the heatmap is left out)."""
    specs = {}
    for spec in chart_specs(at):
        if spec["data"][0]["type"] == "scatter":
            specs[spec["layout"]["title"]["text"]] = spec
    return specs


def point_labels(spec: dict) -> list[str]:
    return [label for trace in spec["data"] for label in trace["text"]]


@pytest.fixture(scope="module")
def default_page(glove, minilm, skipgram, fasttext):
    """The Compare page after its first run (the fixtures make sure the slow models are ready)."""
    at = run_app("pages/compare.py")
    assert not at.exception, at.exception
    return at


def test_default_selection_draws_one_aligned_panel_per_method(default_page):
    at = default_page
    assert list(at.multiselect(key="compare_methods").value) == DEFAULT_METHODS
    panels = panel_specs(at)
    assert sorted(panels) == sorted(embedders.title(name) for name in DEFAULT_METHODS)
    # One-hot knows every word; the corpus-trained methods lack some, and say which.
    assert len(point_labels(panels["One-hot"])) == len(wordlists.load_preset(wordlists.DEFAULT_PRESET, lowercase=True))
    assert any("left out: they are not in Word2Vec skip-gram" in caption.value for caption in at.caption)
    aligned = [caption.value for caption in at.caption if caption.value.startswith("Rotated and scaled onto GloVe")]
    assert len(aligned) == len(DEFAULT_METHODS) - 1


def distortion_lines(at: AppTest, k: int) -> list[tuple[float, float]]:
    """(trustworthiness, kNN recall) from every panel's line of numbers."""
    pattern = re.compile(rf"Trustworthiness \*\*([\d.]+)\*\* · kNN recall@{k} \*\*([\d.]+)\*\*")
    return [(float(match[1]), float(match[2])) for line in at.markdown if (match := pattern.fullmatch(line.value))]


def test_every_panel_shows_its_distortion_numbers(default_page):
    at = default_page
    numbers = distortion_lines(at, k=5)
    assert len(numbers) == len(DEFAULT_METHODS)
    assert all(0.0 <= value <= 1.0 for pair in numbers for value in pair)
    # Each panel's numbers are computed on (and say) the words that panel has, which differ between methods.
    counts = [int(re.match(r"On (\d+) words", c.value).group(1)) for c in at.caption if re.match(r"On \d+ words", c.value)]
    drawn = [len(point_labels(spec)) for spec in panel_specs(at).values()]
    assert sorted(counts) == sorted(drawn)
    assert len(set(drawn)) > 1, "some method lacks some words of the preset"


def test_neighbour_agreement_table_and_heatmap(default_page):
    at = default_page
    table = at.dataframe[0].value
    assert list(table["overlap"]) == sorted(table["overlap"]), "largest change (lowest overlap) first"
    heatmaps = [spec for spec in chart_specs(at) if spec["data"][0]["type"] == "heatmap"]
    assert len(heatmaps) == 1
    heatmap = heatmaps[0]["data"][0]
    assert heatmap["x"] == [embedders.title(name) for name in DEFAULT_METHODS]
    overlaps = plotly_array(heatmap["z"])
    assert overlaps.shape == (len(DEFAULT_METHODS), len(DEFAULT_METHODS))
    np.testing.assert_allclose(np.diag(overlaps), 1.0)
    assert ((overlaps >= 0) & (overlaps <= 1)).all()


def test_highlighted_word_is_bold_in_every_panel(default_page):
    at = default_page
    at.selectbox(key="compare_highlight").select("queen").run()
    assert not at.exception
    panels = panel_specs(at)
    for title, spec in panels.items():
        assert "<b>queen</b>" in point_labels(spec), title


def test_alignment_can_be_turned_off(default_page):
    at = default_page
    at.toggle(key="compare_align").set_value(False).run()
    assert not at.exception
    assert not [caption for caption in at.caption if caption.value.startswith("Rotated and scaled")]
    assert len(panel_specs(at)) == len(DEFAULT_METHODS)


def test_short_list_explains_missing_metrics_but_still_draws(glove):
    # Four words GloVe knows and one it does not: k can be at most 3 for a list of 5.
    at = run_app("pages/compare.py", {**typed_list("king\nqueen\nman\nwoman\nzqxjvw"), "compare_methods": ["onehot", "glove"]})
    assert not at.exception, at.exception
    assert at.number_input(key="compare_k").value == 3
    panels = panel_specs(at)
    assert len(point_labels(panels["One-hot"])) == 5 and len(point_labels(panels["GloVe 6B 50d"])) == 4
    # One-hot has k + 2 = 5 words and gets numbers; GloVe has 4 and says why it has none.
    assert len(distortion_lines(at, k=3)) == 1
    reasons = [caption.value for caption in at.caption if caption.value.startswith("Distortion numbers cannot")]
    assert len(reasons) == 1 and "Only 4 words" in reasons[0]


def test_explore_page_shows_how_much_its_picture_distorts(glove):
    at = run_app()  # Explore is the default page
    assert not at.exception, at.exception
    assert [metric.label for metric in at.metric] == ["Trustworthiness", "kNN recall@5"]
    assert any(caption.value.startswith("How much this picture distorts") for caption in at.caption)
    # A larger k is the user's choice, and the numbers follow it.
    at.number_input(key="explore_quality_k").set_value(7).run()
    assert [metric.label for metric in at.metric] == ["Trustworthiness", "kNN recall@7"]
