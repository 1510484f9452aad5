"""Images and words in one space: a DeViSE-style linear map from digit images onto GloVe word vectors.

DeViSE (Frome et al., 2013) and later CLIP put images and words in one vector space so that an image
can be found by a word, even by a word whose images were never seen in training (zero-shot). This
module does the smallest honest version of that idea, offline and in well under a second:

* the images are scikit-learn's 1,797 handwritten digits (8 x 8 pixels, 16 grey levels, about 180
  per digit); an image's features are its 64 pixels, standardised (each pixel's mean and spread
  taken from the training images only);
* the words are the GloVe 6B 50d vectors of the class names "zero" … "nine";
* a ridge regression (scikit-learn ``RidgeCV``, its penalty chosen by leave-one-out cross-validation
  on the training images only) maps an image's 64 pixels onto the 50 numbers of its digit's word;
* two digits are held out: none of their images is seen in training. A held-out image is then
  classified by the word its mapped vector is most cosine-similar to.

It is not CLIP: CLIP trains two deep encoders on 400 million captioned photographs. Here the map is
linear, the words are ten number names whose GloVe vectors say nothing about shapes, and the result
shows how little transfers that way (``every_pair`` measures all 45 held-out pairs).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from common.progress import Progress, fraction_done, no_progress
from common.vectors import unit_rows

#: The class names, in digit order: digit ``d`` is described by ``DIGIT_WORDS[d]``.
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
#: The pair held out by default. Chosen after measuring every pair (see ``every_pair``): one where the
#: idea works both ways (each held-out image labelled by its word, and each word finding its images).
#: Across all 45 pairs it works far less often, and the page says so.
DEFAULT_HELD_OUT = (2, 6)
#: Held-out digits a map may leave out: at least two (else "among the held-out words" is a sure
#: thing), and at most this many, so that at least seven digits remain to learn from.
MIN_HELD_OUT = 2
MAX_HELD_OUT = 3
#: Ridge penalties tried by cross-validation on the training images (``RidgeCV``'s efficient
#: leave-one-out); measured here, the chosen one is 31.6 or 100 for every pair.
ALPHAS = tuple(float(alpha) for alpha in np.logspace(-2, 4, 13))
#: Share of the seen digits' images kept out of training, to measure the map on seen digits too.
TEST_SHARE = 0.25
SEED = 0
#: How many grey levels a digit's pixels have (0 … 16), for turning them into pictures.
GREY_LEVELS = 16


@dataclass(frozen=True, eq=False)
class Digits:
    """scikit-learn's handwritten digits: ``images`` (n x 8 x 8, values 0 … 16) and ``labels`` (n digits)."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


