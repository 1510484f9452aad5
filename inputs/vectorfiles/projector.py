"""The TensorFlow Embedding Projector's pair: vectors.tsv + metadata.tsv read, and written by ``to_projector_tsv``."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from common.progress import Progress
from inputs.vectorfiles.base import VectorFileError, VectorLimits, _count, _File
from inputs.vectorfiles.text import (
    _NUMBERS,
    _UTF8_BOM,
    _blanks_end,
    _decode_text,
    _is_number,
    _is_utf8,
    _Replacements,
    _text_start,
    _TextRows,
)

#: Metadata columns that hold the word, in order of preference (case-insensitive).
METADATA_WORD_COLUMNS = ("word", "label", "name", "token", "text")
_FIRST_FIELD = re.compile(rb"[^ \t\r\n]{0,1000}")
_TSV_UNSAFE = re.compile(r"[\t\r\n]")


def _read_projector(
    file: _File,
    metadata_file: _File | None,
    limits: VectorLimits,
    progress: Progress,
    notes: list[str],
    replaced: _Replacements,
) -> tuple[list[str], np.ndarray, pd.DataFrame | None, str]:
    """The Embedding Projector's pair: vectors.tsv (numbers only) and optional metadata.tsv (the words)."""
    reader = _TextRows(file, _NUMBERS, limits, progress)
    reader.read(_text_start(file, notes))
    vectors = reader.vectors()
    counts = f"{_count(reader.rows, 'vector')} of {_count(reader.numbers_per_row, 'number')} each"
    notes.insert(0, f"Read as Projector TSV: {counts}.")
    if metadata_file is None:
        notes.append("No metadata file: the words are the row numbers 1, 2, 3, …")
        return [str(number) for number in range(1, reader.rows + 1)], vectors, None, "Projector TSV"
    words, frame = _read_metadata(metadata_file, file, reader.rows, limits, notes, replaced)
    return words, vectors, frame, "Projector TSV"


def _read_metadata(
    file: _File, vectors_file: _File, rows: int, limits: VectorLimits, notes: list[str], replaced: _Replacements
) -> tuple[list[str], pd.DataFrame | None]:
    """Words (and other columns) from a Projector metadata.tsv, one row per vector.

    One column: no header row (the Projector's rule), unless the file has exactly one
    line more than the vectors and its first line is a column name such as ``word``.
    Several columns: the first line is the header; the word is the column named
    word/label/name/token/text, else the first. Every line is a row (an empty line
    is an empty label); only empty lines at the very end are ignored. Bytes that are
    not UTF-8 read as U+FFFD, as in vectors files; ``replaced`` learns such words.
    """
    text, bad_lines = _decode_text(file, limits, notes)
    lines = text.split("\n")
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    while lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise VectorFileError("empty", f"{file.shown} is empty.")
    if len(lines) > limits.max_rows + 1:
        raise VectorFileError(
            "too-large", f"{file.shown} has {len(lines):,} lines; the limit is {limits.max_rows:,} rows."
        )
    columns = 1 + max(line.count("\t") for line in lines)
    if columns == 1:
        if len(lines) == rows + 1 and lines[0].strip().lower() in METADATA_WORD_COLUMNS:
            notes.append(
                f"{file.shown} has one column; its first line {lines[0]!r} was read as a column header "
                "because the file has one line more than the vectors."
            )
            words = lines[1:]
            first_word_line = 2
        else:
            notes.append(f"{file.shown} has one column and no header row (the Projector's rule): one word per line.")
            words = lines
            first_word_line = 1
        frame = None
    else:
        header = lines[0].split("\t")
        table = []
        for line_number, line in enumerate(lines[1:], start=2):
            cells = line.split("\t")
            if len(cells) != len(header):
                raise VectorFileError(
                    "ragged",
                    f"{file.shown}, line {line_number}: {len(cells)} columns, "
                    f"but the header on line 1 has {len(header)}.",
                )
            table.append(cells)
        names = [name.strip().lower() for name in header]
        word_column = next((names.index(name) for name in METADATA_WORD_COLUMNS if name in names), 0)
        words = [cells[word_column] for cells in table]
        first_word_line = 2
        others = [index for index in range(len(header)) if index != word_column]
        frame = pd.DataFrame([[cells[i] for i in others] for cells in table], columns=[header[i] for i in others])
        notes.append(
            f"{file.shown}: line 1 is the header; words come from column {header[word_column]!r}, "
            f"{len(others)} other column{'s' if len(others) != 1 else ''} kept as metadata."
        )
    if len(words) != rows:
        raise VectorFileError(
            "row-count-mismatch",
            f"{vectors_file.shown} has {rows:,} vectors but {file.shown} has {len(words):,} rows of metadata.",
        )
    if bad_lines:  # the bytes of words read with U+FFFD, for ``_drop_duplicates``
        raw_lines = file.data.removeprefix(_UTF8_BOM).split(b"\n")
        for number in bad_lines:
            if number >= first_word_line:
                raw = raw_lines[number - 1].removesuffix(b"\r")
                raw = raw if columns == 1 else raw.split(b"\t")[word_column]
                if not _is_utf8(raw):  # the bad bytes may be in another column
                    replaced.word(raw)
    return words, frame


def to_projector_tsv(
    words: Sequence[str], vectors: np.ndarray, metadata: pd.DataFrame | None = None
) -> tuple[bytes, bytes]:
    """``(vectors.tsv, metadata.tsv)`` for the TensorFlow Embedding Projector.

    Vectors are tab-separated with 9 significant digits, which read back to the
    same float32. Without other metadata, metadata.tsv is one word per line and
    no header (the Projector's rule for one column); with it, a header row
    ``word`` then the metadata's columns. The format cannot hold tabs or line
    breaks inside a cell: they are replaced by spaces. Missing values become "".
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[1] == 0:
        raise ValueError(f"Vectors must be a 2-D array with at least one column, not of shape {vectors.shape}.")
    if len(words) != vectors.shape[0]:
        raise ValueError(f"{len(words)} words for {vectors.shape[0]} vectors.")
    if metadata is not None and len(metadata) != len(words):
        raise ValueError(f"{len(metadata)} rows of metadata for {len(words)} words.")
    if not np.isfinite(vectors).all():
        raise ValueError("The vectors hold NaN or infinite values, which the Projector cannot read.")
    row_format = "\t".join(["%.9g"] * vectors.shape[1]) + "\n"
    vectors_tsv = "".join(row_format % tuple(row) for row in vectors.tolist()).encode("ascii")

    def cell(value) -> str:
        return "" if _is_missing(value) else _TSV_UNSAFE.sub(" ", str(value))

    if metadata is None or metadata.shape[1] == 0:
        lines = [cell(word) for word in words]
    else:
        lines = ["\t".join(["word", *(cell(name) for name in metadata.columns)])]
        for word, values in zip(words, metadata.itertuples(index=False, name=None)):
            lines.append("\t".join([cell(word), *(cell(value) for value in values)]))
    metadata_tsv = "".join(line + "\n" for line in lines).encode("utf-8")
    return vectors_tsv, metadata_tsv


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


def _first_field_is_number(file: _File) -> bool:
    """Whether the first non-blank line of a .tsv starts with a number (Projector vectors) rather than a word."""
    data = file.data
    start = _blanks_end(data, len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0)
    first_field = _FIRST_FIELD.match(data, start)
    assert first_field is not None  # the pattern matches an empty field too
    return _is_number(first_field.group())
