"""Alignment, distortion metrics and neighbour agreement, on random data and real embeddings."""

import numpy as np
import pytest
from sklearn.manifold import trustworthiness as sklearn_trustworthiness
from sklearn.neighbors import NearestNeighbors

import embedders
from inputs import wordlists
from projection import (
    align,
    align_to_words,
    knn_recall,
    mean_overlap_matrix,
    neighbour_overlap,
    project,
    projection_quality,
    trustworthiness,
)
from projection.distortion import chance_overlap, neighbour_indices


def rotation_2d(angle: float) -> np.ndarray:
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


# --- alignment -------------------------------------------------------------

def test_rotated_and_reflected_copy_aligns_back():
    layout = np.random.default_rng(0).normal(size=(30, 2))
    reflect = np.diag([1.0, -1.0])
    moved = layout @ rotation_2d(1.1) @ reflect * 3.5 + np.array([7.0, -2.0])
    assert not np.allclose(moved, layout, atol=1e-3)
    np.testing.assert_allclose(align(layout, moved), layout, atol=1e-6)


def test_rotated_3d_copy_aligns_back():
    layout = np.random.default_rng(1).normal(size=(20, 3))
    rotation, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(3, 3)))
    np.testing.assert_allclose(align(layout, layout @ rotation * 0.2), layout, atol=1e-6)


def test_alignment_over_shared_words_moves_every_point():
    words = [f"w{i}" for i in range(12)]
    layout = np.random.default_rng(3).normal(size=(12, 2))
    transform = rotation_2d(2.0) * 0.5
    # The other layout lacks w0 and w1 and has a word of its own, in another order.
    other_words = words[2:][::-1] + ["extra"]
    other = np.vstack([layout[2:][::-1], [[5.0, 5.0]]]) @ transform
    aligned, shared = align_to_words(words, layout, other_words, other)
    assert shared == 10
    np.testing.assert_allclose(aligned[:-1], layout[2:][::-1], atol=1e-6)
    np.testing.assert_allclose(aligned[-1], [5.0, 5.0], atol=1e-6)


def test_too_few_shared_words_leave_the_layout_alone():
    layout = np.arange(8.0).reshape(4, 2)
    other = layout[::-1] * 3
    aligned, shared = align_to_words(["a", "b", "c", "d"], layout, ["x", "y", "c", "d"], other)
    assert shared == 2
    np.testing.assert_array_equal(aligned, other)


def test_a_layout_collapsed_to_one_point_is_only_shifted():
    reference = np.random.default_rng(4).normal(size=(5, 2))
    aligned = align(reference, np.ones((5, 2)))
    np.testing.assert_allclose(aligned, np.tile(reference.mean(axis=0), (5, 1)))


# --- distortion metrics ----------------------------------------------------

@pytest.fixture(scope="module")
def random_data():
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(120, 30))
    return vectors, project(vectors, "pca"), rng.normal(size=(120, 2))


@pytest.mark.parametrize("k", [1, 5, 12])
def test_trustworthiness_agrees_with_scikit_learn(random_data, k):
    vectors, coords, _ = random_data
    expected = sklearn_trustworthiness(vectors, coords, n_neighbors=k, metric="cosine")
    assert trustworthiness(vectors, coords, k) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("k", [1, 5, 12])
def test_knn_recall_agrees_with_scikit_learn_neighbours(random_data, k):
    vectors, coords, _ = random_data
    original = NearestNeighbors(n_neighbors=k, metric="cosine").fit(vectors).kneighbors(return_distance=False)
    pictured = NearestNeighbors(n_neighbors=k).fit(coords).kneighbors(return_distance=False)
    expected = np.mean([len(set(a) & set(b)) / k for a, b in zip(original, pictured)])
    assert knn_recall(vectors, coords, k) == pytest.approx(expected, abs=1e-12)


def test_knn_recall_of_a_picture_onto_itself_is_one(random_data):
    vectors, _, _ = random_data
    assert knn_recall(vectors, vectors, k=5, metric="euclidean") == 1.0
    # On unit vectors cosine and euclidean distance rank neighbours alike, so the default metric agrees too.
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    assert knn_recall(unit, unit, k=5) == 1.0