@lru_cache(maxsize=1)
def digits() -> Digits:
    """The 1,797 digits, loaded once per process (they ship with scikit-learn) and made read-only."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = np.ascontiguousarray(bunch.images, dtype=np.float32)
    labels = np.ascontiguousarray(bunch.target, dtype=np.int64)
    images.flags.writeable = labels.flags.writeable = False
    return Digits(images, labels)


def digit_word_vectors(keyed_vectors) -> np.ndarray:
    """The ten GloVe vectors of ``DIGIT_WORDS`` (10 x d float64), from gensim ``KeyedVectors``."""
    missing = [word for word in DIGIT_WORDS if word not in keyed_vectors.key_to_index]
    if missing:
        raise ValueError(f"The word vectors have no vector for {', '.join(missing)}: the map needs all ten digit names.")
    return np.stack([keyed_vectors.get_vector(word) for word in DIGIT_WORDS]).astype(np.float64)


def word_vector(keyed_vectors, word: str) -> np.ndarray:
    """The vector of ``word`` (lower-cased, trimmed), or a ``ValueError`` saying it has none."""
    key = word.strip().lower()
    if not key:
        raise ValueError("Type a word to search the images by.")
    if " " in key:
        raise ValueError(f"Search by one word at a time: GloVe has a vector per word, not for “{word.strip()}”.")
    if key not in keyed_vectors.key_to_index:
        raise ValueError(f"GloVe has no vector for “{word.strip()}”, so it cannot be searched for. Try another word.")
    return np.asarray(keyed_vectors.get_vector(key), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class SharedSpace:
    """A trained map from digit images to word vectors, every image mapped, and what it achieves.

    ``mapped`` holds every image's predicted word vector (n x d, the same rows as ``digits()``);
    ``trained`` marks the images the map learned from (75 % of each seen digit's images; the rest of
    the seen digits' images and every held-out image were never seen). The accuracies classify an
    image by the word most cosine-similar to its mapped vector:

    * ``zero_shot_held_out``: held-out images among the held-out words only (chance 1 / len(held_out));
    * ``zero_shot_all``: held-out images among all ten words (chance 10 %);
    * ``seen_all``: the seen digits' unseen images among all ten words (chance 10 %), for comparison.

    ``seconds`` is the training time (standardising plus ``RidgeCV``'s search over ``ALPHAS``).
    """

    held_out: tuple[int, ...]
    word_vectors: np.ndarray
    mapped: np.ndarray
    labels: np.ndarray
    trained: np.ndarray
    alpha: float
    seconds: float
    zero_shot_held_out: float
    zero_shot_all: float
    seen_all: float

    @property
    def seen(self) -> tuple[int, ...]:
        """The digits whose images the map learned from."""
        return tuple(digit for digit in range(len(DIGIT_WORDS)) if digit not in self.held_out)

    @property
    def chance_held_out(self) -> float:
        """The accuracy of guessing among the held-out words."""
        return 1 / len(self.held_out)

    @property
    def chance_all(self) -> float:
        """The accuracy of guessing among all ten words."""
        return 1 / len(DIGIT_WORDS)

    def is_held_out(self) -> np.ndarray:
        """Per image: is its digit one the map never saw?"""
        return np.isin(self.labels, self.held_out)


def check_held_out(held_out: Sequence[int]) -> tuple[int, ...]:
    """``held_out`` as a sorted tuple of distinct digits, or a ``ValueError`` saying what is wrong."""
    digits_out = tuple(sorted({int(digit) for digit in held_out}))
    if len(digits_out) != len(held_out) or any(not 0 <= digit <= 9 for digit in digits_out):
        raise ValueError(f"Held-out digits must be distinct digits 0 … 9, got {list(held_out)}.")
    if not MIN_HELD_OUT <= len(digits_out) <= MAX_HELD_OUT:
        raise ValueError(f"Hold out {MIN_HELD_OUT} to {MAX_HELD_OUT} digits, got {len(digits_out)}.")
    return digits_out


def train_shared_space(word_vectors: np.ndarray, held_out: Sequence[int] = DEFAULT_HELD_OUT,
                       seed: int = SEED) -> SharedSpace:
    """Learn the ridge map on the seen digits' training images and measure it (see ``SharedSpace``).

    ``word_vectors`` are the ten digit names' vectors (``digit_word_vectors``). The split of each seen
    digit's images into training and test images is stratified and fixed by ``seed``.
    """
    from sklearn.linear_model import RidgeCV
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    held_out = check_held_out(held_out)
    word_vectors = np.asarray(word_vectors, dtype=np.float64)
    if word_vectors.shape[0] != len(DIGIT_WORDS) or word_vectors.ndim != 2:
        raise ValueError(f"Expected one vector per digit name ({len(DIGIT_WORDS)} rows), got shape {word_vectors.shape}.")
    data = digits()
    pixels = data.images.reshape(len(data), -1).astype(np.float64)
    labels = np.asarray(data.labels)
    unseen_digit = np.isin(labels, held_out)
    seen_rows = np.flatnonzero(~unseen_digit)
    train_rows, test_rows = train_test_split(seen_rows, test_size=TEST_SHARE, random_state=seed,
                                             stratify=labels[seen_rows])
    started = time.perf_counter()
    # The scaler sits inside the pipeline, so its means and spreads come from the training images only.
    model = make_pipeline(StandardScaler(), RidgeCV(alphas=ALPHAS))
    model.fit(pixels[train_rows], word_vectors[labels[train_rows]])
    seconds = time.perf_counter() - started
    mapped = model.predict(pixels)
    trained = np.zeros(len(labels), dtype=bool)
    trained[train_rows] = True
    similarities = unit_rows(mapped) @ unit_rows(word_vectors).T
    held_rows = np.flatnonzero(unseen_digit)
    pair = np.asarray(held_out)
    among_held = pair[similarities[np.ix_(held_rows, pair)].argmax(axis=1)]
    return SharedSpace(
        held_out=held_out,
        word_vectors=word_vectors,
        mapped=mapped,
        labels=labels,
        trained=trained,
        alpha=float(model[-1].alpha_),
        seconds=seconds,
        zero_shot_held_out=float(np.mean(among_held == labels[held_rows])),
        zero_shot_all=float(np.mean(similarities[held_rows].argmax(axis=1) == labels[held_rows])),
        seen_all=float(np.mean(similarities[test_rows].argmax(axis=1) == labels[test_rows])),
    )


@dataclass(frozen=True)
class SearchResult:
    """The images most cosine-similar to a word's vector: their rows in ``digits()``, best first."""

    word: str
    rows: np.ndarray
    cosines: np.ndarray


def search_images(space: SharedSpace, query: np.ndarray, k: int, word: str = "",
                  among: np.ndarray | None = None) -> SearchResult:
    """The ``k`` images whose mapped vectors are most cosine-similar to ``query`` (a word's vector).

    ``among``, a boolean mask over the images, limits the search to some of them (e.g. the held-out ones).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}.")
    similarities = unit_rows(space.mapped) @ unit_rows(np.asarray(query, dtype=np.float64)[None, :])[0]
    candidates = np.arange(len(similarities)) if among is None else np.flatnonzero(among)
    rows = candidates[np.argsort(-similarities[candidates], kind="stable")[:k]]
    return SearchResult(word, rows, similarities[rows])


@dataclass(frozen=True, eq=False)
class JointProjection:
    """The mapped images and the words on one 2-D map: ``images`` (n x 2), ``words`` (10 x 2).

    Every vector is first moved by the mean of the ten digit words and scaled to length 1: the number
    words share one large common direction in GloVe ("two" to "nine" have cosines of 0.94 to 0.99),
    and seen from their own centre they spread out. The two axes are then the PCA of those ten words (the directions
    in which the words differ most), and the images are placed on the same axes. ``explained`` is the
    share of the words' variance the axes keep. Search and the accuracies use plain cosine in the
    original 50 dimensions, not this map.
    """

    images: np.ndarray
    words: np.ndarray
    explained: float
    centre: np.ndarray
    components: np.ndarray
    mean: np.ndarray

    def place(self, vectors: np.ndarray) -> np.ndarray:
        """Any word vectors (m x d, or one vector) on the same two axes."""
        unit = unit_rows(np.atleast_2d(np.asarray(vectors, dtype=np.float64)) - self.centre)
        return (unit - self.mean) @ self.components.T


def joint_projection(space: SharedSpace) -> JointProjection:
    """The mapped images and the ten digit words on one map (see ``JointProjection``)."""
    from sklearn.decomposition import PCA

    centre = space.word_vectors.mean(axis=0)
    words = unit_rows(space.word_vectors - centre)
    pca = PCA(n_components=2, random_state=SEED).fit(words)
    projection = JointProjection(np.empty((0, 2)), pca.transform(words), float(pca.explained_variance_ratio_.sum()),
                                 centre, pca.components_, pca.mean_)
    return JointProjection(projection.place(space.mapped), projection.words, projection.explained, centre,
                           pca.components_, pca.mean_)


def thumbnail(image: np.ndarray, scale: int = 4) -> np.ndarray:
    """An 8 x 8 digit as a ``8*scale`` square uint8 picture, ink dark on white, pixels kept sharp."""
    grey = 255 - np.rint(np.asarray(image, dtype=np.float64) / GREY_LEVELS * 255).clip(0, 255).astype(np.uint8)
    return np.kron(grey, np.ones((scale, scale), dtype=np.uint8))


def thumbnail_grid(rows: Sequence[int] | np.ndarray, columns: int = 4, scale: int = 4, gap: int = 2) -> np.ndarray:
    """The digits at ``rows`` as one picture: ``columns`` per line, ``gap`` white pixels between them."""
    data = digits()
    if not len(rows):
        raise ValueError("No images to draw.")
    tile = 8 * scale
    lines = -(-len(rows) // columns)
    width = min(columns, len(rows))
    out = np.full((lines * (tile + gap) - gap, width * (tile + gap) - gap), 255, dtype=np.uint8)
    for position, row in enumerate(rows):
        line, column = divmod(position, columns)
        out[line * (tile + gap): line * (tile + gap) + tile,
            column * (tile + gap): column * (tile + gap) + tile] = thumbnail(data.images[int(row)], scale)
    return out


def png_bytes(picture: np.ndarray, transparent_paper: bool = False) -> bytes:
    """A grey uint8 picture (a ``thumbnail``) as PNG bytes; with ``transparent_paper`` the white paper is
    see-through and only the ink is drawn (for thumbnails on a chart, over its points and labels)."""
    import io

    from PIL import Image

    picture = np.asarray(picture, dtype=np.uint8)
    if transparent_paper:
        ink = np.stack([np.zeros_like(picture), 255 - picture], axis=-1)  # black, as opaque as the ink is dark
        image = Image.fromarray(ink)  # two uint8 channels: grey and alpha (LA)
    else:
        image = Image.fromarray(picture)  # one uint8 channel: grey (L)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def typical_rows(coords: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per digit, the row whose point is nearest the median point of its digit's images (e.g. the one image
    per digit a chart draws as a thumbnail, where most of its digit lies)."""
    rows = []
    for digit in np.unique(labels):
        own = np.flatnonzero(labels == digit)
        centre = np.median(coords[own], axis=0)
        rows.append(own[np.argmin(np.linalg.norm(coords[own] - centre, axis=1))])
    return np.asarray(rows, dtype=np.int64)


@dataclass(frozen=True)
class PairResult:
    """One held-out pair's zero-shot accuracies (see ``SharedSpace``)."""

    held_out: tuple[int, ...]
    zero_shot_held_out: float
    zero_shot_all: float
    seen_all: float


def every_pair(word_vectors: np.ndarray, progress: Progress = no_progress, seed: int = SEED) -> list[PairResult]:
    """``train_shared_space`` for each of the 45 pairs of held-out digits (a few seconds in all)."""
    pairs = list(itertools.combinations(range(len(DIGIT_WORDS)), 2))
    results = []
    for done, pair in enumerate(pairs):
        progress(fraction_done(done, len(pairs)), f"Holding out {pair[0]} and {pair[1]} ({done + 1} of {len(pairs)})…")
        space = train_shared_space(word_vectors, pair, seed)
        results.append(PairResult(pair, space.zero_shot_held_out, space.zero_shot_all, space.seen_all))
    progress(1.0, "All pairs measured.")
    return results
