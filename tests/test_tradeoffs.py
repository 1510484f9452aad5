"""Compressing real GloVe vectors: smaller storage keeps fewer true neighbours and agrees less with people."""

import numpy as np
import pytest

import embedders
from tests.app_runner import chart_specs, plotly_array, run_app
from tradeoffs import compression_table


@pytest.fixture(scope="module")
def table(glove):
    kv = glove.keyed_vectors
    rows = compression_table(kv.vectors[:20_000], queries=300, words=kv.index_to_key[:20_000])
    return {row.name: row for row in rows}


def test_full_precision_is_the_reference_and_float16_loses_almost_nothing(table):
    assert table["float32 (full precision)"].recall == 1.0 and table["float32 (full precision)"].bytes_per_vector == 200
    assert table["float16"].bytes_per_vector == 100 and table["float16"].recall > 0.97


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


def test_the_page_measures_glove_when_asked():
    app = run_app("pages/tradeoffs.py")
    assert not app.exception and not app.dataframe  # nothing runs until asked
    app.toggle(key="tradeoffs_run").set_value(True).run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("stored as")
    assert "8-bit scalar quantization" in table.index
    assert table.loc["float16", "WordSim-353 Spearman"] == pytest.approx(table.loc["float32 (full precision)",
                                                                                  "WordSim-353 Spearman"], abs=0.01)
    assert len(chart_specs(app)) == 1  # quality against bytes per vector


def test_the_index_sweep_is_drawn_next_to_exact_search():
    app = run_app("pages/tradeoffs.py")
    app.toggle(key="tradeoffs_index_run").set_value(True).run()
    assert not app.exception
    (spec,) = chart_specs(app)
    hnsw, exact = spec["data"]
    assert exact["name"] == "exact search" and len(plotly_array(hnsw["y"])) >= 5
    assert any("Exact search takes" in markdown.value for markdown in app.markdown)


def test_every_method_is_measured_and_minilm_sorts_passages_better_than_one_hot(glove):
    from gensim.test.utils import datapath

    app = run_app("pages/tradeoffs.py")
    app.toggle(key="tradeoffs_methods_run").set_value(True).run()
    assert not app.exception
    costs, quality = app.dataframe[0].value.set_index("method"), app.dataframe[1].value.set_index("method")
    assert list(costs.index) == [embedders.title(name) for name in embedders.available()]
    assert (costs["seconds for 1,000 sentences"] > 0).all() and costs.loc["GloVe 6B 50d", "bytes per word"] == 200
    passages = quality["passages sorted by article"]
    assert passages["MiniLM (sentence-transformers)"] > passages["One-hot"] + 0.3
    expected = glove.keyed_vectors.evaluate_word_pairs(datapath("wordsim353.tsv"), restrict_vocab=400_000)[1][0]
    assert quality.loc["GloVe 6B 50d", "WordSim-353 Spearman"] == pytest.approx(expected)
