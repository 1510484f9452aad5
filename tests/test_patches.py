"""Sample photographs cut into patches: shapes, exact round trips, and what raw-pixel geometry shows."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from images import (
    MAX_PATCH_SIZE,
    MIN_PATCH_SIZE,
    colour_family,
    grid_image,
    patch_grid,
    patch_thumbnail,
    sample_image_names,
)
from projection import run_projection

HEIGHT, WIDTH = 427, 640


def test_the_two_bundled_images_are_offered():
    assert sample_image_names() == ["china", "flower"]


@pytest.mark.parametrize("name", ["china", "flower"])
@pytest.mark.parametrize("size", [16, 32, 64])
def test_grid_counts_shapes_and_labels(name, size):
    grid = patch_grid(name, size)
    rows, columns = HEIGHT // size, WIDTH // size
    assert (grid.rows, grid.columns) == (rows, columns)
    assert grid.vectors.shape == (rows * columns, size * size * 3)
    assert grid.vectors.dtype == np.float32
    assert grid.image.shape == (rows * size, columns * size, 3) and grid.image.dtype == np.uint8
    assert grid.cropped == (HEIGHT - rows * size, WIDTH - columns * size)
    assert grid.vectors.min() >= 0.0 and grid.vectors.max() <= 1.0
    assert len(grid.labels) == len(grid.colours) == len(grid) == rows * columns
    assert len(set(grid.labels)) == len(grid.labels)
    assert grid.labels[0] == "r0c0" and grid.labels[columns] == "r1c0" and grid.labels[-1] == f"r{rows - 1}c{columns - 1}"


@pytest.mark.parametrize("size", [16, 32, 64])
def test_vectors_reshape_back_exactly_to_the_cropped_image(size):
    grid = patch_grid("china", size)
    pixels = np.rint(grid.vectors * 255).astype(np.uint8)
    rebuilt = pixels.reshape(grid.rows, grid.columns, size, size, 3).transpose(0, 2, 1, 3, 4).reshape(grid.image.shape)
    assert np.array_equal(rebuilt, grid.image)
    # The cropped image is the top-left corner of the original photograph.
    from sklearn.datasets import load_sample_images

    original = load_sample_images().images[0]
    assert np.array_equal(grid.image, original[: grid.image.shape[0], : grid.image.shape[1]])


def test_thumbnails_are_the_patches_their_vectors_describe():
    grid = patch_grid("flower", 32)
    for index in (0, grid.columns - 1, grid.columns, len(grid) - 1):
        thumbnail = patch_thumbnail(grid, index)
        assert thumbnail.shape == (32, 32, 3)
        assert np.allclose(thumbnail.reshape(-1) / 255, grid.vectors[index])
    with pytest.raises(IndexError):
        patch_thumbnail(grid, len(grid))


@pytest.mark.parametrize("gap", [0, 2, 5])
def test_grid_image_has_white_gaps_between_patches(gap):
    grid = patch_grid("china", 32)
    picture = grid_image(grid, gap)
    step = 32 + gap
    assert picture.shape == (grid.rows * step - gap, grid.columns * step - gap, 3)
    if gap:
        assert (picture[32 : 32 + gap] == 255).all() and (picture[:, 32 : 32 + gap] == 255).all()
    row, column = 2, 3
    assert np.array_equal(picture[row * step : row * step + 32, column * step : column * step + 32],
                          patch_thumbnail(grid, row * grid.columns + column))


def test_downscale_shrinks_the_image_before_cutting():
    full, small = patch_grid("china", 16), patch_grid("china", 8, downscale=2)
    assert small.image.shape == ((HEIGHT // 2) // 8 * 8, (WIDTH // 2) // 8 * 8, 3)
    assert (small.rows, small.columns) == ((HEIGHT // 2) // 8, (WIDTH // 2) // 8)
    # Each shrunk pixel is the mean of a 2x2 block of the original.
    block = full.image[:2, :2].astype(float).mean(axis=(0, 1))
    assert np.allclose(small.image[0, 0], block, atol=0.5)


@pytest.mark.parametrize(
    "kwargs",
    [{"name": "mona lisa"}, {"patch_size": 3}, {"patch_size": 129}, {"patch_size": 0}, {"patch_size": -8},
     {"patch_size": 16.5}, {"downscale": 0}, {"patch_size": 128, "downscale": 4}],
)
def test_bad_arguments_raise_clear_errors(kwargs):
    with pytest.raises(ValueError):
        patch_grid(**kwargs)


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="china.*flower"):
        patch_grid("mona lisa")


def test_the_extreme_patch_sizes_work():
    assert len(patch_grid("flower", MIN_PATCH_SIZE, downscale=4)) == (HEIGHT // 4 // 4) * (WIDTH // 4 // 4)
    assert len(patch_grid("flower", MAX_PATCH_SIZE)) == (HEIGHT // 128) * (WIDTH // 128)


def test_callers_cannot_change_the_shared_cached_pixels():
    grid = patch_grid("china", 32)
    with pytest.raises(ValueError):
        grid.image[0, 0, 0] = 0
    with pytest.raises(ValueError):
        grid.vectors[0, 0] = 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["china", "flower"])
def test_pca_of_patch_vectors_is_finite(name):
    grid = patch_grid(name, 32)
    result = run_projection(grid.vectors, "pca", 2)
    assert result.coords.shape == (len(grid), 2)
    assert np.isfinite(result.coords).all()


def _unit(vectors):
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("size", [16, 32, 64])
def test_sky_patches_are_closer_to_each_other_than_to_the_ground(size):
    grid = patch_grid("china", size)
    row_of = np.repeat(np.arange(grid.rows), grid.columns)
    unit = _unit(grid.vectors.astype(np.float64))
    top, bottom = unit[row_of < 2], unit[row_of >= grid.rows - 2]
    within_top = (top @ top.T)[~np.eye(len(top), dtype=bool)].mean()
    assert within_top > (top @ bottom.T).mean()


@pytest.mark.parametrize("name", ["china", "flower"])
def test_patches_of_one_colour_family_are_closer_than_patches_of_different_families(name):
    grid = patch_grid(name, 32)
    unit = _unit(grid.vectors.astype(np.float64))
    similarity = unit @ unit.T
    families = np.array(grid.colours)
    same = families[:, None] == families[None, :]
    off_diagonal = ~np.eye(len(grid), dtype=bool)
    assert similarity[same & off_diagonal].mean() > similarity[~same].mean()


@settings(max_examples=200, deadline=None)
@given(st.tuples(*[st.floats(0.0, 1.0)] * 3))
def test_colour_family_names_any_colour_with_a_known_family(rgb):
    family = colour_family(np.array(rgb))
    known = {"dark", "white", "grey", "red", "orange / brown", "yellow", "olive", "green", "teal", "blue / sky-like",
             "purple / pink"}
    assert family in known
    if max(rgb) - min(rgb) < 1e-9:
        assert family in {"dark", "white", "grey"}


def test_colour_families_of_plain_colours():
    assert colour_family(np.array([0.05, 0.05, 0.05])) == "dark"
    assert colour_family(np.array([0.95, 0.95, 0.95])) == "white"
    assert colour_family(np.array([0.5, 0.5, 0.5])) == "grey"
    assert colour_family(np.array([0.9, 0.1, 0.1])) == "red"
    assert colour_family(np.array([0.1, 0.8, 0.1])) == "green"
    assert colour_family(np.array([0.6, 0.75, 0.95])) == "blue / sky-like"
