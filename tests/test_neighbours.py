"""The shared neighbour graph against brute force, across blocks, approximate and tied."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from projection import neighbour_graph
from projection.neighbours import BLOCK_ROWS, neighbours_of


def brute_force(points: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    distances = cdist(points.astype(np.float64), points.astype(np.float64), metric)
    np.fill_diagonal(distances, np.inf)
    order = np.argsort(distances, axis=1)[:, :k]
    return order, np.take_along_axis(distances, order, axis=1)


@pytest.mark.slow
@pytest.mark.parametrize("metric, dims", [("cosine", 20), ("correlation", 12), ("euclidean", 20), ("euclidean", 2)])
def test_graph_equals_brute_force_across_block_boundaries(metric, dims):
    n = 2 * BLOCK_ROWS + 37  # three blocks of queries, the last one short
    points = np.random.default_rng(dims).normal(size=(n, dims)).astype(np.float32)
    graph = neighbour_graph(points, 8, metric)
    rows = np.r_[0:50, BLOCK_ROWS - 25 : BLOCK_ROWS + 25, n - 50 : n]  # around each block boundary
    expected_rows, expected_distances = brute_force(points, 8, metric)
    assert graph.exact and graph.k == 8 and len(graph) == n
    np.testing.assert_allclose(graph.distances[rows], expected_distances[rows], atol=2e-5)
    # Ties aside (none in random data), the same neighbours in the same order.
    assert (graph.indices[rows] == expected_rows[rows]).mean() > 0.99


def test_no_point_is_its_own_neighbour_even_with_duplicates():
    points = np.vstack([np.ones((3, 4)), np.eye(4)]).astype(np.float32)
    graph = neighbour_graph(points, 2)
    assert not (graph.indices == np.arange(len(points))[:, None]).any()
    assert set(graph.indices[0]) == {1, 2}  # the other two copies, at distance 0
    np.testing.assert_allclose(graph.distances[0], 0.0, atol=1e-5)


def test_exact_ties_fall_at_random_not_by_list_order():
    graph = neighbour_graph(np.eye(60, dtype=np.float32), 3)  # one-hot: every pair equally far apart
    assert len({tuple(row) for row in graph.indices.tolist()}) > 50
    assert graph.indices.min() >= 0 and np.median(graph.indices) > 15  # not always the first rows of the list


def test_approximate_index_finds_nearly_all_true_neighbours(glove):
    vectors = np.asarray(glove.keyed_vectors.vectors[1000:6000])
    approximate = neighbour_graph(vectors, 15, exact_work=0)
    exact = neighbour_graph(vectors, 15)
    assert not approximate.exact and exact.exact
    recall = np.mean([len(set(a) & set(b)) / 15 for a, b in zip(approximate.indices, exact.indices)])
    assert recall > 0.95


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_tiny_inputs_give_as_many_neighbours_as_there_are_other_points(n):
    graph = neighbour_graph(np.random.default_rng(n).normal(size=(n, 5)), 10)
    assert graph.indices.shape == (n, max(0, n - 1))


def test_cut_to_fewer_neighbours_and_refuse_more():
    graph = neighbour_graph(np.random.default_rng(0).normal(size=(30, 5)), 10)
    assert graph.nearest(4).k == 4 and (graph.nearest(4).indices == graph.indices[:, :4]).all()
    with pytest.raises(ValueError, match="10 neighbours"):
        graph.nearest(11)
    with pytest.raises(ValueError, match="metric"):
        neighbour_graph(np.eye(3), 1, "manhattan")


@pytest.mark.parametrize("metric, dims", [("cosine", 20), ("euclidean", 20), ("euclidean", 2)])
def test_neighbours_of_some_rows_are_those_rows_of_the_whole_graph(metric, dims):
    points = np.random.default_rng(dims).normal(size=(BLOCK_ROWS + 500, dims)).astype(np.float32)
    rows = np.random.default_rng(1).choice(len(points), 300, replace=False)
    graph = neighbour_graph(points, 8, metric)
    found, distances = neighbours_of(points, rows, 8, metric)
    assert found.shape == distances.shape == (300, 8)
    assert not (found == rows[:, None]).any()  # never a point itself
    assert (found == graph.indices[rows]).mean() > 0.99
    np.testing.assert_allclose(distances, graph.distances[rows], atol=2e-5)


def test_neighbours_of_a_duplicate_leave_out_the_point_itself_and_of_no_rows_are_empty():
    points = np.vstack([np.ones((3, 4)), np.eye(4)]).astype(np.float32)
    found, _ = neighbours_of(points, np.array([2, 0]), 2)
    assert set(found[0]) == {0, 1} and set(found[1]) == {1, 2}
    assert neighbours_of(points, np.array([], dtype=np.int64), 2)[0].shape == (0, 2)


def test_the_approximate_graph_is_the_same_at_every_run(glove):
    vectors = np.asarray(glove.keyed_vectors.vectors[1000:4000])
    first, second = neighbour_graph(vectors, 10, exact_work=0), neighbour_graph(vectors, 10, exact_work=0)
    assert not first.exact and (first.indices == second.indices).all()