def test_knn_recall_of_a_random_picture_is_near_chance(random_data):
    vectors, coords, random_coords = random_data
    n, k = len(vectors), 5
    chance = k / (n - 1)
    assert abs(knn_recall(vectors, random_coords, k) - chance) < 0.03
    # A real projection keeps far more than chance, and is more trustworthy than noise.
    assert knn_recall(vectors, coords, k) > 3 * chance
    assert trustworthiness(vectors, coords, k) > trustworthiness(vectors, random_coords, k)


def test_too_few_words_give_a_reason_instead_of_numbers():
    vectors = np.random.default_rng(6).normal(size=(6, 4))
    quality = projection_quality(vectors, vectors[:, :2], k=5)
    assert quality.trustworthiness is None and quality.knn_recall is None
    assert "at least k + 2 = 7 words" in quality.reason
    with pytest.raises(ValueError, match="k \\+ 2"):
        knn_recall(vectors, vectors[:, :2], k=5)


def test_trustworthiness_lowers_k_for_small_lists_and_says_so():
    vectors = np.random.default_rng(7).normal(size=(8, 4))
    quality = projection_quality(vectors, vectors[:, :2], k=5)
    assert quality.reason is None
    assert quality.trustworthiness_k == 3
    assert quality.knn_recall is not None and 0 <= quality.trustworthiness <= 1
    assert any("k = 3" in note for note in quality.notes)
    with pytest.raises(ValueError, match="n / 2"):
        trustworthiness(vectors, vectors[:, :2], k=5)


def test_zero_vectors_fall_back_to_euclidean():
    vectors = np.random.default_rng(8).normal(size=(10, 4))
    vectors[3] = 0
    quality = projection_quality(vectors, vectors[:, :2], k=3)
    assert quality.metric == "euclidean" and quality.notes


# --- neighbour agreement ---------------------------------------------------

def test_neighbour_overlap_of_a_method_with_itself_is_one_and_ignores_unshared_words():
    rng = np.random.default_rng(9)
    words = [f"w{i}" for i in range(10)]
    vectors = rng.normal(size=(10, 5))
    table = neighbour_overlap(words, vectors, words[::-1] + ["other"], np.vstack([vectors[::-1], rng.normal(size=(1, 5))]), k=3)
    assert list(table["overlap"]) == [1.0] * 10
    assert sorted(table["word"]) == sorted(words)
    assert all(len(shared) == 3 and not only for shared, only in zip(table["shared"], table["only_a"]))


def test_neighbour_overlap_lists_the_largest_change_first():
    rng = np.random.default_rng(10)
    words = [f"w{i}" for i in range(15)]
    table = neighbour_overlap(words, rng.normal(size=(15, 5)), words, rng.normal(size=(15, 5)), k=4)
    assert list(table["overlap"]) == sorted(table["overlap"])
    for row in table.itertuples():
        assert row.overlap == pytest.approx(len(row.shared) / (len(row.shared) + len(row.only_a) + len(row.only_b)))


def test_unrelated_neighbourhoods_overlap_by_chance():
    rng = np.random.default_rng(11)
    words = [f"w{i}" for i in range(80)]
    n, k = len(words), 5
    table = neighbour_overlap(words, rng.normal(size=(n, 8)), words, rng.normal(size=(n, 8)), k=k)
    assert abs(table["overlap"].mean() - chance_overlap(n, k)) < 0.02
    # In a short list, even unrelated neighbourhoods share more.
    assert chance_overlap(k + 2, k) > chance_overlap(n, k)


def test_overlap_matrix_matches_pairwise_tables_when_methods_lack_different_words():
    rng = np.random.default_rng(12)
    words = [f"w{i}" for i in range(20)]
    embeddings = {
        "all": (words, rng.normal(size=(20, 6))),
        "no_first": (words[3:], rng.normal(size=(17, 6))),
        "no_last": (words[:-4], rng.normal(size=(16, 6))),
        "tiny": (words[:5], rng.normal(size=(5, 6))),
    }
    matrix = mean_overlap_matrix(embeddings, k=4)
    for first in ("all", "no_first", "no_last"):
        for second in ("all", "no_first", "no_last"):
            if first != second:
                expected = neighbour_overlap(*embeddings[first], *embeddings[second], k=4)["overlap"].mean()
                assert matrix.loc[first, second] == pytest.approx(expected)
    # Five words are too few for k = 4, with itself or anything else.
    assert matrix.loc["tiny"].isna().all() and matrix["tiny"].isna().all()


