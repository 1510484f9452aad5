"""The Inside the transformer page under AppTest, with the real model."""


import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from tests.app_runner import chart_specs, plotly_array, run_app
from tokenization import gpt, learned_bpe
from tokenization.compare import EXAMPLES, EXAMPLES_SENTENCE

pytestmark = pytest.mark.slow  # MiniLM's model (torch) is loaded

PAGE = "pages/inside_transformer.py"


def run_page(view: str = "tokens") -> AppTest:
    """The page on one of its views: "tokens", "context", "attention" or "bpe" (only the chosen one runs)."""
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
    assert {metric.label: metric.value for metric in app.metric}["Words WordPiece cuts"] == "1"
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
    assert int({m.label: m.value for m in app.metric}["Words WordPiece cuts"]) >= 3

    app.text_area(key="tokens_text").set_value("<b>hi</b> 🙂").run()
    assert not app.exception
    chips = app.get("html")[0].proto.body
    assert "<b>" not in chips and "&lt;" in chips and ">[UNK]<" in chips
    gpt_chips = app.get("html")[1].proto.body  # GPT-4's pieces, beside WordPiece's
    assert "<b>" not in gpt_chips and "&lt;" in gpt_chips and "[UNK]" not in gpt_chips
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


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: str(metric.value) for metric in app.metric}


def test_the_same_text_in_wordpiece_and_gpt4s_bpe_with_ids_bytes_and_counts():
    app = run_page()
    app.button[2].click().run()  # "Emoji, accents, non-Latin"
    assert not app.exception
    assert app.text_area(key="tokens_text").value == EXAMPLES_SENTENCE
    expected = gpt.tokenize(EXAMPLES_SENTENCE)
    shown = metrics(app)
    assert shown["Tokens GPT-4 reads"] == str(len(expected.pieces))
    assert shown["Bytes of the text (UTF-8)"] == str(len(EXAMPLES_SENTENCE.encode("utf-8")))
    assert int(shown["Tokens MiniLM reads"]) != len(expected.pieces)
    wordpiece, bpe = (html.proto.body for html in app.get("html")[:2])
    assert "token-bytes" in bpe and "token-bytes" not in wordpiece  # bytes of the kangaroo and of 東, in hex
    for piece in expected.pieces:
        assert f">{piece.id}<" in bpe
    assert any("GPT-4 · byte-level BPE (cl100k_base): " in m.value for m in app.markdown)
    (pieces,) = [frame.value for frame in app.dataframe if "bytes (hex)" in frame.value.columns]
    assert list(pieces["id"]) == expected.ids
    assert list(pieces["bytes (hex)"]) == [piece.data.hex(" ") for piece in expected.pieces]
    (examples,) = [frame.value for frame in app.dataframe if "example" in frame.value.columns]
    assert list(examples["word"]) == [word for _, word in EXAMPLES]
    assert examples.set_index("example").loc["an emoji", "WordPiece (MiniLM)"] == "[UNK]"


def test_the_learned_bpe_steps_through_its_merges():
    app = run_page("bpe")
    bpe = learned_bpe.learned()  # trained once by the page, in this process
    first = bpe.merges[0]
    assert app.slider(key="bpe_step").value == 1
    assert any(f"`{first.left}` + `{first.right}` → `{first.result}`" in m.value and f"{first.count:,}" in m.value
               for m in app.markdown)
    words_html = app.get("html")[0].proto.body
    assert "token-merged" in words_html and f">{first.result}<" in words_html
    bars = chart_of(app, "bar")
    assert list(plotly_array(bars["data"][0]["y"]))[: 5] == [merge.count for merge in bpe.merges[:5]]
    assert app.button(key="bpe_previous").disabled is False

    app.button(key="bpe_next").click().run()
    assert not app.exception and app.slider(key="bpe_step").value == 2
    assert any(f"`{bpe.merges[1].left}` + `{bpe.merges[1].right}`" in m.value for m in app.markdown)

    app.slider(key="bpe_step").set_value(0).run()
    assert not app.exception and app.button(key="bpe_previous").disabled
    assert "token-merged" not in app.get("html")[0].proto.body
    total = len(bpe.merges)
    app.slider(key="bpe_step").set_value(total).run()
    assert not app.exception and app.button(key="bpe_next").disabled
    (merges,) = [frame.value for frame in app.dataframe if "becomes" in frame.value.columns]
    assert len(merges) == total and list(merges["becomes"][:1]) == [first.result]

    app.text_input(key="bpe_words").set_value("<b>Zebra</b> 🦘").run()
    assert not app.exception
    body = app.get("html")[0].proto.body
    # "<", ">", "/" and the kangaroo never occur in the corpus's words: unknown, and no markup gets through.
    assert "<b>" not in body and "token-unknown" in body
    assert all(f">{piece}<" in body for piece in bpe.cut("zebra", total))
    history = " ".join(html.proto.body for html in app.get("html")[1:])
    assert all(f">{piece}<" in history for piece in bpe.cut("<b>zebra</b>", total))

    app.text_input(key="bpe_words").set_value("   ").run()
    assert not app.exception
    assert "Type some words" in texts(app, "info")
