"""The view state's round trip through a link, and links opened in the app (AppTest)."""

import string
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import embedders
from inputs import wordlists
from links.pages import PAGE_NAMES
from links.view import ATLAS_NAME, MAX_SEED, MAX_STEP, ProjectionSettings, ViewState, from_query_params
from projection.reducers import PROJECTION_METHODS, UMAP_METRICS
from tests.app_runner import APP, chart_specs

METHODS, PRESETS = embedders.available(), wordlists.preset_names()
word = st.text(string.ascii_lowercase + "éü -'", min_size=1, max_size=20).map(str.strip).filter(bool)
projections = st.builds(
    ProjectionSettings, method=st.sampled_from(list(PROJECTION_METHODS)), dims=st.sampled_from([2, 3]),
    seed=st.integers(0, MAX_SEED), n_neighbors=st.integers(2, 100),
    min_dist=st.sampled_from([0.0, 0.05, 0.1, 0.5, 0.99]), metric=st.sampled_from(UMAP_METRICS),
    perplexity=st.sampled_from([2.0, 5.0, 30.0, 50.5, 100.0]))
views = st.builds(
    ViewState, page=st.sampled_from(PAGE_NAMES), method=st.sampled_from(METHODS), projection=projections,
    preset=st.sampled_from(PRESETS), words=st.lists(word, max_size=20, unique=True).map(tuple),
    highlight=st.one_of(st.just(""), word), step=st.integers(1, MAX_STEP), presentation=st.booleans(),
    atlas=st.one_of(st.just(""), st.from_regex(ATLAS_NAME, fullmatch=True).filter(lambda name: ".." not in name)))


@given(views)
def test_every_view_survives_its_link(view):
    back, notes = from_query_params(view.to_query_params(), METHODS, PRESETS)
    assert notes == []
    # A typed list stands for itself, so its link leaves out the preset underneath.
    assert back == (replace(view, preset=ViewState().preset) if view.words else view)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(["page", "method", "projection", "dims", "seed", "preset", "words",
                                        "highlight", "step", "present", "neighbors", "min_dist", "metric",
                                        "perplexity", "atlas", "evil"]), st.text(max_size=60)))
def test_any_tampered_link_gives_a_valid_view_and_never_raises(params):
    view, notes = from_query_params(params, METHODS, PRESETS)
    assert view.page in PAGE_NAMES and view.method in METHODS and view.preset in PRESETS
    assert "/" not in view.atlas and ".." not in view.atlas  # a link never names a path
    assert view.projection.dims in (2, 3) and 0 <= view.projection.seed <= MAX_SEED
    back, _ = from_query_params(view.to_query_params(), METHODS, PRESETS)
    assert back == view  # whatever came in, what goes out is a clean link


def test_tampered_parameters_fall_back_to_defaults_with_a_note_each():
    view, notes = from_query_params({"dims": "7", "method": "evil<script>", "seed": "-1", "utm": "x"}, METHODS, PRESETS)
    assert view == ViewState()
    assert len(notes) == 4 and any("“utm”" in note for note in notes)


def test_default_view_makes_an_empty_link():
    assert ViewState().to_query_params() == {}


def open_link(params: dict) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=300)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def test_a_shared_link_opens_that_method_projection_and_list(skipgram):
    app = open_link({"method": "word2vec-skipgram", "projection": "pca", "dims": "3", "seed": "3",
                     "words": "king,queen,man,woman,prince"})
    assert not app.exception
    assert app.selectbox(key="method").value == "word2vec-skipgram"
    (spec,) = [s for s in chart_specs(app) if s["data"][0]["type"] == "scatter3d"]
    assert {w for trace in spec["data"] for w in trace.get("customdata", [])} == {"king", "queen", "man", "woman", "prince"}
    assert app.query_params["seed"] in ("3", ["3"]) and app.query_params["dims"] in ("3", ["3"])  # the URL keeps it


def test_a_tampered_link_says_what_it_ignored_and_shows_the_default_view():
    app = open_link({"method": "nonsense", "dims": "9"})
    assert not app.exception
    assert any("cannot use" in warning.value for warning in app.warning)
    assert app.selectbox(key="method").value == "glove" and chart_specs(app)


def test_two_students_opening_the_same_link_see_the_same_layout():
    link = {"projection": "tsne", "seed": "3", "preset": "animals_vehicles_fruit"}
    first, second = (chart_specs(open_link(link))[0] for _ in range(2))
    assert first == second  # t-SNE is random; the same seed in the link gives the same picture
    other = chart_specs(open_link({**link, "seed": "4"}))[0]
    assert other["data"][0]["x"] != first["data"][0]["x"]
