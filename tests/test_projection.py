"""Projection to 2-D/3-D with every method, on real and tiny inputs."""

import numpy as np
import pytest

from projection import PROJECTION_METHODS, plan_projection, project, run_projection


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
    from inputs import wordlists

    words = wordlists.load_preset("royalty_vs_buildings", lowercase=True)
    result = glove.embed(words.items)
    coords = project(result.vectors, method, 2, seed=0, n_neighbors=5)
    position = dict(zip(result.words, coords))

    def distance(a: str, b: str) -> float:
        return float(np.linalg.norm(position[a] - position[b]))

    assert distance("king", "queen") < distance("king", "skyscraper")
    assert distance("building", "tower") < distance("building", "princess")


@pytest.mark.slow
def test_large_3d_tsne_runs_on_a_stated_sample_and_says_so_before():
    from projection.reducers import TSNE_3D_LIMIT

    n = TSNE_3D_LIMIT + 50
    assert plan_projection(n, "tsne", 3) and not plan_projection(n, "tsne", 2) and not plan_projection(n, "umap", 3)
    assert f"{TSNE_3D_LIMIT:,} of the {n:,}" in plan_projection(n, "tsne", 3)[0]
    result = run_projection(np.random.default_rng(0).normal(size=(n, 8)), "tsne", 3)
    assert result.coords.shape == (TSNE_3D_LIMIT, 3) and len(result.rows) == TSNE_3D_LIMIT
    assert len(set(result.rows.tolist())) == TSNE_3D_LIMIT and result.notes[0] == plan_projection(n, "tsne", 3)[0]


def test_umap_and_tsne_reuse_a_shared_graph_of_glove_words(glove):
    from projection import neighbour_graph
    from projection.distortion import trustworthiness

    vectors = np.asarray(glove.keyed_vectors.vectors[1000:1600])
    graph = neighbour_graph(vectors, 90)
    for method in ("umap", "tsne"):
        coords = project(vectors, method, 2, seed=0, graph=graph)
        assert trustworthiness(vectors, coords, 10) > 0.85


def test_umap_runs_fewer_epochs_and_starts_from_pca_on_large_lists():
    from projection.reducers import UMAP_FEWEST_EPOCHS, umap_epochs, umap_start

    assert umap_epochs(1000) == 500 and umap_epochs(5000) == 100 and umap_epochs(60_000) == 100
    assert umap_epochs(100_000) == 60 and umap_epochs(10_000_000) == UMAP_FEWEST_EPOCHS
    assert [umap_start(n) for n in (8, 5000, 10_000, 10_001)] == ["random", "spectral", "spectral", "pca"]


@pytest.mark.slow
def test_umap_from_pca_on_a_large_list_keeps_neighbourhoods(glove):
    from projection import neighbour_graph
    from projection.distortion import trustworthiness
    from projection.reducers import UMAP_PCA_START_FROM, sample_rows

    vectors = np.asarray(glove.keyed_vectors.vectors[1000 : 1000 + UMAP_PCA_START_FROM + 2000])
    coords = project(vectors, "umap", 2, graph=neighbour_graph(vectors, 15))
    rows = sample_rows(len(vectors), 2000)
    assert trustworthiness(vectors[rows], coords[rows], 10) > 0.85  # 0.87-0.89 measured


@pytest.mark.slow
def test_tsne_gives_the_same_layout_whatever_the_threads_it_gets(glove, monkeypatch):
    # The threads follow the machine's load (free_cores), which a shared link's two sessions may see differ.
    import os

    from projection import reducers

    assert 1 <= reducers.free_cores() <= (os.cpu_count() or 1)
    vectors = np.asarray(glove.keyed_vectors.vectors[1000:1600])
    layouts = []
    for threads in (1, 2):
        monkeypatch.setattr(reducers, "free_cores", lambda threads=threads: threads)
        layouts.append(project(vectors, "tsne", 2, seed=3))
    assert np.array_equal(*layouts)
