"""The word arithmetic page under Streamlit's AppTest, with the real embedders."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from arithmetic import why_trivial
from tests.app_runner import chart_specs, plotly_array, run_app, typed_list

CAPITALS = "capital-common-countries"


def arithmetic_page(state: dict | None = None) -> AppTest:
    """The app on the arithmetic page; ``state`` seeds widgets by key."""
    app = run_app("pages/arithmetic.py", state)
    assert not app.exception
    return app


def charts(app: AppTest) -> dict[str, dict]:
    """Plotly specs by chart title."""
    specs = chart_specs(app)
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def markdown_text(app: AppTest) -> str:
    """Everything the page rendered as Markdown (alerts, captions, markdown)."""
    elements = [*app.markdown, *app.caption, *app.error, *app.warning, *app.info, *app.success]
    return "\n".join(str(element.value) for element in elements)


@pytest.fixture(scope="module")
def default_page():
    return arithmetic_page()


def test_default_page_shows_the_classic_analogy_axes_and_heatmap(default_page):
    app = default_page
    titles = list(charts(app))
    assert titles == [
        "GloVe 6B 50d · king − man + woman ≈ queen",
        "GloVe 6B 50d · semantic axes",
        "GloVe 6B 50d · cosine similarity",
    ]
    analogy = charts(app)[titles[0]]
    labels = [text for trace in analogy["data"] for text in trace.get("text", [])]
    assert {"<b>man</b>", "<b>king</b>", "<b>woman</b>", "<b>queen</b>"} <= set(labels)
    assert any("“queen”, comes first" in s.value for s in app.success)
    assert "king − man + woman ≈ queen" in app.code[0].value
    table = app.dataframe[0].value
    assert table["word"].iloc[0] == "queen" and "king" not in set(table["word"])
    # The heatmap shows the sidebar's default list.
    heatmap = charts(app)[titles[2]]["data"][0]
    assert plotly_array(heatmap["z"]).shape == (16, 16) and "king (royalty)" in heatmap["customdata"][0][0]


def test_input_words_can_compete(default_page):
    app = default_page
    app.toggle(key="analogy_include_inputs").set_value(True).run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table["word"].iloc[0] == "king" and table["note"].iloc[0] == "input"
    assert "an input word would have won" in markdown_text(app)
    app.toggle(key="analogy_include_inputs").set_value(False).run()


def test_other_presets_fill_the_inputs(default_page):
    app = default_page
    label = next(option for option in app.selectbox(key="analogy_preset").options if option.startswith("paris"))
    app.selectbox(key="analogy_preset").set_value(label).run()
    assert not app.exception
    assert [app.text_input(key=k).value for k in ("analogy_a", "analogy_b", "analogy_c")] == ["paris", "france", "tokyo"]
    assert "france − paris + tokyo ≈ japan" in app.code[0].value


def test_missing_word_is_named_as_plain_text(default_page):
    app = default_page
    app.text_input(key="analogy_c").set_value("<b>qwzxvbn</b>").run()
    assert not app.exception
    assert any(e.value == "This analogy cannot be computed:" for e in app.error)
    shown = "\n".join(t.value for t in app.text)
    assert "<b>qwzxvbn</b>" in shown and "GloVe 6B 50d" in shown
    assert "qwzxvbn" not in markdown_text(app)  # never through Markdown
    assert not any("≈" in title for title in charts(app))  # no analogy chart


def test_benchmark_button_reports_accuracy_per_section(default_page):
    app = default_page
    app.multiselect(key="benchmark_sections").set_value([CAPITALS, "family"])
    app.button(key="benchmark_run").click().run()
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "accuracy" in frame.value.columns)
    assert list(table["section"]) == [CAPITALS, "family", "all sections"]
    assert table.set_index("section").loc[CAPITALS, "accuracy"] > 0.5
    assert "Only the first 30,000 of the 400,000 words" in markdown_text(app)


def test_axis_with_identical_ends_gives_a_message(default_page):
    app = default_page
    app.text_input(key="axes_x_to").set_value("he, his, him, man").run()
    assert not app.exception
    assert any("same words" in e.value for e in app.error)
    app.text_input(key="axes_x_to").set_value("woman").run()
    app.radio(key="axes_y_mode").set_value("pca").run()
    assert not app.exception
    axes = charts(app)["GloVe 6B 50d · semantic axes"]
    assert axes["layout"]["yaxis"]["title"]["text"] == "1st PCA component of what remains"


@pytest.mark.slow
def test_minilm_explains_analogies_and_still_draws_axes_and_heatmap():
    app = arithmetic_page({"arithmetic_method": "minilm"})
    assert "no vocabulary of its own" in markdown_text(app)
    assert list(charts(app)) == [
        "MiniLM (sentence-transformers) · semantic axes",
        "MiniLM (sentence-transformers) · cosine similarity",
    ]


def test_onehot_says_why_the_result_is_trivial():
    app = arithmetic_page({"arithmetic_method": "onehot", **typed_list("king\nqueen\nhouse")})
    assert why_trivial("onehot") in [w.value for w in app.warning]
    heatmap = charts(app)["One-hot · cosine similarity"]["data"][0]
    np.testing.assert_allclose(plotly_array(heatmap["z"]), np.eye(3))


@pytest.mark.slow
def test_benchmarks_of_two_methods_are_compared_side_by_side(default_page):
    app = default_page
    app.multiselect(key="benchmark_sections").set_value([CAPITALS])
    app.button(key="benchmark_run").click().run()
    app.selectbox(key="arithmetic_method").set_value("word2vec-skipgram").run()
    app.multiselect(key="benchmark_sections").set_value([CAPITALS])
    app.button(key="benchmark_run").click().run()
    assert not app.exception
    assert "Methods side by side" in [header.value for header in app.subheader]
    comparison = app.dataframe[-1].value
    assert comparison.loc[CAPITALS, "GloVe 6B 50d"] > comparison.loc[CAPITALS, "Word2Vec skip-gram"]
    app.selectbox(key="arithmetic_method").set_value("glove").run()
