"""Clusters of real GloVe vectors in the original space, tiny inputs, and properties on arbitrary vectors."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import adjusted_rand_score

from analysis.clusters import CLUSTER_METHODS, NAME_SEPARATOR, NOISE, NOISE_NAME, SILHOUETTE_SAMPLE, cluster
from inputs import wordlists


@pytest.fixture(scope="module")
def preset(glove):
    words = wordlists.load_preset("animals_vehicles_fruit")
    vectors = np.array([glove.keyed_vectors[item] for item in words.items])
    return words.items, words.groups, vectors


def named_items(clustering, label):
    return clustering.names[label].split(NAME_SEPARATOR)


def assert_consistent(clustering, items):
    """Every cluster has a name made of up to 3 of its own items; noise, if any, is named as noise."""
    labels = clustering.labels
    assert len(labels) == len(items)
    assert set(clustering.names) == {int(label) for label in np.unique(labels)}
    assert clustering.k == len([label for label in clustering.names if label != NOISE])
    for label in clustering.names:
        if label == NOISE:
            assert clustering.names[label] == NOISE_NAME
            continue
        members = [str(items[i]) for i in np.flatnonzero(labels == label)]
        named = named_items(clustering, label)
        assert 1 <= len(named) <= min(3, len(members))
        assert all(item in members for item in named)
    if clustering.silhouette is not None:
        assert -1.0 <= clustering.silhouette <= 1.0


def test_automatic_kmeans_finds_the_three_groups(preset):
    items, groups, vectors = preset
    result = cluster(vectors, items)
    assert result.method == "kmeans"
    assert result.k == 3
    assert adjusted_rand_score(groups, result.labels) > 0.5
    assert result.silhouette is not None and result.silhouette > 0
    assert any("chosen automatically" in note for note in result.notes)
    assert_consistent(result, items)


def test_cluster_names_are_that_clusters_most_central_items(preset):
    items, groups, vectors = preset
    result = cluster(vectors, items, k=3)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    for label in range(result.k):
        members = np.flatnonzero(result.labels == label)
        centre = unit[members].mean(axis=0)
        similarity = unit[members] @ centre
        named = named_items(result, label)
        named_rows = [items.index(item) for item in named]
        # The named items are at least as central as every member left unnamed.
        lowest_named = min(similarity[list(members).index(row)] for row in named_rows)
        unnamed = [similarity[i] for i, row in enumerate(members) if row not in named_rows]
        assert all(lowest_named >= value - 1e-12 for value in unnamed)
        # Each cluster is named after items of one group: the groups are what the clusters recovered.
        assert len({groups[row] for row in named_rows}) == 1


def test_clustering_uses_directions_not_lengths(preset):
    items, _, vectors = preset
    scales = np.random.default_rng(1).uniform(0.1, 10.0, size=(len(vectors), 1))
    plain, scaled = cluster(vectors, items, k=3), cluster(vectors * scales, items, k=3)
    assert adjusted_rand_score(plain.labels, scaled.labels) == 1.0


@pytest.mark.slow
def test_same_seed_same_clusters(preset):
    items, _, vectors = preset
    first, second = cluster(vectors, items, seed=7), cluster(vectors, items, seed=7)
    assert np.array_equal(first.labels, second.labels) and first.names == second.names


def test_hdbscan_runs_on_the_preset(preset):
    items, _, vectors = preset
    result = cluster(vectors, items, "hdbscan")
    assert result.method == "hdbscan"
    assert result.labels.min() >= -1
    assert any("smallest cluster" in note for note in result.notes)
    assert_consistent(result, items)


def test_hdbscan_min_cluster_size_bounds_every_cluster(preset):
    items, _, vectors = preset
    result = cluster(vectors, items, "hdbscan", min_cluster_size=5)
    sizes = np.bincount(result.labels[result.labels != NOISE])
    assert (sizes >= 5).all()


@pytest.mark.parametrize("method", list(CLUSTER_METHODS))
@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_inputs_never_raise(preset, method, n):
    items, _, vectors = preset
    result = cluster(vectors[:n], items[:n], method)
    assert len(result.labels) == n
    assert result.notes
    if n == 0:
        assert result.k == 0 and result.names == {}
    else:
        assert result.k == 1 and (result.labels == 0).all()
        assert_consistent(result, items[:n])


def test_an_empty_list_without_dimensions_is_fine():
    assert cluster(np.empty((0, 0)), []).k == 0
    assert cluster([], []).k == 0


def test_too_large_k_is_reduced_with_a_note(preset):
    items, _, vectors = preset
    result = cluster(vectors[:5], items[:5], k=10)
    assert result.k == 4
    assert any("reduced to 4" in note for note in result.notes)
    assert_consistent(result, items[:5])


def test_k_one_is_one_cluster(preset):
    items, _, vectors = preset
    result = cluster(vectors, items, k=1)
    assert result.k == 1 and result.silhouette is None and (result.labels == 0).all()


def test_identical_and_zero_vectors_form_one_cluster():
    for vectors in (np.ones((6, 4)), np.zeros((6, 4))):
        for method in CLUSTER_METHODS:
            result = cluster(vectors, list("abcdef"), method, k=None)
            assert result.k == 1 and (result.labels == 0).all()


def test_zero_rows_stay_zero_and_are_explained(preset):
    items, _, vectors = preset
    with_zero = np.vstack([vectors, np.zeros(vectors.shape[1])])
    result = cluster(with_zero, [*items, "nothing"], k=3)
    assert any("Zero vectors" in note for note in result.notes)
    assert_consistent(result, [*items, "nothing"])


@pytest.mark.parametrize(
    "kwargs, message",
    [({"method": "spectral"}, "kmeans.*hdbscan"), ({"k": 0}, "k must"), ({"max_k": 1}, "max_k"),
     ({"min_cluster_size": 1, "method": "hdbscan"}, "min_cluster_size")],
)
def test_bad_arguments_raise_clear_errors(preset, kwargs, message):
    items, _, vectors = preset
    with pytest.raises(ValueError, match=message):
        cluster(vectors, items, **kwargs)


def test_mismatched_or_non_finite_input_is_refused(preset):
    items, _, vectors = preset
    with pytest.raises(ValueError, match="one item per row"):
        cluster(vectors, items[:-1])
    broken = vectors.copy()
    broken[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cluster(broken, items)


@pytest.mark.slow
def test_large_lists_score_silhouettes_on_a_stated_sample(glove):
    kv = glove.keyed_vectors
    n = SILHOUETTE_SAMPLE + 500
    words = kv.index_to_key[:n]
    result = cluster(kv.vectors[:n], words)
    assert 2 <= result.k <= 12
    assert any(f"{SILHOUETTE_SAMPLE:,}" in note for note in result.notes)
    assert_consistent(result, words)


@pytest.mark.slow
def test_kmeans_handles_a_hundred_thousand_vectors(glove):
    kv = glove.keyed_vectors
    words = kv.index_to_key[:100_000]
    result = cluster(kv.vectors[:100_000], words, k=8)
    assert result.k == 8
    assert np.bincount(result.labels).min() > 0
    assert_consistent(result, words)


vector_sets = st.integers(0, 30).flatmap(
    lambda n: st.integers(1, 6).flatmap(
        lambda d: hnp.arrays(
            np.float64, (n, d),
            elements=st.floats(-100, 100, allow_nan=False, allow_infinity=False, allow_subnormal=False),
        )
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vectors=vector_sets, method=st.sampled_from(list(CLUSTER_METHODS)), k=st.none() | st.integers(1, 35))
def test_any_vectors_get_consistent_named_clusters(vectors, method, k):
    items = [f"item{i}" for i in range(len(vectors))]
    result = cluster(vectors, items, method, k=k)
    assert result.labels.min(initial=0) >= -1
    if method == "kmeans":
        assert (result.labels >= 0).all()
        if k is not None and len(vectors) >= 3:
            assert result.k <= k
    assert_consistent(result, items)
