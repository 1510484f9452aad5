"""A vectors file uploaded in the sidebar becomes a method of that session only (AppTest, real GloVe vectors)."""

import pytest
from streamlit.testing.v1 import AppTest

import embedders
from embedders.uploaded import UPLOADED_PREFIX, UploadedVectorsEmbedder
from inputs import vectorfiles
from tests.app_runner import chart_specs, plotly_array, run_app
from ui.uploads import UPLOADS_KEY, SessionUploads


@pytest.fixture(scope="module")
def glove_subset(glove, tmp_path_factory):
    """300 common GloVe words (king and queen among them) in word2vec text format, written by gensim."""
    from gensim.models import KeyedVectors

    kv = glove.keyed_vectors
    words = list(dict.fromkeys(["king", "queen", "man", "woman", *kv.index_to_key[1000:1300]]))[:300]
    subset = KeyedVectors(vector_size=kv.vector_size)
    subset.add_vectors(words, kv[words])
    path = tmp_path_factory.mktemp("vectors") / "subset.txt"
    subset.save_word2vec_format(str(path))
    return words, path.read_bytes()


def session_with_upload(data: bytes, filename: str) -> dict:
    """``run_app`` state of a session that has read ``data`` in the sidebar.

    Under AppTest only the first run executes app.py's sidebar, where the real uploader
    lives, so the upload itself is driven in the browser tests; here the session holds
    what that uploader stores: the file read by ``vectorfiles``.
    """
    uploads = SessionUploads()
    uploads.add(UploadedVectorsEmbedder(vectorfiles.read_vectors(data, filename), filename))
    return {UPLOADS_KEY: uploads}


def chart_words(app: AppTest) -> set[str]:
    return {word for trace in chart_specs(app)[0]["data"] for word in trace.get("customdata", [])}


def test_an_uploaded_file_becomes_the_selected_method(glove_subset):
    app = run_app(state=session_with_upload(glove_subset[1], "my vectors.txt"))
    assert not app.exception
    method = app.selectbox(key="method")
    assert method.value.startswith(UPLOADED_PREFIX) and "Uploaded: my vectors.txt" in method.options
    assert {"king", "queen"} <= chart_words(app)  # the preset's words, looked up in the file
    neighbours = next(spec for spec in chart_specs(app) if spec["data"][0].get("orientation") == "h")
    assert set(neighbours["data"][0]["customdata"]) <= set(glove_subset[0])  # searched in the file only


def test_the_word_list_can_be_the_files_own_words(glove_subset):
    words, data = glove_subset
    state = session_with_upload(data, "my vectors.txt")
    state.update(word_list_source="My vectors", word_list_vector_rows="first", word_list_vector_count=120)
    app = run_app(state=state)
    assert not app.exception
    assert chart_words(app) == set(words[:120])


def test_an_upload_stays_in_its_own_session(glove_subset):
    uploader = run_app(state=session_with_upload(glove_subset[1], "private.txt"))
    assert any(option.startswith("Uploaded:") for option in uploader.selectbox(key="method").options)
    other_session = run_app()
    assert not any(option.startswith("Uploaded:") for option in other_session.selectbox(key="method").options)
    assert not any(name.startswith(UPLOADED_PREFIX) for name, _ in embedders._instances)  # not in the shared registry


@pytest.mark.slow
def test_compare_offers_the_uploaded_method(glove_subset):
    app = run_app("pages/compare.py", state=session_with_upload(glove_subset[1], "mine.txt"))
    assert not app.exception
    assert "Uploaded: mine.txt" in app.multiselect(key="compare_methods").options


def test_the_coordinates_page_draws_a_file_as_it_is_and_names_a_bad_line():
    words = ["north", "south", "east", "west"]
    coords = [[0.0, 1.0], [0.0, -1.0], [1.0, 0.0], [-1.0, 0.0]]
    app = run_app("pages/coordinates.py")
    app.file_uploader(key="coordinates_upload").set_value(
        ("compass.csv", vectorfiles.to_coordinates_csv(words, coords, ["ns", "ns", "ew", "ew"]), "text/csv"))
    app.run()
    assert not app.exception
    trace_points = {(word, x, y) for trace in chart_specs(app)[0]["data"]
                    for word, x, y in zip(trace.get("customdata", []), plotly_array(trace["x"]), plotly_array(trace["y"]))}
    assert trace_points == {(w, x, y) for w, (x, y) in zip(words, coords)}

    app.file_uploader(key="coordinates_upload").set_value(("bad.csv", b"word,x,y\nnorth,0,1\nsouth,zero,-1\n", "text/csv"))
    app.run()
    assert not app.exception and "bad.csv" in app.error[0].value and "3" in app.error[0].value


def test_streamlit_accepts_uploads_as_large_as_the_vectors_file_limit():
    import tomllib
    from pathlib import Path

    from settings import MAX_VECTOR_FILE_BYTES

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_VECTOR_FILE_BYTES
