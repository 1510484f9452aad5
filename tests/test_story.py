"""The Story page: its steps (order, links, presets) and every live view under AppTest, with the real models."""

import time

import numpy as np
import pytest

import embedders
from inputs import wordlists
from links import view as view_state
from links.pages import PAGE_NAMES
from story import STEPS, clamp_step, step_word_list
from story.steps import ATTENTION_CANDIDATES, ATTENTION_SENTENCE, ATTENTION_WORD, CONTEXT_WORD, head_linking
from tests.app_runner import chart_specs, run_app
from ui.links import link_to
from ui.state import STORY_STEP as STORY_STEP_KEY

ORDER = ["tokens", "patches", "onehot", "count_tfidf", "word2vec", "glove", "fasttext", "minilm", "transition",
         "map_lies", "context", "attention", "images", "finetune", "search", "precision"]


# --- the steps -------------------------------------------------------------------------------------

def test_the_steps_follow_the_story_in_order():
    assert [step.key for step in STEPS] == ORDER
    assert len({step.title for step in STEPS}) == len(STEPS)
    assert all(step.text.strip() and step.title.strip() for step in STEPS)


@pytest.mark.parametrize("step", STEPS, ids=[step.key for step in STEPS])
def test_each_steps_view_survives_its_link_unchanged(step):
    params = step.view.to_query_params()
    view, notes = view_state.from_query_params(params, embedders.available(), wordlists.preset_names())
    assert notes == [] and view == step.view
    assert link_to(step.view).startswith("./?")  # Explore, the default page, goes unnamed


@pytest.mark.parametrize("step", STEPS, ids=[step.key for step in STEPS])
def test_each_step_names_real_pages_methods_presets_and_views(step):
    from ui.story_views import VIEWS

    assert step.view.page in PAGE_NAMES and step.view.page != "story"
    assert step.view.preset in wordlists.preset_names()
    assert set(step.methods) <= set(embedders.available())
    assert step.show in VIEWS
    assert not step.view.words or view_state.linkable_words(step.view.words)


@pytest.mark.slow
def test_a_steps_list_is_its_preset_or_its_typed_words():
    onehot = STEPS[ORDER.index("onehot")]
    word_list = step_word_list(onehot)
    assert word_list.preset == "royalty_vs_buildings" and {"king", "dishwasher"} <= set(word_list.items)
    fasttext = STEPS[ORDER.index("fasttext")]
    assert step_word_list(fasttext).items == list(fasttext.view.words) and fasttext.view.highlight == "kingliness"


@pytest.mark.slow
def test_the_fasttext_step_holds_words_fasttext_never_saw_and_still_embeds(fasttext):
    step = STEPS[ORDER.index("fasttext")]
    result = fasttext.embed(step_word_list(step).items)
    assert not result.missing and "kingliness" in result.generated
    assert "kingliness" not in fasttext.keyed_vectors.key_to_index


@pytest.mark.slow
def test_the_transformer_steps_use_words_of_their_presets():
    from transformer_inside.presets import CONTEXT_PRESETS

    assert {sense for sense, _ in CONTEXT_PRESETS[CONTEXT_WORD]} == {"river", "money"}
    words = ATTENTION_SENTENCE.lower().replace(",", " ").split()
    assert ATTENTION_WORD in words and set(ATTENTION_CANDIDATES) <= set(words)


@pytest.mark.parametrize("value, expected", [(1, 1), (5, 5), (0, 1), (-3, 1), (99, len(STEPS)), ("4", 4),
                                             ("many", 1), (None, 1), (2.9, 2)])
def test_a_step_number_from_anywhere_is_kept_within_the_story(value, expected):
    assert clamp_step(value) == expected


def test_the_head_chosen_is_the_one_where_the_word_looks_most_at_the_candidates():
    labels = ["[CLS]", "Captain", "saw", "pirate", "he", "[SEP]"]
    weights = np.full((2, 3, 6, 6), 1 / 6, dtype=np.float32)
    weights[1, 2, 4] = [0.0, 0.5, 0.0, 0.4, 0.1, 0.0]  # layer 2, head 3: "he" looks at both candidates
    weights[0, 1, 4] = [0.0, 0.0, 0.9, 0.0, 0.1, 0.0]  # looks hard, but at "saw"
    assert head_linking(labels, weights, "he", ("captain", "pirate")) == (1, 2)
    with pytest.raises(ValueError):
        head_linking(labels, weights, "she", ("captain",))


