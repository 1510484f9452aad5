"""Cosine similarity helpers on the original vectors."""

import numpy as np

from common.vectors import BLOCK_ROWS, neighbours_within, pairwise_cosine, similarity_histogram


def test_histogram_counts_every_pair_once_across_blocks():
    vectors = np.random.default_rng(0).normal(size=(BLOCK_ROWS + 90, 8))
    upper = pairwise_cosine(vectors)[np.triu_indices(len(vectors), k=1)]
    counts, lowest, highest = similarity_histogram(vectors)
    np.testing.assert_array_equal(counts, np.histogram(upper, bins=20, range=(-1, 1))[0])
    assert counts.sum() == len(vectors) * (len(vectors) - 1) // 2
    assert np.isclose(lowest, upper.min()) and np.isclose(highest, upper.max())


def test_one_hot_pairs_all_fall_in_one_bin():
    counts, lowest, highest = similarity_histogram(np.eye(5))
    assert counts.sum() == 10 and counts.max() == 10 and lowest == highest == 0.0


def test_neighbours_within_a_list_match_the_full_matrix():
    vectors = np.random.default_rng(1).normal(size=(12, 5))
    words = [f"w{i}" for i in range(12)]
    row = pairwise_cosine(vectors)[3]
    expected = [words[i] for i in np.argsort(-row) if i != 3][:4]
    assert [word for word, _ in neighbours_within(words, vectors, "w3", 4)] == expected
