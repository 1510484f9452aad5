"""The Inside the transformer page under AppTest, with the real model."""


import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from tests.app_runner import chart_specs, plotly_array, run_app

pytestmark = pytest.mark.slow  # MiniLM's model (torch) is loaded

PAGE = "pages/inside_transformer.py"


def run_page(view: str = "tokens") -> AppTest:
    """The page on one of its views: "tokens", "context" or "attention" (only the chosen one runs)."""
    app = run_app(PAGE, state={"transformer_view": view})
    assert not app.exception, app.exception
    return app


def show_view(app: AppTest, view: str) -> AppTest:
    app.button_group(key="transformer_view").set_value(view).run()
    assert not app.exception, app.exception
    return app


def chart_of(app: AppTest, trace_type: str) -> dict:
    found = [spec for spec in chart_specs(app) if spec["data"] and spec["data"][0]["type"] == trace_type]
    assert len(found) == 1, f"expected one {trace_type} chart, got {len(found)}"
    return found[0]


def context_chart(app: AppTest) -> dict:
    (spec,) = [s for s in chart_specs(app) if s["layout"].get("legend", {}).get("title", {}).get("text") == "sense"]
    return spec


def texts(app: AppTest, kind: str) -> str:
    shown = []
    for element in app.get(kind):
        assert isinstance(element, Element), f"a {kind} that is a block, not an element"
        shown.append(str(element.value))
    return "\n".join(shown)


@pytest.fixture(scope="module")
def app():
    return run_page()


def test_the_page_shows_chips_context_and_attention_for_the_presets(app):
    chips = app.get("html")[0].proto.body
    for piece in ("[CLS]", "em", "##bed", "##ding", "##s", "[SEP]", "7861"):
        assert f">{piece}<" in chips
    assert {metric.label: metric.value for metric in app.metric}["Words cut into pieces"] == "1"
    table = chart_of(app, "heatmap")  # the rows of the token table the ids pick: 384 numbers each
    assert plotly_array(table["data"][0]["z"]).shape[1] == 384

    show_view(app, "context")
    context = context_chart(app)
    assert {trace["name"] for trace in context["data"]} == {"river", "money"}
    assert sum(len(trace["text"]) for trace in context["data"]) == 6
    hover = " ".join(" ".join(trace["customdata"]) for trace in context["data"])
    assert "deposited her salary" in hover
    lines = [s for s in chart_specs(app) if any(t.get("name") == "within senses" for t in s["data"])]
    assert len(lines) == 1 and len(plotly_array(lines[0]["data"][0]["y"])) == 7

    show_view(app, "attention")
    heatmap = chart_of(app, "heatmap")
    assert plotly_array(heatmap["data"][0]["z"]).shape == (25, 25)  # the captain sentence: 23 pieces, [CLS] and [SEP]
    assert "captain" in heatmap["layout"]["xaxis"]["ticktext"]
    bars = chart_of(app, "bar")
    assert bars["data"][0]["marker"]["color"][17] != bars["data"][0]["marker"]["color"][0]  # "he" is highlighted
    assert "not explanations" in texts(app, "info")


def test_rare_words_emoji_and_markup_are_tokenized_safely():
    app = run_page()
    app.button[1].click().run()  # "A sentence of rare words"
    assert not app.exception
    assert "otorhinolaryngologist" in app.get("html")[0].proto.body
    assert int({m.label: m.value for m in app.metric}["Words cut into pieces"]) >= 3

    app.text_area(key="tokens_text").set_value("<b>hi</b> 🙂").run()
    assert not app.exception
    chips = app.get("html")[0].proto.body
    assert "<b>" not in chips and "&lt;" in chips and ">[UNK]<" in chips
    assert "🙂" in texts(app, "text")  # the unknown word, as plain text

    app.text_area(key="tokens_text").set_value("word " * 600).run()
    assert not app.exception
    assert "the last 90 pieces were cut" in texts(app, "warning")

    app.text_area(key="tokens_text").set_value("").run()
    assert not app.exception
    assert ">[CLS]<" in app.get("html")[0].proto.body


def test_context_presets_user_sentences_and_bad_targets():
    app = run_page("context")
    app.selectbox(key="context_preset").set_value("cell").run()
    assert not app.exception
    assert {trace["name"] for trace in context_chart(app)["data"]} == {"biology", "prison", "phone"}
    app.button_group(key="context_projection").set_value("umap").run()
    assert not app.exception
    assert "UMAP" in context_chart(app)["layout"]["title"]["text"]
    assert sum(len(trace["text"]) for trace in context_chart(app)["data"]) == 9

    app.text_input(key="context_target").set_value("bank")
    app.text_area(key="context_sentences").set_value(
        "river | The bank of the river.\nmoney | The banks closed.\nmoney | The bank lent money.\nNo target here."
    ).run()
    assert not app.exception
    assert app.selectbox(key="context_preset").value == "your own"
    assert "2 of 4 sentences give no point" in texts(app, "warning")
    (skipped,) = [frame.value for frame in app.dataframe if "reason" in frame.value.columns]
    assert list(skipped["#"]) == [2, 4] and "inside other words" in skipped["reason"][0]

    app.slider(key="context_layer").set_value(0).run()
    assert not app.exception
    assert "input embeddings" in context_chart(app)["layout"]["title"]["text"]
    # "bank" is the second token of both sentences: before any layer, nothing tells them apart.
    assert "exactly the same vector" in texts(app, "info")

    app.slider(key="context_layer").set_value(6).run()
    assert "exactly the same vector" not in texts(app, "info")

    app.text_input(key="context_target").set_value("river bank").run()
    assert not app.exception
    assert "choose a single word" in texts(app, "warning")
    assert "river bank" in texts(app, "text")

    app.text_input(key="context_target").set_value("zzzz").run()
    assert not app.exception
    assert "nothing to draw" in texts(app, "info")


def test_attention_controls_heads_and_merged_words():
    app = run_page("attention")
    app.text_area(key="attention_text").set_value("Embeddings are unbelievably useful").run()
    app.selectbox(key="attention_head").set_value(3).run()
    app.slider(key="attention_layer").set_value(6).run()
    assert not app.exception
    heatmap = chart_of(app, "heatmap")
    assert "Layer 6, head 3" in heatmap["layout"]["title"]["text"]
    assert "##bed" in heatmap["layout"]["xaxis"]["ticktext"]

    app.toggle(key="attention_merge").set_value(True).run()
    assert not app.exception
    heatmap = chart_of(app, "heatmap")
    assert heatmap["layout"]["xaxis"]["ticktext"] == ["[CLS]", "Embeddings", "are", "unbelievably", "useful", "[SEP]"]
    assert np.allclose(plotly_array(heatmap["data"][0]["z"]).sum(axis=1), 1, atol=1e-3)

    app.text_area(key="attention_text").set_value("").run()
    assert not app.exception
    assert plotly_array(chart_of(app, "heatmap")["data"][0]["z"]).shape == (2, 2)