# --- the page ----------------------------------------------------------------------------------------

def shown_output(app) -> int:
    """Charts and images on the page, plus the token chips (the tokens step's view is HTML, not a chart)."""
    chips = [html for html in app.get("html") if "token-chips" in html.proto.body]
    return len(chart_specs(app)) + len(app.get("image")) + len(chips)


@pytest.mark.slow
def test_every_step_renders_its_live_view_without_an_error():
    app = run_app("pages/story.py")
    seconds = {}
    for number, step in enumerate(STEPS, start=1):
        app.session_state[STORY_STEP_KEY] = number
        started = time.perf_counter()
        app.run()
        seconds[step.key] = time.perf_counter() - started
        assert not app.exception, (step.key, [e.value for e in app.exception])
        assert not app.error, (step.key, [e.value for e in app.error])
        assert app.subheader[0].value == step.title
        assert f"Step {number} of {len(STEPS)}" in [caption.value for caption in app.caption]
        assert shown_output(app) >= 1, step.key
        assert app.get("link_button")[0].proto.url == link_to(step.view)
    print("AppTest seconds per step (first time in this process):",
          {key: round(value, 1) for key, value in seconds.items()})


@pytest.mark.slow
def test_the_live_views_show_what_their_steps_say():
    app = run_app("pages/story.py", state={STORY_STEP_KEY: ORDER.index("onehot") + 1})
    assert any("same cosine similarity (0.00)" in caption.value for caption in app.caption)
    app.session_state[STORY_STEP_KEY] = ORDER.index("count_tfidf") + 1
    app.run()
    assert len(chart_specs(app)) == 2  # count and TF-IDF side by side
    app.session_state[STORY_STEP_KEY] = ORDER.index("fasttext") + 1
    app.run()
    traces = {trace["name"] for trace in chart_specs(app)[0]["data"]}
    assert {"never seen: built from pieces", "seen in training"} <= traces
    app.session_state[STORY_STEP_KEY] = ORDER.index("patches") + 1
    app.run()
    assert len(app.get("image")) == 1 and len(chart_specs(app)) == 1
    app.session_state[STORY_STEP_KEY] = ORDER.index("search") + 1
    app.run()
    found = app.dataframe[0].value
    assert found["topic"].iloc[0] == "finance" and len(found) == 5
    assert [t["name"] for t in chart_specs(app)[0]["data"]][-1] == "query"
    app.session_state[STORY_STEP_KEY] = ORDER.index("transition") + 1
    app.run()
    animation = chart_specs(app)[0]
    assert [frame["name"] for frame in animation["frames"]][0].startswith("One-hot")
    assert len(animation["frames"]) == len(STEPS[ORDER.index("transition")].methods)
    app.session_state[STORY_STEP_KEY] = ORDER.index("map_lies") + 1
    app.run()
    coloured = [trace for trace in chart_specs(app)[0]["data"] if "colorscale" in trace.get("marker", {})]
    assert coloured and any("dashed" in caption.value or "solid" in caption.value for caption in app.caption)
    app.session_state[STORY_STEP_KEY] = ORDER.index("images") + 1
    app.run()
    assert any(caption.value.startswith("Zero-shot") for caption in app.caption)


@pytest.mark.slow
def test_next_and_previous_move_one_step_and_stop_at_the_ends():
    app = run_app("pages/story.py")
    assert app.selectbox(key=STORY_STEP_KEY).value == 1 and app.button(key="story_previous").disabled
    app.button(key="story_next").click().run()
    assert app.selectbox(key=STORY_STEP_KEY).value == 2 and app.subheader[0].value == STEPS[1].title
    app.button(key="story_next").click().run()
    app.button(key="story_previous").click().run()
    assert app.selectbox(key=STORY_STEP_KEY).value == 2
    app.selectbox(key=STORY_STEP_KEY).set_value(len(STEPS)).run()
    assert app.button(key="story_next").disabled and app.subheader[0].value == STEPS[-1].title
    assert not app.exception


@pytest.mark.slow  # step 1 draws MiniLM's token table (torch)
@pytest.mark.parametrize("asked, shown", [(99, len(STEPS)), (0, 1)])
def test_a_step_out_of_range_from_a_link_is_clamped(asked, shown):
    app = run_app("pages/story.py", state={STORY_STEP_KEY: asked})
    assert not app.exception
    assert app.selectbox(key=STORY_STEP_KEY).value == shown
    assert app.subheader[0].value == STEPS[shown - 1].title
