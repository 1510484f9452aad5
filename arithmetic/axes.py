"""Semantic axes: place words along directions defined by other words (as in Word2Viz).

An axis runs from one word group to another, e.g. "man, he" → "woman, she".
Every vector is first scaled to length 1 (v̂ = v / ‖v‖), so that frequent
words with long vectors do not dominate, and

    d = mean(ĝ for g in the "to" group) − mean(ĝ for g in the "from" group)
    x(w) = ŵ · d / ‖d‖

is how far the word w reaches along the axis (the cosine-like projection onto
the unit direction). The y axis is a second such direction, or the first
principal component of what is left of the words once the x direction is
removed (ŵ − x(w) d/‖d‖), which is at right angles to x by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from common.vectors import unit_rows
from embedders import Embedder

#: Shorter axis directions are treated as zero: the two ends have (nearly) the same vector.
MIN_AXIS_LENGTH = 1e-6
#: Above this |cosine| between the x and y directions, the chart is noticeably skewed.
SKEW_WARNING_COSINE = 0.3
PCA_AXIS_LABEL = "1st PCA component of what remains"


class AxisError(ValueError):
    """An axis cannot be built; the message says why."""


@dataclass(frozen=True)
class AxisPreset:
    """A ready-made pair of axes and the bundled word list (``data/<word_list>.csv``) to place on them.

    Ends are comma-separated word groups; ``y_from``/``y_to`` empty means y = PCA of the rest.
    """

    title: str
    word_list: str
    x_from: str
    x_to: str
    y_from: str = ""
    y_to: str = ""
    note: str = ""


AXIS_PRESETS: tuple[AxisPreset, ...] = (
    AxisPreset(
        "Gender × wealth for job titles", "jobs",
        "man, he, him, his", "woman, she, her, hers",
        "poor, poverty, cheap", "rich, wealth, expensive",
        "Word2Viz's classic: which jobs lean towards “she” and which towards “rich” in the training text. "
        "The embedding learned these associations (and biases) from how the words are used.",
    ),
    AxisPreset(
        "Past ↔ present for verbs", "verb_tenses",
        "took, came, gave, made, found", "take, come, give, make, find",
        note="The axis is built from five verbs that are not on the list, so the chart shows whether "
        "the tense direction carries over to other verbs.",
    ),
    AxisPreset(
        "Country → capital", "countries_capitals",
        "greece, sweden, canada, norway, poland", "athens, stockholm, ottawa, oslo, warsaw",
        note="Built from five country–capital pairs that are not on the list: does every country sit "
        "left of its own capital?",
    ),
)


def parse_words(text: str) -> list[str]:
    """The words of a comma-separated group, stripped, blanks and repeats dropped."""
    return list(dict.fromkeys(word.strip() for word in text.split(",") if word.strip()))


def axis_direction(from_vectors: np.ndarray, to_vectors: np.ndarray, name: str = "axis") -> np.ndarray:
    """The unit direction ``mean(to) − mean(from)`` of unit vectors; ``AxisError`` when it has no length."""
    if len(from_vectors) == 0 or len(to_vectors) == 0:
        raise AxisError(f"The {name} needs at least one word with a vector at each end.")
    direction = unit_rows(to_vectors).mean(axis=0) - unit_rows(from_vectors).mean(axis=0)
    length = float(np.linalg.norm(direction))
    if length < MIN_AXIS_LENGTH:
        raise AxisError(
            f"The two ends of the {name} have the same vector, so the axis has length zero and no direction: "
            "choose ends that differ."
        )
    return direction / length


def residual_pca_direction(unit_vectors: np.ndarray, x_direction: np.ndarray) -> np.ndarray | None:
    """The first principal component of the vectors once the x direction is removed; None if nothing varies."""
    residuals = unit_vectors - np.outer(unit_vectors @ x_direction, x_direction)
    centred = residuals - residuals.mean(axis=0)
    if len(centred) < 2 or np.allclose(centred, 0):
        return None
    # The first right-singular vector of the centred data is its first principal component.
    direction = np.linalg.svd(centred, full_matrices=False)[2][0]
    # SVD's sign is arbitrary: point it where most words already lie, so reruns look alike.
    return direction if np.sum(centred @ direction > 0) >= len(centred) / 2 else -direction


@dataclass
class AxesResult:
    """Coordinates of the placed words and what the user should know about them.

    ``missing_items`` are list items without a vector, ``missing_end_words`` axis
    words without one (left out of their end); ``axes_cosine`` is the cosine between
    the x and y directions (0 when y is the PCA component).
    """

    words: list[str]
    x: np.ndarray
    y: np.ndarray
    x_label: str
    y_label: str
    axes_cosine: float = 0.0
    missing_items: list[str] = field(default_factory=list)
    missing_end_words: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def place_on_axes(
    embedder: Embedder,
    items: list[str],
    x_from: list[str],
    x_to: list[str],
    y_from: list[str] | None = None,
    y_to: list[str] | None = None,
) -> AxesResult:
    """Project ``items`` onto the x axis ``x_from → x_to`` and onto the y axis (or PCA when no y ends).

    Everything is embedded in one call, which one-hot needs (its axes are the
    words of the call). Raises ``AxisError`` for empty, identical or zero-length
    axes and when no item has a vector.
    """
    use_pca = not (y_from or y_to)
    ends = {"x axis": (x_from, x_to)} if use_pca else {"x axis": (x_from, x_to), "y axis": (y_from or [], y_to or [])}
    for name, (start, end) in ends.items():
        if not start or not end:
            raise AxisError(f"The {name} needs at least one word at each end.")
        if {embedder.key(w) for w in start} == {embedder.key(w) for w in end}:
            raise AxisError(f"Both ends of the {name} are the same words: an axis needs two different ends.")

    end_words = [w for start, end in ends.values() for w in start + end]
    everything = list(dict.fromkeys(list(items) + end_words))
    result = embedder.embed(everything)
    vector_of = dict(zip(result.words, unit_rows(result.vectors)))
    missing = set(result.missing)

    def vectors(words: list[str]) -> np.ndarray:
        found = [vector_of[w] for w in words if w in vector_of]
        return np.array(found).reshape(len(found), result.vectors.shape[1])

    x_direction = axis_direction(vectors(x_from), vectors(x_to), "x axis")
    placed = [item for item in items if item in vector_of]
    if not placed:
        raise AxisError(f"None of the {len(items)} items has a {embedder.title} vector to place on the axes.")
    unit = vectors(placed)
    x = unit @ x_direction
    notes = []
    axes_cosine = 0.0
    if use_pca:
        y_direction = residual_pca_direction(unit, x_direction)
        if y_direction is None:
            notes.append("Nothing varies once the x direction is removed: every word sits at y = 0.")
            y = np.zeros(len(placed))
        else:
            y = unit @ y_direction
        y_label = PCA_AXIS_LABEL
    else:
        y_start, y_end = ends["y axis"]  # y_from and y_to, both checked non-empty above
        y_direction = axis_direction(vectors(y_start), vectors(y_end), "y axis")
        y = unit @ y_direction
        axes_cosine = float(x_direction @ y_direction)
        y_label = _axis_label(y_start, y_end)
        if abs(axes_cosine) > SKEW_WARNING_COSINE:
            notes.append(
                f"The two directions are not independent (cosine {axes_cosine:.2f} between them): part of what "
                "moves a word along one axis also moves it along the other."
            )
    return AxesResult(
        placed, x, y, _axis_label(x_from, x_to), y_label, axes_cosine,
        missing_items=[item for item in items if item in missing],
        missing_end_words=[w for w in dict.fromkeys(end_words) if w in missing],
        notes=notes,
    )


def _axis_label(start: list[str], end: list[str]) -> str:
    return f"{', '.join(start)} → {', '.join(end)}"
