"""Your own vectors in a real browser: upload, draw, neighbours, a broken file, and the downloads read back."""

import numpy as np
import pytest

import vectorfiles
from tests.e2e.app_server import chart_title, wait_until_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def vectors_file(glove, tmp_path_factory):
    """200 GloVe words (king and queen among them) as a word2vec text file written by gensim."""
    from gensim.models import KeyedVectors

    kv = glove.keyed_vectors
    words = list(dict.fromkeys(["king", "queen", "prince", "princess", *kv.index_to_key[1000:1196]]))
    subset = KeyedVectors(vector_size=kv.vector_size)
    subset.add_vectors(words, kv[words])
    path = tmp_path_factory.mktemp("vectors") / "royal vectors.txt"
    subset.save_word2vec_format(str(path))
    return path, words


def open_vectors_section(page):
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(has_text="Your own vectors").click()
    return page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(
        has_text="Your own vectors").locator("input[type='file']").first


def test_an_uploaded_vectors_file_draws_its_words_and_neighbours_and_exports_round_trip(page, vectors_file, tmp_path):
    path, words = vectors_file
    open_vectors_section(page).set_input_files(str(path))
    wait_until_idle(page)
    page.get_by_text("200 words × 50 numbers").first.wait_for()
    assert chart_title(page).startswith("Uploaded: royal vectors.txt")
    neighbours = page.locator(".js-plotly-plot").evaluate_all(
        "plots => plots.map(p => p.data[0]).find(t => t.orientation === 'h').customdata")
    assert set(neighbours) <= set(words) and len(neighbours) == 10  # searched in the file's own vocabulary

    with page.expect_download() as download:
        page.get_by_role("button", name="Coordinates (CSV)").click()
    coordinates = vectorfiles.read_coordinates(download.value.path().read_bytes(), "coordinates.csv")
    assert {"king", "queen"} <= set(coordinates.words)
    with page.expect_download() as vectors_download:
        page.get_by_role("button", name="Vectors (TSV)").click()
    with page.expect_download() as metadata_download:
        page.get_by_role("button", name="Metadata (TSV)").click()
    back = vectorfiles.read_vectors(vectors_download.value.path().read_bytes(), "vectors.tsv",
                                    metadata=metadata_download.value.path().read_bytes())
    original = dict(zip(words, vectorfiles.read_vectors(path.read_bytes(), path.name).vectors))
    assert all(np.array_equal(vector, original[word]) for word, vector in zip(back.words, back.vectors))


def test_a_broken_vectors_file_shows_its_message_and_the_chart_stays(page, vectors_file, tmp_path):
    path, _ = vectors_file
    title_before = chart_title(page)
    broken = tmp_path / "broken.txt"
    broken.write_bytes(path.read_bytes().replace(b"\nqueen ", b"\nqueen oops ", 1))
    open_vectors_section(page).set_input_files(str(broken))
    wait_until_idle(page)
    error = page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").filter(has_text="broken.txt")
    error.first.wait_for()
    assert "line" in error.first.text_content()
    assert chart_title(page) == title_before
    assert page.locator("[data-testid='stException']").count() == 0
