"""The Explore page under streamlit's AppTest: every method, tiny and odd lists."""

import pytest
from streamlit.testing.v1 import AppTest

import embedders
from inputs import wordlists
from tests.app_runner import chart_specs, run_app, typed_list

FAST_METHODS = ["onehot", "count", "tfidf", "glove"]


def chart_labels(app: AppTest) -> set[str]:
    return {label for trace in chart_specs(app)[0]["data"] for label in trace.get("customdata", [])}


def test_default_page_shows_the_preset_on_a_glove_chart():
    app = run_app()
    assert not app.exception
    assert app.selectbox(key="method").value == "glove"
    preset = wordlists.load_preset(wordlists.DEFAULT_PRESET, lowercase=True)
    assert chart_labels(app) == set(preset.items)
    assert "queen" in neighbour_words(app)  # neighbours of the first word, king


def neighbour_words(app: AppTest) -> list[str]:
    """The words of the neighbours chart, nearest first."""
    bars = next(spec for spec in chart_specs(app) if spec["data"][0].get("orientation") == "h")
    return bars["data"][0]["customdata"]


@pytest.mark.slow
@pytest.mark.parametrize("method", embedders.available())
def test_every_method_draws_the_preset_in_3d_with_any_projection(method):
    app = run_app()
    app.selectbox(key="method").set_value(method)
    app.segmented_control(key="projection_dims").set_value(3)
    app.segmented_control(key="projection_method").set_value("tsne").run()
    assert not app.exception
    labels = chart_labels(app)
    assert {"king", "queen"} <= labels
    assert chart_specs(app)[0]["data"][0]["type"] == "scatter3d"


@pytest.mark.slow
@pytest.mark.parametrize("method", FAST_METHODS + ["minilm"])
@pytest.mark.parametrize("text", ["", "king", "king\nqueen", "king\nqueen\nprince", "king\nqueen\nprince\nhouse"])
@pytest.mark.parametrize("projection", ["umap", "tsne"])
def test_tiny_lists_give_messages_not_tracebacks(method, text, projection):
    app = run_app(state={**typed_list(text), "method": method, "projection_method": projection})
    assert not app.exception
    items = [line for line in text.splitlines() if line]
    if not items:
        assert any("empty" in info.value for info in app.info)
        return
    assert chart_labels(app) == set(items)
    messages = [element.value for element in [*app.info, *app.warning]]
    if len(items) < 3:
        assert any("add more words" in message for message in messages)
    if len(items) == 1:
        assert any("A single point" in message for message in messages)
    elif projection == "umap":
        assert any("UMAP needs at least 5 points; showing PCA" in message for message in messages)


@pytest.mark.slow
def test_missing_words_are_listed_and_fasttext_says_what_it_built():
    app = run_app(state=typed_list("king\nqueen\nxyzzyplugh"))
    assert any("1 of 3 items are left out: they are not in GloVe 6B 50d's vocabulary" in w.value for w in app.warning)
    assert any(text.value == "xyzzyplugh" for text in app.text)
    app.selectbox(key="method").set_value("fasttext").run()
    assert not app.exception
    assert any("built their vectors from character n-grams" in info.value for info in app.info)
    assert "xyzzyplugh" in chart_labels(app)


@pytest.mark.slow
def test_sentences_under_glove_are_the_means_of_their_words_and_all_drawn():
    app = run_app(state={"word_list_preset": "sentences_topics"})
    assert not app.exception
    assert any("mean of its words' vectors" in caption.value for caption in app.caption)
    sentences = wordlists.load_preset("sentences_topics", lowercase=True).items
    assert sorted(chart_labels(app)) == sorted(sentences)


def test_a_sentence_without_known_words_is_left_out_and_named():
    app = run_app(state=typed_list("the cat sat on the mat\nzzqxv plugh qwrtp\na dog chased the ball"))
    assert any("1 of 3 items are left out: none of their words" in w.value for w in app.warning)
    assert any(text.value == "zzqxv plugh qwrtp" for text in app.text)
    assert any("zzqxv" in text.value and "plugh" in text.value for text in app.text)


def test_onehot_says_every_pair_is_equally_far():
    app = run_app()
    app.selectbox(key="method").set_value("onehot").run()
    assert any("same cosine similarity (0.00)" in info.value for info in app.info)


def test_adding_neighbours_puts_them_on_the_chart():
    app = run_app()
    before = chart_labels(app)
    app.button(key="add_neighbours").click().run()
    after = chart_labels(app)
    assert before < after and "prince" in before
    assert len(after - before) >= 5


def test_colouring_by_k_means_names_each_cluster_by_its_central_words():
    app = run_app(state={"word_list_preset": "animals_vehicles_fruit"})
    app.segmented_control(key="explore_colouring").set_value("kmeans").run()
    assert not app.exception
    preset = wordlists.load_preset("animals_vehicles_fruit", lowercase=True)
    names = {trace["name"] for trace in chart_specs(app)[0]["data"] if trace["name"] != "labels"}
    assert len(names) == len(set(preset.groups))  # automatic k finds the three groups
    group_of = preset.group_of()
    for name in names:  # each name is made of items of one group
        assert len({group_of[item] for item in name.split(" · ")}) == 1
    assert any("found in the original 50-dimensional vectors" in caption.value for caption in app.caption)