def embedded_preset(names):
    words = wordlists.load_preset("royalty_vs_buildings", lowercase=True).items
    results = {name: embedders.get(name).embed(words) for name in names}
    return {name: (result.words, result.vectors) for name, result in results.items()}


@pytest.mark.slow
def test_learned_methods_agree_more_than_one_hot_agrees_with_anything(glove, fasttext, skipgram, minilm):
    """One-hot neighbours are arbitrary; GloVe's are shared with methods trained on other text.

    Word2Vec and FastText learn from the small bundled corpus on several threads, so their agreement with
    GloVe varies from run to run (0.32 at k = 5 in one CI run, below one-hot's 0.33 with TF-IDF); MiniLM, trained
    on far more text, is GloVe's steadiest partner, so GloVe's best learned partner is what is compared."""
    names = ["onehot", "tfidf", "word2vec-skipgram", "glove", "fasttext", "minilm"]
    matrix = mean_overlap_matrix(embedded_preset(names), k=5)
    glove_best = matrix.loc["glove", ["fasttext", "word2vec-skipgram", "minilm"]].max()
    one_hot_best = matrix.loc["onehot"].drop("onehot").max()
    assert glove_best > one_hot_best, matrix.round(2).to_string()
    assert np.allclose(np.diag(matrix), 1.0)
    assert np.allclose(matrix, matrix.T, equal_nan=True)


def test_one_hot_neighbours_do_not_follow_list_order():
    """Every one-hot pair is equally far: ties must not turn the grouped list order into 'meaning'."""
    preset = wordlists.load_preset("royalty_vs_buildings", lowercase=True)
    one_hot = embedders.get("onehot").embed(preset.items).vectors
    neighbours = neighbour_indices(one_hot, k=5, metric="cosine")
    royalty = [row for row, group in enumerate(preset.groups) if group == "royalty"]
    # Breaking ties by list order would give each royalty word only royalty neighbours (share 1.0).
    same_group = np.mean([preset.groups[j] == "royalty" for row in royalty for j in neighbours[row]])
    assert same_group < 0.8


def test_quality_on_a_large_list_samples_trustworthiness_and_says_so(glove):
    from projection import neighbour_graph, project
    from projection.distortion import TRUSTWORTHINESS_SAMPLE, projection_quality

    vectors = np.asarray(glove.keyed_vectors.vectors[1000 : 1000 + TRUSTWORTHINESS_SAMPLE + 300])
    coords = project(vectors, "pca", 2)
    graph = neighbour_graph(vectors, 20)
    with_graph = projection_quality(vectors, coords, 5, graph)
    assert with_graph.trustworthiness_sample == TRUSTWORTHINESS_SAMPLE
    assert with_graph.knn_recall == projection_quality(vectors, coords, 5).knn_recall  # the graph changes nothing
    assert with_graph.chance_recall < with_graph.knn_recall < 1


def test_knn_recall_of_a_large_list_is_the_mean_over_a_stated_sample_and_close_to_the_whole(glove):
    from projection import neighbour_graph, project
    from projection.distortion import KNN_RECALL_SAMPLE, projection_quality

    vectors = np.asarray(glove.keyed_vectors.vectors[1000 : 1000 + KNN_RECALL_SAMPLE + 3000])
    coords = project(vectors, "pca", 2)
    quality = projection_quality(vectors, coords, 10)
    assert quality.knn_recall_sample == KNN_RECALL_SAMPLE
    assert abs(quality.knn_recall - knn_recall(vectors, coords, 10)) < 0.02  # the sample's mean against every word's
    graph = neighbour_graph(vectors, 15)  # an exact graph holds the same neighbours: the same number
    assert projection_quality(vectors, coords, 10, graph).knn_recall == quality.knn_recall
    approximate = neighbour_graph(vectors, 15, exact_work=0)  # an approximate one is not used
    assert projection_quality(vectors, coords, 10, approximate).knn_recall == quality.knn_recall
