"""Compressing real GloVe vectors: smaller storage keeps fewer true neighbours, in the expected order."""

import pytest

from tests.app_runner import run_app
from tradeoffs import compression_table


@pytest.fixture(scope="module")
def table(glove):
    rows = compression_table(glove.keyed_vectors.vectors[:20_000], queries=300)
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


def test_a_few_hundred_vectors_skip_product_quantization_instead_of_failing(glove):
    names = [row.name for row in compression_table(glove.keyed_vectors.vectors[:200], queries=50)]
    assert not any(name.startswith("product quantization") for name in names) and "float16" in names


def test_the_page_measures_glove_when_asked():
    app = run_app("pages/tradeoffs.py")
    assert not app.exception and not app.dataframe  # nothing runs until asked
    app.toggle(key="tradeoffs_run").set_value(True).run()
    assert not app.exception
    assert "8-bit scalar quantization" in set(app.dataframe[0].value["stored as"])
