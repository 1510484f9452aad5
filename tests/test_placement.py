"""New items on a drawn map: each projection's transform places them near their neighbours, and nothing moves."""

import numpy as np
import pytest

from common.vectors import unit_rows
from projection import graph_k, neighbour_graph, run_projection
from projection.placement import PlacementError, place, place_with_umap

#: Fitted words: frequent GloVe words (rows 300 to 1,100); every HELD_OUT_EVERY-th word is held out of the fit.
FIT_ROWS = slice(300, 1100)
HELD_OUT_EVERY = 40
NEIGHBOURS = 10


def fitted_and_held_out(glove) -> tuple[np.ndarray, np.ndarray]:
    vectors = np.asarray(glove.keyed_vectors.vectors[FIT_ROWS], dtype=np.float32)
    held = np.zeros(len(vectors), dtype=bool)
    held[::HELD_OUT_EVERY] = True
    return vectors[~held], vectors[held]


def mean_distances(fitted: np.ndarray, coords: np.ndarray, new: np.ndarray, placed: np.ndarray,
                   seed: int = 0) -> tuple[float, float]:
    """Average over the new items of the mean map distance to their NEIGHBOURS nearest fitted items (cosine,
    original space): from where each was placed, and from random points of the map."""
    similarity = unit_rows(new) @ unit_rows(fitted).T
    nearest = np.argsort(-similarity, axis=1)[:, :NEIGHBOURS]
    random_points = coords[np.random.default_rng(seed).choice(len(coords), len(new), replace=False)]
    to_placed = np.linalg.norm(coords[nearest] - placed[:, None, :], axis=2).mean()
    to_random = np.linalg.norm(coords[nearest] - random_points[:, None, :], axis=2).mean()
    return float(to_placed), float(to_random)


@pytest.mark.parametrize("method", ["pca", "umap", "tsne"])
def test_a_transformed_item_lands_nearer_its_nearest_neighbours_than_a_random_point(glove, method):
    fitted, new = fitted_and_held_out(glove)
    graph = None if method == "pca" else neighbour_graph(fitted, graph_k(method), "cosine")
    drawn = run_projection(fitted, method, 2, seed=0, graph=graph)
    before = drawn.coords.copy()
    placement = place(fitted, drawn.coords, new, drawn.method, seed=0, graph=graph)
    assert placement.coords.shape == (len(new), 2) and np.isfinite(placement.coords).all()
    assert np.array_equal(drawn.coords, before)  # existing points never move
    to_placed, to_random = mean_distances(fitted, drawn.coords, new, placement.coords)
    assert to_placed < to_random, (method, to_placed, to_random)
    assert placement.notes and "transform" in placement.notes[0]


def test_pca_placement_is_the_fitted_maps_own_transform(glove):
    fitted, new = fitted_and_held_out(glove)
    drawn = run_projection(fitted, "pca", 2)
    # Placing the fitted items themselves puts each exactly where the map drew it.
    again = place(fitted, drawn.coords, fitted[:5], "pca").coords
    assert np.allclose(again, drawn.coords[:5], atol=1e-4)


@pytest.mark.parametrize("method", ["pca", "umap"])
def test_a_map_the_refit_does_not_reproduce_places_nothing(glove, method):
    fitted, new = fitted_and_held_out(glove)
    graph = None if method == "pca" else neighbour_graph(fitted, graph_k(method), "cosine")
    drawn = run_projection(fitted, method, 2, seed=0, graph=graph)
    shuffled = drawn.coords[np.random.default_rng(1).permutation(len(fitted))]
    with pytest.raises(PlacementError, match="does not reproduce"):
        place(fitted, shuffled, new, method, seed=0, graph=graph)


def test_umap_keeps_the_model_that_drew_the_map_for_later_placements(glove):
    fitted, new = fitted_and_held_out(glove)
    graph = neighbour_graph(fitted, graph_k("umap"), "cosine")
    drawn = run_projection(fitted, "umap", 2, seed=3, graph=graph)
    first = place_with_umap(fitted, drawn.coords, new, 2, 3, graph=graph)
    again = place_with_umap(fitted, drawn.coords, new, 2, 3, graph=graph)
    assert np.array_equal(first, again)


def test_3d_tsne_and_umap_place_in_3d(glove):
    fitted, new = fitted_and_held_out(glove)
    fitted = fitted[:300]
    for method in ("tsne", "umap"):
        drawn = run_projection(fitted, method, 3, seed=0)
        assert place(fitted, drawn.coords, new, drawn.method).coords.shape == (len(new), 3)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("method", ["pca", "umap", "tsne"])
def test_tiny_maps_still_take_new_items(glove, n, method):
    fitted = np.asarray(glove.keyed_vectors.vectors[:n], dtype=np.float32)
    new = np.asarray(glove.keyed_vectors.vectors[10:12], dtype=np.float32)
    drawn = run_projection(fitted, method, 2)
    placed = place(fitted, drawn.coords, new, drawn.method).coords
    assert placed.shape == (2, 2) and np.isfinite(placed).all()


def test_vectors_from_another_space_are_refused(glove):
    fitted, _ = fitted_and_held_out(glove)
    drawn = run_projection(fitted, "pca", 2)
    with pytest.raises(PlacementError, match="different spaces"):
        place(fitted, drawn.coords, np.ones((1, 7)), "pca")
