"""The DeViSE-style map from digit images onto GloVe's digit words: real GloVe, real digits, fixed seed."""

import numpy as np
import pytest

from images.shared_space import (
    DEFAULT_HELD_OUT,
    DIGIT_WORDS,
    digit_word_vectors,
    digits,
    joint_projection,
    png_bytes,
    search_images,
    thumbnail,
    thumbnail_grid,
    train_shared_space,
    typical_rows,
    word_vector,
)


@pytest.fixture(scope="module")
def words(glove):
    return digit_word_vectors(glove.keyed_vectors)


@pytest.fixture(scope="module")
def space(words):
    return train_shared_space(words, DEFAULT_HELD_OUT)


def test_zero_shot_accuracy_on_the_held_out_digits_is_above_chance(space):
    assert space.zero_shot_held_out > space.chance_held_out == 0.5
    assert space.zero_shot_all > space.chance_all == 0.1  # even among all ten words, for this pair
    # The map works far better on digits it was trained on: their unseen images, among all ten words.
    assert space.seen_all > space.zero_shot_all and space.seen_all > space.chance_all


def test_the_held_out_digits_are_never_trained_on_and_the_split_is_fixed(words, space):
    held = space.is_held_out()
    assert held.sum() == np.isin(digits().labels, DEFAULT_HELD_OUT).sum() > 300
    assert not space.trained[held].any()
    seen_share = space.trained[~held].mean()
    assert 0.7 < seen_share < 0.8  # 75 % of the seen digits' images, the rest measure the seen digits
    again = train_shared_space(words, DEFAULT_HELD_OUT)
    assert np.array_equal(again.trained, space.trained) and np.allclose(again.mapped, space.mapped)
    assert again.zero_shot_held_out == space.zero_shot_held_out


def test_training_takes_seconds_not_minutes(space):
    assert 0 < space.seconds < 10  # under a second on an idle machine; generous for a busy one
    assert space.alpha > 0


def test_the_accuracies_are_what_a_direct_count_gives(words, space):
    from common.vectors import unit_rows

    similarities = unit_rows(space.mapped) @ unit_rows(words).T
    held = np.flatnonzero(space.is_held_out())
    pair = np.array(space.held_out)
    among_pair = pair[similarities[held][:, pair].argmax(axis=1)]
    assert space.zero_shot_held_out == pytest.approx(np.mean(among_pair == space.labels[held]))
    tested = np.flatnonzero(~space.is_held_out() & ~space.trained)
    assert space.seen_all == pytest.approx(np.mean(similarities[tested].argmax(axis=1) == space.labels[tested]))


def test_searching_by_a_seen_digits_word_finds_mostly_that_digit(glove, space):
    seen = space.seen[0]
    found = search_images(space, word_vector(glove.keyed_vectors, DIGIT_WORDS[seen]), 20, DIGIT_WORDS[seen])
    assert len(found.rows) == 20 and np.all(np.diff(found.cosines) <= 1e-12)
    assert np.mean(space.labels[found.rows] == seen) > 0.5


def test_searching_the_held_out_images_only_stays_among_them(glove, space):
    word = DIGIT_WORDS[space.held_out[0]]
    found = search_images(space, word_vector(glove.keyed_vectors, word), 30, word, among=space.is_held_out())
    assert set(space.labels[found.rows]) <= set(space.held_out)
    # Among the held-out images, the word finds its own digit more often than the other held-out digit.
    assert np.mean(space.labels[found.rows] == space.held_out[0]) > 0.5


@pytest.mark.parametrize("word, message", [("", "Type a word"), ("zzqxvplugh", "no vector for “zzqxvplugh”"),
                                           ("two words", "one word at a time")])
def test_words_without_a_vector_get_a_clear_message(glove, word, message):
    with pytest.raises(ValueError, match=message):
        word_vector(glove.keyed_vectors, word)


def test_any_known_word_searches_and_is_placed_on_the_map(glove, space):
    projection = joint_projection(space)
    vector = word_vector(glove.keyed_vectors, " Circle ")
    found = search_images(space, vector, 5, "circle")
    assert len(set(found.rows)) == 5
    point = projection.place(vector)
    assert point.shape == (1, 2) and np.isfinite(point).all()
    assert np.allclose(projection.place(space.word_vectors), projection.words)  # the words sit where they are drawn
    assert projection.images.shape == (len(space.labels), 2) and 0 < projection.explained <= 1


@pytest.mark.parametrize("held_out", [(3,), (1, 1), (0, 10), (1, 2, 3, 4)])
def test_a_bad_choice_of_held_out_digits_is_refused(words, held_out):
    with pytest.raises(ValueError, match="Hold out|distinct digits"):
        train_shared_space(words, held_out)


def test_three_held_out_digits_have_a_chance_of_one_in_three(words):
    space = train_shared_space(words, (2, 6, 7))
    assert space.chance_held_out == pytest.approx(1 / 3) and len(space.seen) == 7


def test_thumbnails_keep_their_pixels_sharp_and_ink_dark():
    image = digits().images[0]
    picture = thumbnail(image, scale=4)
    assert picture.shape == (32, 32) and picture.dtype == np.uint8
    assert picture[0, 0] == 255 if image[0, 0] == 0 else True  # blank paper is white
    assert np.all(picture[:4, :4] == picture[0, 0])  # one source pixel, one flat square
    darkest = np.unravel_index(np.argmax(image), image.shape)
    assert picture[darkest[0] * 4, darkest[1] * 4] == picture.min()
    assert png_bytes(picture)[:8] == b"\x89PNG\r\n\x1a\n"
    from io import BytesIO

    from PIL import Image

    ink = np.asarray(Image.open(BytesIO(png_bytes(picture, transparent_paper=True))))
    assert ink.shape == (32, 32, 2) and np.all(ink[..., 1] == 255 - picture)  # paper see-through, ink opaque
    grid = thumbnail_grid([0, 1, 2, 3, 4], columns=4, scale=2, gap=1)
    assert grid.shape == (2 * 16 + 1, 4 * 16 + 3)


def test_each_digit_has_one_typical_image_inside_its_own_points(space):
    projection = joint_projection(space)
    rows = typical_rows(projection.images, space.labels)
    assert np.array_equal(space.labels[rows], np.arange(10))
    for digit, row in enumerate(rows):
        own = projection.images[space.labels == digit]
        centre = np.median(own, axis=0)
        # No image of the digit is nearer its centre than the chosen one.
        assert np.linalg.norm(projection.images[row] - centre) <= np.linalg.norm(own - centre, axis=1).min() + 1e-12
