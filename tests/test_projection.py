"""Projection to 2-D/3-D with every method, on real and tiny inputs."""

import numpy as np
import pytest

from projection import PROJECTION_METHODS, project, run_projection


@pytest.mark.parametrize("method", list(PROJECTION_METHODS))
@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6])
def test_project_returns_n_by_dims_for_any_size(method, dims, n):
    vectors = np.random.default_rng(n).normal(size=(n, 50))
    coords = project(vectors, method=method, dims=dims, seed=0)
    assert coords.shape == (n, dims)
    assert np.isfinite(coords).all()


@pytest.mark.parametrize("n", [2, 3, 4])
def test_umap_on_fewer_than_five_points_falls_back_to_pca_and_says_so(n):
    result = run_projection(np.eye(n), "umap", 2)
    assert result.method == "pca"
    assert "UMAP needs at least 5 points" in result.notes[0]


def test_tsne_lowers_perplexity_to_a_third_of_the_points():
    result = run_projection(np.random.default_rng(0).normal(size=(16, 10)), "tsne", 2, perplexity=30)
    assert result.method == "tsne"
    assert any("perplexity lowered from 30 to 5" in note for note in result.notes)
    assert not run_projection(np.random.default_rng(0).normal(size=(40, 10)), "tsne", 2, perplexity=10).notes


def test_pca_on_fewer_dimensions_than_the_chart_pads_a_flat_axis():
    result = run_projection(np.eye(2), "pca", 3)
    assert result.coords.shape == (2, 3)
    assert np.allclose(result.coords[:, 2], 0)
    assert result.notes


@pytest.mark.parametrize("method", list(PROJECTION_METHODS))
def test_same_seed_gives_the_same_picture(method):
    vectors = np.random.default_rng(1).normal(size=(30, 20))
    np.testing.assert_allclose(project(vectors, method, 2, seed=3), project(vectors, method, 2, seed=3))


def test_bad_arguments_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="pca"):
        project(np.eye(3), method="mds")
    with pytest.raises(ValueError, match="dims"):
        project(np.eye(3), dims=4)
    with pytest.raises(ValueError, match="NaN"):
        project(np.array([[0.0, np.nan], [1.0, 2.0]]))


@pytest.mark.parametrize("method", list(PROJECTION_METHODS))
def test_glove_royalty_and_buildings_stay_apart_in_every_projection(glove, method):
    import wordlists

    words = wordlists.load_preset("royalty_vs_buildings", lowercase=True)
    result = glove.embed(words.items)
    coords = project(result.vectors, method, 2, seed=0, n_neighbors=5)
    position = dict(zip(result.words, coords))

    def distance(a: str, b: str) -> float:
        return float(np.linalg.norm(position[a] - position[b]))

    assert distance("king", "queen") < distance("king", "skyscraper")
    assert distance("building", "tower") < distance("building", "princess")
