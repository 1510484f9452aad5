"""Measurements kept on disk: real measurements of GloVe round-trip through JSON, damaged files are set aside,
and the fingerprint changes with what was measured."""

import json
import math
import os

import numpy as np
import pytest

from retrieval import IndexSettings
from tradeoffs import compression_table, store
from tradeoffs.methods import cores, measure_method


@pytest.fixture(scope="module")
def sweep_measurement(glove):
    vectors = glove.keyed_vectors.vectors[:3_000]
    return vectors, store.measure(lambda: store.sweep(vectors, IndexSettings("hnsw")), len(vectors))


def test_a_sweep_round_trips_with_its_date_and_cores(sweep_measurement, tmp_path):
    vectors, measured = sweep_measurement
    key = store.sweep_key("glove", vectors, IndexSettings("hnsw"))
    path = store.save(tmp_path, store.SWEEP, key, measured)
    document = json.loads(path.read_text(encoding="utf-8"))  # plain JSON, not a pickle
    assert document["cores"] == cores() == measured.cores and document["rows"] == 3_000
    assert document["fingerprint"] == key and document["kind"] == "sweep"
    found = store.load(tmp_path, store.SWEEP, key)
    assert found.note == "" and found.stored == measured
    assert found.stored.taken.tzinfo is not None and found.stored.seconds > 0
    points, exact_ms = found.stored.value
    assert [point.depth for point in points] == [11, 16, 32, 64, 128, 256, 512] and exact_ms > 0
    assert f"{measured.taken.year}" in found.stored.describe() and f"{cores()} core" in found.stored.describe()
    assert [p.name for p in tmp_path.joinpath(store.FOLDER).iterdir()] == [path.name]  # no temporary file left


@pytest.mark.slow
def test_a_compression_table_with_word_scores_round_trips(glove, tmp_path):
    kv = glove.keyed_vectors
    vectors, words = kv.vectors[:2_000], kv.index_to_key[:2_000]
    measured = store.measure(lambda: compression_table(vectors, queries=100, words=words), len(vectors))
    assert all(math.isfinite(score.spearman) for row in measured.value for score in row.word_pairs)
    key = store.compression_key("glove", vectors, words)
    store.save(tmp_path, store.COMPRESSION, key, measured)
    assert store.load(tmp_path, store.COMPRESSION, key).stored == measured


@pytest.mark.slow
def test_a_method_measurement_round_trips(glove, tmp_path):
    measured = store.measure(lambda: measure_method(glove))
    cost, quality = measured.value
    assert cost.bytes_per_word == 200 and quality.analogies > 0.3 and quality.passages.accuracy > 0.5
    store.save(tmp_path, store.METHOD, store.method_key("glove"), measured)
    assert store.load(tmp_path, store.METHOD, store.method_key("glove")).stored == measured
    assert store.expected_seconds(tmp_path, store.SWEEP, 10_000) == store.FIRST_GUESS_SECONDS[store.SWEEP][10_000]


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: "not json at all",
    lambda text: text.replace('"points"', '"pints"'),  # a field missing
    lambda text: text.replace('"fingerprint": "', '"fingerprint": "0'),  # another measurement's file
])
def test_a_damaged_file_is_ignored_with_a_note(sweep_measurement, tmp_path, damage):
    vectors, measured = sweep_measurement
    key = store.sweep_key("glove", vectors, IndexSettings("hnsw"))
    path = store.save(tmp_path, store.SWEEP, key, measured)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    found = store.load(tmp_path, store.SWEEP, key)
    assert found.stored is None and "could not be read" in found.note and path.name in found.note
    store.save(tmp_path, store.SWEEP, key, measured)  # measured again: the file is replaced, whole
    assert store.load(tmp_path, store.SWEEP, key).stored == measured


def test_a_file_of_an_older_format_is_measured_again(sweep_measurement, tmp_path):
    vectors, measured = sweep_measurement
    key = store.sweep_key("glove", vectors, IndexSettings("hnsw"))
    path = store.save(tmp_path, store.SWEEP, key, measured)
    path.write_text(path.read_text(encoding="utf-8").replace(f'"format": {store.FORMAT}', '"format": 0'))
    assert "older version" in store.load(tmp_path, store.SWEEP, key).note


def test_nothing_stored_is_no_note(tmp_path):
    assert store.load(tmp_path, store.SWEEP, "0" * 32) == store.Found(None)


@pytest.mark.slow
def test_a_different_input_gives_a_different_fingerprint(glove):
    kv = glove.keyed_vectors
    vectors, words = kv.vectors[:1_000], kv.index_to_key[:1_000]
    changed = vectors.copy()
    changed[500, 7] += 1e-3
    key = store.compression_key("glove", vectors, words)
    assert key == store.compression_key("glove", vectors.copy(), list(words))  # the same input: the same key
    others = {store.compression_key("glove", changed, words), store.compression_key("glove", vectors[:999], words[:999]),
              store.compression_key("glove", vectors, [*words[:-1], "another"]),
              store.compression_key("fasttext", vectors, words), store.compression_key("glove", vectors, None)}
    assert key not in others and len(others) == 5
    sweep = store.sweep_key("glove", vectors, IndexSettings("hnsw"))
    assert sweep != key and sweep != store.sweep_key("glove", vectors, IndexSettings("hnsw", links=32))
    assert sweep != store.sweep_key("glove", vectors.astype(np.float64), IndexSettings("hnsw"))
    assert store.method_key("glove") != store.method_key("minilm")


def test_writing_leaves_the_old_file_whole_when_it_fails(sweep_measurement, tmp_path):
    from common.files import write_atomically

    vectors, measured = sweep_measurement
    key = store.sweep_key("glove", vectors, IndexSettings("hnsw"))
    path = store.save(tmp_path, store.SWEEP, key, measured)
    before = path.read_bytes()

    def fails_halfway(file):
        file.write(b"{\"format\": ")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, fails_halfway)
    assert path.read_bytes() == before and os.listdir(path.parent) == [path.name]


def test_expected_time_follows_this_machines_own_measurements(sweep_measurement, tmp_path):
    vectors, measured = sweep_measurement
    store.save(tmp_path, store.SWEEP, store.sweep_key("glove", vectors, IndexSettings("hnsw")), measured)
    assert store.expected_seconds(tmp_path, store.SWEEP, 3_000) == pytest.approx(measured.seconds)
    assert store.expected_seconds(tmp_path, store.SWEEP, 100_000) > measured.seconds
