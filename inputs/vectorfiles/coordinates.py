"""Precomputed 2-D or 3-D points: ``read_coordinates`` of CSV/TSV files and ``to_coordinates_csv``."""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
import pandas as pd

from inputs.vectorfiles.archives import _unpack
from inputs.vectorfiles.base import VectorFileError, VectorLimits, _extension, _shorten
from inputs.vectorfiles.text import _decode_text, _is_number

#: Coordinate-file columns that hold the word, in order of preference (case-insensitive).
COORDINATE_WORD_COLUMNS = ("word", "label", "text", "item")


@dataclass
class CoordinateSet:
    """Precomputed points: a word per point, float64 coordinates ``[n x 2|3]``, other columns, notes."""

    words: list[str]
    coords: np.ndarray
    metadata: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.words)


def to_coordinates_csv(words: Sequence[str], coords: np.ndarray, groups: Sequence[str] | None = None) -> bytes:
    """CSV of points: columns word, x, y (and z), then group when ``groups`` is given.

    ``read_coordinates`` reads it back unchanged: numbers are written with all the
    digits a float64 needs, and cells are quoted by the csv module where needed.
    """
    coords = np.asarray(coords, dtype=np.float64)
    if coords.ndim != 2 or coords.shape[1] not in (2, 3):
        raise ValueError(f"Coordinates must have 2 or 3 columns, not shape {coords.shape}.")
    if len(words) != len(coords) or (groups is not None and len(groups) != len(words)):
        raise ValueError(f"{len(words)} words, {len(coords)} points and {len(groups or [])} groups do not match.")
    if not np.isfinite(coords).all():
        raise ValueError("The coordinates hold NaN or infinite values.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["word", *"xyz"[: coords.shape[1]], *(["group"] if groups is not None else [])])
    for index, (word, point) in enumerate(zip(words, coords.tolist())):
        writer.writerow([word, *map(repr, point), *([groups[index]] if groups is not None else [])])
    return buffer.getvalue().encode("utf-8")


#: The most points a coordinates file may hold: Your coordinates reads and draws 1,000,000 of them
#: (density plus a sample of markers) within its 15 s target here; see bench/density.py.
MAX_COORDINATE_ROWS = 1_000_000
COORDINATE_LIMITS = VectorLimits(max_rows=MAX_COORDINATE_ROWS)


def read_coordinates(data: bytes, filename: str, limits: VectorLimits = COORDINATE_LIMITS) -> CoordinateSet:
    """Precomputed 2-D or 3-D points from a CSV or TSV file with a header row.

    Columns ``x``, ``y`` and optional ``z`` (case-insensitive) are the
    coordinates; the word is the column named word/label/text/item, else the
    first other column holding text, else the row number. Other columns are
    kept as metadata. Points are never dropped: repeated labels are counted in
    a note, since a label column often names a class shared by many points.
    A file that is not UTF-8 is read as Windows-1252, as word lists are, with a note.

    Rows are read by the csv module, every row in one pass; cells become numbers a
    column at a time (numpy's conversion is Python's ``float``), and only when a column
    does not convert are its cells read one by one to name the first bad line. A million
    rows take a few seconds.
    """
    notes: list[str] = []
    files = _unpack(data, filename, limits, notes)
    if len(files) != 1:
        raise VectorFileError("archive", f"{filename} must hold one coordinates file.")
    file = files[0]
    extension = _extension(file.name)
    if extension not in (".csv", ".tsv", ".txt", ""):
        raise VectorFileError("format", f"{file.shown}: coordinates are read from .csv or .tsv files, not {extension}.")
    text, _ = _decode_text(file, limits, notes, windows_1252=True)  # as word lists are read
    first_line = text.split("\n", 1)[0]
    delimiter = {".csv": ",", ".tsv": "\t"}.get(extension, "\t" if "\t" in first_line else ",")

    table = _coordinate_columns_fast(text, delimiter, limits.max_rows)
    if table is None:
        table = _coordinate_columns(text, delimiter, file.shown, limits.max_rows)
    header, columns = table

    names = [name.strip().lower() for name in header]
    for required in ("x", "y"):
        if required not in names:
            raise VectorFileError(
                "header",
                f"{file.shown}, line {_row_line(text, delimiter, -1)}: no column named {required!r} in the header "
                f"{[*header]!r}; coordinates need columns x and y (and optionally z).",
            )
    if len(columns[0]) == 0:
        raise VectorFileError("no-vectors", f"{file.shown} has a header but no points.")
    axes = [names.index(axis) for axis in ("x", "y", "z") if axis in names]
    coords = np.empty((len(columns[0]), len(axes)), dtype=np.float64)
    for axis_index, column in enumerate(axes):
        coords[:, axis_index] = _numbers(columns[column], header[column], text, delimiter, file.shown)

    others = [index for index in range(len(header)) if index not in axes]
    word_column = next((names.index(name) for name in COORDINATE_WORD_COLUMNS if name in names), None)
    if word_column is None:
        word_column = next((index for index in others if not _all_numbers(columns[index])), None)
    count = len(coords)
    if word_column is None:
        words = [str(number) for number in range(1, count + 1)]
        notes.append("No word column: the points are named by their row numbers 1, 2, 3, …")
    else:
        words = columns[word_column]
        others.remove(word_column)
    metadata = None
    if others:
        metadata = pd.DataFrame({position: columns[index] for position, index in enumerate(others)})
        metadata.columns = [header[index] for index in others]
    repeated = count - len(set(words))
    notes.insert(
        0,
        f"Read {count:,} points in {len(axes)}-D from columns "
        f"{', '.join(repr(header[i]) for i in axes)}"
        + (f"; words from column {header[word_column]!r}" if word_column is not None else "")
        + (f"; {len(others)} other column{'s' if len(others) != 1 else ''} kept as metadata" if others else "")
        + ".",
    )
    if repeated:
        notes.append(f"{repeated:,} points repeat an earlier label; every point is kept.")
    return CoordinateSet(words, np.ascontiguousarray(coords), metadata, notes)


def _coordinate_columns(text: str, delimiter: str, shown: str, max_rows: int) -> tuple[list[str], list[list[str]]]:
    """The header and the columns of data cells of a coordinates file, read by the csv module.

    This is the definition of how such a file reads: rows whose cells are all blank are skipped,
    every other row must have as many cells as the header, and at most ``max_rows`` rows.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # ``map`` keeps the blank test out of a per-cell Python loop; reading stops one row past
        # the limit, so that a file of millions of tiny rows never fills the memory.
        rows = list(itertools.islice((cells for cells in reader if any(map(str.strip, cells))), max_rows + 2))
    except csv.Error as error:
        category = "too-large" if "larger than field limit" in str(error) else "format"
        raise VectorFileError(category, f"{shown}, line {reader.line_num}: {error}.") from None
    if not rows:
        raise VectorFileError("empty", f"{shown} is empty.")
    header, rows = rows[0], rows[1:]
    if len(set(map(len, rows)) - {len(header)}):
        row = next(index for index, cells in enumerate(rows) if len(cells) != len(header))
        raise VectorFileError(
            "ragged",
            f"{shown}, line {_row_line(text, delimiter, row)}: {len(rows[row])} columns, but the header has {len(header)}.",
        )
    if len(rows) > max_rows:
        raise VectorFileError(
            "too-large", f"{shown}, line {_row_line(text, delimiter, max_rows)}: more than {max_rows:,} rows (the limit)."
        )
    return header, [list(map(itemgetter(index), rows)) for index in range(len(header))]


def _coordinate_columns_fast(text: str, delimiter: str, max_rows: int) -> tuple[list[str], list[list[str]]] | None:
    """``_coordinate_columns`` of a file that pyarrow's CSV reader reads exactly as the csv module does, else None.

    pyarrow parses in C++ on every core: 0.4 s for a million rows against 3 s for the csv module
    (measured here). Its result is used only where it cannot differ: no lone carriage return (the
    csv module breaks lines there), no value spanning lines, every row as wide as the header (pyarrow
    refuses others), no cell beyond the csv module's field limit, and every line holding a quote
    read again by the csv module to the same cells. A header without x and y, or a coordinate
    pyarrow cannot read as a finite number (a row of blank cells, which the csv module skips, has
    a blank x), also sends the file to the csv module, which then names the line of the error.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    if text.count("\r") != text.count("\r\n") or text.count("\n") > 2 * max_rows + 2:
        return None
    first = next(csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=delimiter), None)
    if not first:
        return None
    names = [f"c{index}" for index in range(len(first))]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=8 << 20),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                               escape_char=False, newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(column_types={name: pa.string() for name in names},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows - 1 > max_rows or table.num_rows == 0:
        return None
    limit = csv.field_size_limit()
    if any((pc.max(pc.utf8_length(table.column(name))).as_py() or 0) > limit for name in names):
        return None
    header = [table.column(name)[0].as_py() for name in names]
    axes = {name.strip().lower(): index for index, name in reversed(list(enumerate(header)))}
    if not any(cell.strip() for cell in header) or "x" not in axes or "y" not in axes:
        return None  # the csv module may take another line as the header; let it also name the error
    columns: list = []
    for index, name in enumerate(names):
        cells = table.column(name).slice(1)
        if index in (axes["x"], axes["y"], axes.get("z")):
            # A row of blank cells (which the csv module skips) has a blank x: no number, so None.
            cells = _arrow_numbers(cells)
            if cells is None:
                return None
            columns.append(cells)
        else:
            columns.append(cells.to_pylist())
    if '"' in text and not _quoted_lines_agree(text, delimiter, header, columns):
        return None
    return header, columns


def _arrow_numbers(cells) -> np.ndarray | None:
    """A pyarrow column of text as finite float64 numbers, or None when any cell is not one.

    Arrow's parser reads a subset of what Python's ``float`` reads (no spaces, underscores or
    non-ASCII digits), to the same correctly rounded values; for anything else the file goes to
    the csv module and ``float``, which also name the line of a bad number.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pc.cast(cells, pa.float64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return values if np.isfinite(values).all() else None


def _quoted_lines_agree(text: str, delimiter: str, header: list[str], columns: list) -> bool:
    """Whether every line holding a quote has the same cells in pyarrow's rows (one per non-empty
    line: the header, then ``columns``) as the csv module reads from that line alone. A number
    read by pyarrow agrees when ``float`` reads the csv module's cell to the same value."""
    empty_lines = [text.count("\n", 0, match.start()) for match in re.finditer(r"^\r?$", text, re.MULTILINE)]
    for match in re.finditer(r'^[^\n]*"[^\n]*$', text, re.MULTILINE):
        line_index = text.count("\n", 0, match.start())
        row = line_index - bisect.bisect_left(empty_lines, line_index) - 1  # -1: the header
        cells = next(csv.reader([match.group().removesuffix("\r")], delimiter=delimiter), [])
        if len(cells) != len(header) or row >= len(columns[0]):
            return False
        if row < 0:
            if cells != header:
                return False
        elif not all(_same_cell(column[row], cell) for column, cell in zip(columns, cells)):
            return False
    return True


