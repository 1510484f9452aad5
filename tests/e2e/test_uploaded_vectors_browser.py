"""Your own vectors in a real browser: upload, draw, neighbours, a broken file, and the downloads read back."""

import numpy as np
import pytest

from inputs import vectorfiles
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


def wait_for_chart_titled(page, prefix: str) -> None:
    """Until the page shows one titled chart, starting with ``prefix``: reading a file reruns the page,
    and for a moment the old chart and the new one are both there."""
    page.wait_for_function(
        """prefix => { const titles = [...document.querySelectorAll('.js-plotly-plot .gtitle')];
                       return titles.length === 1 && titles[0].textContent.startsWith(prefix); }""", arg=prefix)
    wait_until_idle(page)


def open_vectors_section(page):
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(has_text="Your own vectors").click()
    return page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(
        has_text="Your own vectors").locator("input[type='file']").first


def test_an_uploaded_vectors_file_draws_its_words_and_neighbours_and_exports_round_trip(page, vectors_file, tmp_path):
    path, words = vectors_file
    open_vectors_section(page).set_input_files(str(path))
    wait_until_idle(page)
    page.get_by_text("200 words × 50 numbers").first.wait_for()
    wait_for_chart_titled(page, "Uploaded: royal vectors.txt")
    neighbours = page.locator(".js-plotly-plot").evaluate_all(
        "plots => plots.map(p => p.data[0]).find(t => t.orientation === 'h').customdata")
    assert set(neighbours) <= set(words) and len(neighbours) == 10  # searched in the file's own vocabulary

    page.locator("[data-testid='stPopover'] button").filter(has_text="Download").first.click()  # the chart's Download menu
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


def test_every_vectors_format_loads_through_the_browser(page, glove, vectors_file, tmp_path):
    """word2vec binary, fastText .vec, gzipped GloVe text, a zipped Projector pair, and a pair in two uploads."""
    import gzip
    import zipfile

    from gensim.models import KeyedVectors

    path, words = vectors_file
    kv = KeyedVectors.load_word2vec_format(str(path))
    kv.save_word2vec_format(str(tmp_path / "model.bin"), binary=True)
    (tmp_path / "wiki.vec").write_bytes(path.read_bytes())
    (tmp_path / "glove.txt.gz").write_bytes(gzip.compress(b"".join(path.read_bytes().splitlines(True)[1:])))
    vectors_tsv, metadata_tsv = vectorfiles.to_projector_tsv(words, kv[words])
    with zipfile.ZipFile(tmp_path / "projector.zip", "w") as archive:
        archive.writestr("vectors.tsv", vectors_tsv)
        archive.writestr("metadata.tsv", metadata_tsv)
    (tmp_path / "vectors.tsv").write_bytes(vectors_tsv)
    (tmp_path / "metadata.tsv").write_bytes(metadata_tsv)

    uploader = open_vectors_section(page)
    for name in ["model.bin", "wiki.vec", "glove.txt.gz", "projector.zip", "vectors.tsv"]:
        uploader.set_input_files(str(tmp_path / name))
        wait_until_idle(page)
        page.get_by_text(f"{name}: {len(words)} words × 50 numbers").first.wait_for()
        if name != "vectors.tsv":  # alone, it names its rows "1", "2", ...: no preset word to draw
            wait_for_chart_titled(page, f"Uploaded: {name} ")
    # Its metadata gives the words, and replaces the reading without them.
    page.locator("[data-testid='stSidebar'] [data-testid='stFileUploader']").filter(
        has_text="Metadata").locator("input[type='file']").set_input_files(str(tmp_path / "metadata.tsv"))
    wait_until_idle(page)
    wait_for_chart_titled(page, "Uploaded: vectors.tsv ")
    neighbours = page.locator(".js-plotly-plot").evaluate_all(
        "plots => plots.map(p => p.data[0]).find(t => t.orientation === 'h').customdata")
    assert set(neighbours) <= set(words)  # real words now, not row numbers
    assert page.get_by_text("vectors.tsv: ").count() == 1  # one reading of that file, not two
    assert page.locator("[data-testid='stException']").count() == 0
