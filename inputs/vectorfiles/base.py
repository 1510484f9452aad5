"""What the vector-file readers share: the error, the limits, the result, a file to read, message helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from settings import (
    MAX_VECTOR_DIMENSION,
    MAX_VECTOR_FILE_BYTES,
    MAX_VECTOR_LINE_CHARACTERS,
    MAX_VECTOR_ROWS,
)

#: The kinds of problem a ``VectorFileError`` reports (its ``category``).
CATEGORIES = (
    "empty",
    "binary",
    "encoding",
    "ragged",
    "not-a-number",
    "non-finite",
    "header",
    "too-large",
    "truncated",
    "row-count-mismatch",
    "archive",
    "pickle",
    "no-vectors",
    "format",
)


class VectorFileError(ValueError):
    """An uploaded file cannot be read as vectors; the message names the file, the line and the problem."""

    def __init__(self, category: str, message: str) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"Unknown category {category!r}.")
        super().__init__(message)
        self.category = category

    def __reduce__(self):
        return VectorFileError, (self.category, str(self))


@dataclass
class VectorSet:
    """Words and their vectors (float32 ``[n x d]``, C-contiguous), as read from a file.

    ``metadata`` has one row per word (columns in file order) or is None;
    ``notes`` say in plain sentences what was assumed or changed; ``format``
    names the format read; ``seconds`` is how long reading took.
    """

    words: list[str]
    vectors: np.ndarray
    metadata: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    format: str = ""
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True)
class VectorLimits:
    """How big an upload may be; ``max_bytes`` also caps what decompression may produce."""

    max_bytes: int = MAX_VECTOR_FILE_BYTES
    max_rows: int = MAX_VECTOR_ROWS
    max_dimension: int = MAX_VECTOR_DIMENSION
    max_line_characters: int = MAX_VECTOR_LINE_CHARACTERS


@dataclass
class _File:
    """One file to read: ``name`` decides the format, ``shown`` names it in messages."""

    name: str
    shown: str
    data: bytes


def _extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _shorten(value: bytes | str, length: int = 40) -> str:
    """``repr`` of a token or word for a message, cut to ``length`` characters."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return repr(value if len(value) <= length else value[:length] + "…")


def _count(number: int, noun: str) -> str:
    """``"1 word"``, ``"400,000 words"``."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"  # binary megabytes, as the limits are set and shown