def _same_cell(value, cell: str) -> bool:
    """Whether pyarrow's reading of a cell (text, or a number it parsed) is the csv module's ``cell``."""
    if isinstance(value, str):
        return value == cell
    try:
        return float(cell) == value
    except ValueError:
        return False


def _numbers(cells: list[str], name: str, text: str, delimiter: str, shown: str) -> np.ndarray:
    """A column of cells as finite float64 numbers, or an error naming the first bad line."""
    if isinstance(cells, np.ndarray) and cells.dtype == np.float64:
        return cells  # converted and checked by the fast reader
    try:
        # An object array converts by calling float() on each cell: the same rules as the loop below.
        values = np.array(cells, dtype=object).astype(np.float64)
        bad = np.flatnonzero(~np.isfinite(values))
        first_bad = int(bad[0]) if len(bad) else None
    except (ValueError, TypeError):
        first_bad = next(index for index, cell in enumerate(cells) if not _is_float(cell))
    if first_bad is None:
        return values
    cell = cells[first_bad]
    line = _row_line(text, delimiter, first_bad)
    if not _is_float(cell):
        raise VectorFileError("not-a-number", f"{shown}, line {line}: {name} is {_shorten(cell)}, not a number.")
    raise VectorFileError("non-finite", f"{shown}, line {line}: {name} is {cell!r}, not a finite number.")


def _is_float(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _all_numbers(cells: list[str]) -> bool:
    """Whether every cell reads as a number by ``_is_number``: the first cell alone (a text column stops
    there), then the whole column in one numpy conversion, the one ``_is_number`` makes of a single cell."""
    if not cells or not _is_number(cells[0].encode()):
        return not cells
    if not all(cells):
        return False
    try:
        np.array([cell.encode() for cell in cells], dtype=np.float64)
    except ValueError:
        return False
    return True


def _row_line(text: str, delimiter: str, row: int) -> int:
    """The line a data row (0 = the first after the header, -1 = the header) starts on, read again to find it.

    Only errors need it, so the reading of every row keeps no line numbers.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    index = -2
    line = 1
    for cells in reader:
        if any(map(str.strip, cells)):
            index += 1
            if index == row:
                return line
        line = reader.line_num + 1
    return line
