"""Compressing real GloVe vectors: smaller storage keeps fewer true neighbours and agrees less with people."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import embedders
from tests.app_runner import chart_specs, plotly_array, run_app
from tradeoffs import compression_table, store


@pytest.fixture(scope="module")
def table(glove):
    kv = glove.keyed_vectors
    rows = compression_table(kv.vectors[:20_000], queries=300, words=kv.index_to_key[:20_000])
    return {row.name: row for row in rows}


@pytest.mark.slow
def test_full_precision_is_the_reference_and_float16_loses_almost_nothing(table):
    assert table["float32 (full precision)"].recall == 1.0 and table["float32 (full precision)"].bytes_per_vector == 200
    assert table["float16"].bytes_per_vector == 100 and table["float16"].recall > 0.97


@pytest.mark.slow
def test_fewer_bytes_keep_fewer_neighbours(table):
    scalar = table["8-bit scalar quantization"]
    product = [row for name, row in table.items() if name.startswith("product quantization")]
    signs = table["sign bits (50 bits)"]
    assert scalar.bytes_per_vector == 50 and scalar.recall > 0.85
    assert [row.bytes_per_vector for row in product] == [25, 10, 5]
    assert sorted(product, key=lambda row: -row.bytes_per_vector) == sorted(product, key=lambda row: -row.recall)
    assert signs.bytes_per_vector == 7 and signs.recall < scalar.recall
    assert table["PCA to 25 dimensions"].recall > table["PCA to 12 dimensions"].recall


def test_word_pairs_are_scored_on_the_vectors_as_read_back(table):
    scores = {name: {score.test_set: score for score in row.word_pairs} for name, row in table.items()}
    full = scores["float32 (full precision)"]["WordSim-353"]
    assert abs(scores["float16"]["WordSim-353"].spearman - full.spearman) <= 0.01
    assert scores["sign bits (50 bits)"]["WordSim-353"].spearman < full.spearman
    assert all(set(by_set) == {"WordSim-353", "SimLex-999"} for by_set in scores.values())
    assert table["8-bit scalar quantization"].recall >= 0.95


@pytest.mark.slow
def test_every_storage_form_reads_back_vectors(glove):
    from tradeoffs import storage_forms

    vectors = glove.keyed_vectors.vectors[:1_000]
    for form in storage_forms(*vectors.shape):
        stored = form.read_back(vectors)
        assert stored.dtype == np.float32 and len(stored) == len(vectors) and np.isfinite(stored).all()
    signs = next(form for form in storage_forms(*vectors.shape) if form.name.startswith("sign")).read_back(vectors)
    assert set(np.unique(signs)) == {-1.0, 1.0}


def test_a_few_hundred_vectors_skip_product_quantization_instead_of_failing(glove):
    rows = compression_table(glove.keyed_vectors.vectors[:200], queries=50)
    names = [row.name for row in rows]
    assert not any(name.startswith("product quantization") for name in names) and "float16" in names
    assert all(row.word_pairs == () for row in rows)  # no words given: nothing more is computed


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """A machine that never measured: an empty cache folder."""
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    return tmp_path


def measurement_files(cache) -> dict[str, Path]:
    """The stored measurements by kind (one of each at most, in these tests)."""
    return {path.name.split("-")[0]: path for path in (cache / store.FOLDER).glob("*.json")}


def shown_date(path: Path) -> str:
    """How the page says when the measurement stored in ``path`` was taken."""
    stored = store.load(path.parents[1], *path.stem.split("-", 1)).stored
    assert stored is not None, f"{path.name} did not load"
    return stored.describe()


def test_a_fresh_cache_starts_the_cheapest_measurement_by_itself_and_offers_the_rest(fresh_cache):
    app = run_app("pages/tradeoffs.py")
    assert not app.exception
    assert app.radio(key="tradeoffs_picture").value == "sweep"  # the cheapest that makes a chart
    (spec,) = chart_specs(app)
    hnsw, exact = spec["data"]
    assert exact["name"] == "exact search" and len(plotly_array(hnsw["y"])) >= 5
    assert all(0 < recall <= 1 for recall in plotly_array(hnsw["y"]))
    assert any("Exact search takes" in markdown.value for markdown in app.markdown)
    assert list(measurement_files(fresh_cache)) == ["sweep"]
    date = shown_date(measurement_files(fresh_cache)["sweep"])
    assert any(date in caption.value for caption in app.caption)
    assert app.button(key="tradeoffs_measure").label.startswith("Measure again (about ")
    assert re.fullmatch(r"Measure every method \(about [\d.]+ (s|min)\)", app.button(key="tradeoffs_methods_measure").label)
    app.radio(key="tradeoffs_picture").set_value("compression").run()
    assert not app.exception and not chart_specs(app) and not app.dataframe  # too slow to start by itself
    assert re.fullmatch(r"Measure \(about [\d.]+ (s|min)\)", app.button(key="tradeoffs_measure").label)
    assert any("not measured on this machine yet" in info.value for info in app.info)


@pytest.mark.slow
def test_stored_smaller_is_measured_when_asked_and_a_new_session_opens_on_it_with_its_date(fresh_cache):
    app = run_app("pages/tradeoffs.py")
    app.radio(key="tradeoffs_picture").set_value("compression").run()
    app.button(key="tradeoffs_measure").click().run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("stored as")
    assert "8-bit scalar quantization" in table.index and table.loc["float32 (full precision)", "recall@10"] == 1.0
    assert table.loc["float16", "WordSim-353 Spearman"] == pytest.approx(table.loc["float32 (full precision)",
                                                                                  "WordSim-353 Spearman"], abs=0.01)
    assert len(chart_specs(app)) == 1  # quality against bytes per vector
    stored = measurement_files(fresh_cache)["compression"]
    written = stored.read_bytes()

    later = run_app("pages/tradeoffs.py")  # another visit on this machine: the chart at once, nothing measured
    assert not later.exception
    assert later.radio(key="tradeoffs_picture").value == "compression"
    assert any(shown_date(stored) in caption.value for caption in later.caption)
    assert stored.read_bytes() == written
    pd.testing.assert_frame_equal(later.dataframe[0].value, app.dataframe[0].value)
    assert chart_specs(later)[0]["data"] == chart_specs(app)[0]["data"]


def test_a_damaged_stored_measurement_is_set_aside_with_a_note_and_measured_again(fresh_cache):
    run_app("pages/tradeoffs.py")
    path = measurement_files(fresh_cache)["sweep"]
    path.write_text(path.read_text(encoding="utf-8")[:200], encoding="utf-8")  # cut short
    app = run_app("pages/tradeoffs.py")
    assert not app.exception
    assert any("could not be read" in info.value for info in app.info)
    assert len(chart_specs(app)) == 1 and json.loads(path.read_text(encoding="utf-8"))["kind"] == "sweep"


def test_measurements_of_an_upload_stay_in_the_session(glove, fresh_cache):
    from embedders.uploaded import UploadedVectorsEmbedder
    from inputs import vectorfiles
    from ui.uploads import UPLOADS_KEY, SessionUploads

    kv = glove.keyed_vectors
    data = "\n".join(f"{w} " + " ".join(f"{x:.6f}" for x in kv[w]) for w in kv.index_to_key[:1_000]).encode()
    uploads = SessionUploads()
    uploads.add(UploadedVectorsEmbedder(vectorfiles.read_vectors(data, "mine.txt"), "mine.txt"))
    app = run_app("pages/tradeoffs.py", state={UPLOADS_KEY: uploads})
    before = set(measurement_files(fresh_cache).values())
    app.selectbox(key="tradeoffs_method").set_value(next(iter(uploads.methods))).run()
    app.button(key="tradeoffs_measure").click().run()
    assert not app.exception and len(chart_specs(app)) == 1
    assert any("never written to disk" in caption.value for caption in app.caption)
    assert any("1,000 words of Uploaded: mine.txt: measured on" in caption.value for caption in app.caption)
    assert set(measurement_files(fresh_cache).values()) == before


@pytest.mark.slow
def test_every_method_is_measured_and_minilm_sorts_passages_better_than_one_hot(glove):
    from gensim.test.utils import datapath

    app = run_app("pages/tradeoffs.py")
    app.button(key="tradeoffs_methods_measure").click().run(timeout=3600)
    assert not app.exception
    assert any("The methods as every user starts with them" in caption.value for caption in app.caption)
    costs, quality = app.dataframe[-2].value.set_index("method"), app.dataframe[-1].value.set_index("method")
    assert list(costs.index) == [embedders.title(name) for name in embedders.available()]
    assert (costs["seconds for 1,000 sentences"] > 0).all() and costs.loc["GloVe 6B 50d", "bytes per word"] == 200
    passages = quality["passages sorted by article"]
    assert passages["MiniLM (sentence-transformers)"] > passages["One-hot"] + 0.3
    expected = glove.keyed_vectors.evaluate_word_pairs(datapath("wordsim353.tsv"), restrict_vocab=400_000)[1][0]
    assert quality.loc["GloVe 6B 50d", "WordSim-353 Spearman"] == pytest.approx(expected)
