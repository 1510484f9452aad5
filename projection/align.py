"""Align one 2-D or 3-D layout onto another, so the same word sits in a comparable place.

Projections have no preferred orientation: PCA may flip an axis, UMAP and t-SNE
rotate freely. Orthogonal Procrustes (rotation or reflection, plus one uniform
scale and a shift) removes exactly those arbitrary differences and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Fewer shared points than this leave the rotation undetermined: the layout is left as it is.
MIN_SHARED_POINTS = 3


@dataclass
class Alignment:
    """A similarity transform ``(coords - source_mean) @ rotation * scale + target_mean``."""

    rotation: np.ndarray
    scale: float
    source_mean: np.ndarray
    target_mean: np.ndarray

    def apply(self, coords: np.ndarray) -> np.ndarray:
        """Move ``coords`` (``[n x dims]``) with this transform."""
        coords = np.asarray(coords, dtype=np.float64)
        return (coords - self.source_mean) @ self.rotation * self.scale + self.target_mean


def fit_alignment(reference: np.ndarray, other: np.ndarray) -> Alignment:
    """The rotation/reflection, scale and shift that best map ``other`` onto ``reference``.

    Rows must correspond (the same word in the same row). A layout whose points
    all coincide cannot be rotated meaningfully; it is only shifted.
    """
    reference = np.asarray(reference, dtype=np.float64)
    other = np.asarray(other, dtype=np.float64)
    if reference.shape != other.shape or reference.ndim != 2:
        raise ValueError(f"Layouts must have the same [n x dims] shape, got {reference.shape} and {other.shape}.")
    dims = reference.shape[1]
    if len(reference) == 0:
        return Alignment(np.eye(dims), 1.0, np.zeros(dims), np.zeros(dims))
    target_mean, source_mean = reference.mean(axis=0), other.mean(axis=0)
    target, source = reference - target_mean, other - source_mean
    spread = float(np.sum(source**2))
    if spread == 0.0:
        return Alignment(np.eye(dims), 1.0, source_mean, target_mean)
    from scipy.linalg import orthogonal_procrustes  # imported on use, like the reducers

    rotation, singular_value_sum = orthogonal_procrustes(source, target)
    # The least-squares uniform scale once the rotation is fixed.
    return Alignment(rotation, singular_value_sum / spread, source_mean, target_mean)


def align(reference: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``other`` rotated/reflected, scaled and shifted onto ``reference`` (rows correspond)."""
    return fit_alignment(reference, other).apply(other)


def align_to_words(
    reference_words: Sequence[str],
    reference_coords: np.ndarray,
    words: Sequence[str],
    coords: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Align a whole layout onto a reference, fitted on the words both layouts have.

    Returns the moved ``coords`` (every row, shared or not) and the number of
    shared words the fit used. With fewer than ``MIN_SHARED_POINTS`` shared words
    the layout comes back unchanged, since no rotation can be told apart.
    """
    row_in_reference = {word: row for row, word in enumerate(reference_words)}
    pairs = [(row_in_reference[word], row) for row, word in enumerate(words) if word in row_in_reference]
    coords = np.asarray(coords, dtype=np.float64)
    if len(pairs) < MIN_SHARED_POINTS:
        return coords, len(pairs)
    reference_rows, rows = (list(side) for side in zip(*pairs))
    alignment = fit_alignment(np.asarray(reference_coords)[reference_rows], coords[rows])
    return alignment.apply(coords), len(pairs)
