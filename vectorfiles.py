"""Uploaded word-vector files, read safely: words and a float32 matrix, or a reason.

Reads word2vec text and binary, GloVe text, fastText ``.vec``, the TensorFlow
Embedding Projector's ``vectors.tsv`` + ``metadata.tsv`` pair, any of them plain
or inside ``.gz``, ``.bz2`` or ``.zip``, and CSV/TSV files of precomputed 2-D or
3-D coordinates. Every problem becomes a ``VectorFileError`` whose message names
the file, the line (where one applies) and what is wrong.

What this module never does, because uploads are untrusted: unpickle anything
(loading a pickle runs code), trust a header's counts or a zip's declared sizes
before checking them against the limits and the bytes present, decompress
without a cap, or broadcast a short row (gensim's ``load_word2vec_format`` does
that, and accepts NaN, so it is not used here).

Text is read in blocks of a few megabytes. pandas' C parser reads a block in
one call; when it complains or its result does not check out (a missing or
extra number, a non-number, NaN), the block is read again line by line in
Python, which names the first bad line. The line-by-line reading is the
definition: pandas only speeds up blocks it agrees with.
"""

from __future__ import annotations

import bisect
import bz2
import codecs
import csv
import gzip
import io
import itertools
import lzma
import re
import struct
import time
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from embedders.base import Progress, no_progress
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

#: Refused by name: these formats are (or may hold) pickles, and loading a pickle runs code.
PICKLE_EXTENSIONS = (".pkl", ".pickle", ".model", ".kv", ".npy", ".npz", ".joblib", ".pt", ".pth", ".ckpt")
#: Archive formats that are not unpacked (only .gz, .bz2 and .zip are).
UNSUPPORTED_ARCHIVE_EXTENSIONS = (".tar", ".tgz", ".tbz2", ".7z", ".rar", ".xz", ".lzma", ".zst", ".br")
TEXT_EXTENSIONS = (".txt", ".vec", "")
#: Metadata columns that hold the word, in order of preference (case-insensitive).
METADATA_WORD_COLUMNS = ("word", "label", "name", "token", "text")
#: Coordinate-file columns that hold the word, in order of preference (case-insensitive).
COORDINATE_WORD_COLUMNS = ("word", "label", "text", "item")

_COMPRESSED_EXTENSIONS = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".zip": "zip"}
_BLOCK_BYTES = 4 * 1024 * 1024
_PIECE_BYTES = 1024 * 1024
_UTF8_BOM = codecs.BOM_UTF8
# A word2vec header: optional blank lines, then a line of exactly two integers. (Greedy
# classes that cannot overlap, so a file of megabytes of spaces is scanned once.)
_HEADER = re.compile(rb"[ \t\r\n]*([0-9]+)[ \t]+([0-9]+)[ \t\r]*(?:\n|\Z)")
_FIELD_SEPARATOR = re.compile(rb"[ \t]+")
_LEADING_BLANKS = re.compile(rb"[ \t\r\n]*")
# A line holding something other than ASCII whitespace (from its start to its line break).
_CONTENT_LINE = re.compile(rb"^[ \t\r\x0b\x0c]*[^\s][^\n]*", re.MULTILINE)
_FIRST_FIELD = re.compile(rb"[^ \t\r\n]{0,1000}")
_TSV_UNSAFE = re.compile(r"[\t\r\n]")
_BZIP2_MAGIC = re.compile(rb"BZh[1-9]1AY&SY")

# Layouts of a text line.
_WORD_SPACES = "word then numbers, separated by spaces"
_WORD_TAB = "word, a tab, then numbers"
_NUMBERS = "numbers only"


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


@dataclass
class CoordinateSet:
    """Precomputed points: a word per point, float64 coordinates ``[n x 2|3]``, other columns, notes."""

    words: list[str]
    coords: np.ndarray
    metadata: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

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


# --- reading vectors ---------------------------------------------------------


def read_vectors(
    data: bytes,
    filename: str,
    metadata: bytes | None = None,
    metadata_filename: str = "metadata.tsv",
    limits: VectorLimits = VectorLimits(),
    progress: Progress = no_progress,
) -> VectorSet:
    """Read an uploaded vectors file, or raise ``VectorFileError`` saying why not.

    The format comes from the name (a compression suffix is stripped first) and
    the content: ``.txt``/``.vec`` text with or without a ``count dim`` header,
    ``.bin`` word2vec binary, ``.tsv`` Projector vectors (numbers only, words
    from ``metadata``) or words-then-numbers TSV. When a word occurs twice the
    first vector wins and a note counts the dropped ones.
    """
    started = time.perf_counter()
    notes: list[str] = []
    files = _unpack(data, filename, limits, notes)
    vectors_file = files[0]
    metadata_file = files[1] if len(files) == 2 else None
    if metadata is not None:
        if metadata_file is not None:
            raise VectorFileError(
                "archive", f"{filename} already holds a metadata file; a second one ({metadata_filename}) is not read."
            )
        metadata_files = _unpack(metadata, metadata_filename, limits, notes)
        if len(metadata_files) != 1:
            raise VectorFileError("archive", f"{metadata_filename} must hold one metadata file, not a pair.")
        metadata_file = metadata_files[0]

    words, vectors, frame, format_name = _read_any(vectors_file, metadata_file, limits, progress, notes)
    words, vectors, frame = _drop_duplicates(words, vectors, frame, notes)
    progress(1.0, f"Read {len(words):,} words.")
    return VectorSet(
        words=words,
        vectors=np.ascontiguousarray(vectors, dtype=np.float32),
        metadata=frame,
        notes=notes,
        format=format_name,
        seconds=time.perf_counter() - started,
    )


def _read_any(
    file: _File, metadata_file: _File | None, limits: VectorLimits, progress: Progress, notes: list[str]
) -> tuple[list[str], np.ndarray, pd.DataFrame | None, str]:
    """Detect the format of ``file`` and read it: words, vectors, metadata and the format's name."""
    extension = _extension(file.name)
    if extension in UNSUPPORTED_ARCHIVE_EXTENSIONS:
        raise VectorFileError(
            "archive",
            f"{file.shown}: {extension} archives are not unpacked; upload the file itself, .gz, .bz2 or .zip.",
        )
    if extension == ".tsv" and _first_field_is_number(file):
        return _read_projector(file, metadata_file, limits, progress, notes)
    if metadata_file is not None:
        raise VectorFileError(
            "format",
            f"{metadata_file.shown} is metadata, which goes with a Projector vectors.tsv of numbers only; "
            f"{file.shown} already names its words.",
        )
    if extension == ".tsv":
        words, vectors = _read_word_tsv(file, limits, progress, notes)
        return words, vectors, None, "word-and-vectors TSV"
    if extension in TEXT_EXTENSIONS or extension == ".bin":
        words, vectors, format_name = _read_word2vec_family(file, extension, limits, progress, notes)
        return words, vectors, None, format_name
    raise VectorFileError(
        "format",
        f"{file.shown}: {extension or 'a name without extension'} is not a vectors format read here. "
        "Use .txt or .vec (a word and its numbers per line, separated by spaces), .bin (word2vec binary) "
        "or .tsv (the Embedding Projector's vectors.tsv), optionally in .gz, .bz2 or .zip.",
    )


def _read_word2vec_family(
    file: _File, extension: str, limits: VectorLimits, progress: Progress, notes: list[str]
) -> tuple[list[str], np.ndarray, str]:
    """word2vec text or binary, GloVe text or fastText .vec, told apart by extension, header and content."""
    data = file.data
    start = _text_start(file, notes)
    header = _HEADER.match(data, start)
    count = dim = header_line = None
    if header is not None:
        count, dim = int(header.group(1)), int(header.group(2))
        header_line = 1 + data.count(b"\n", 0, header.start(1))
        _check_header(file, count, dim, header_line, limits)

    if extension == ".bin" and header is None:
        raise VectorFileError(
            "header",
            f"{file.shown}, line 1: a word2vec binary file starts with a line 'count dimension' "
            f"(e.g. '400000 50'), not {_shorten(data[start:start + 40])}.",
        )
    if header is not None and _binary_follows(data, header.end(), dim, extension, limits):
        if extension != ".bin":
            notes.append(f"{file.shown} holds binary data after its header: read as word2vec binary.")
        return (*_read_word2vec_binary(file, header.end(), count, dim, limits, progress, notes), "word2vec binary")
    if extension == ".bin":
        notes.append(f"{file.shown} is named .bin but holds text: read as word2vec text.")

    if extension == ".vec":
        format_name = "fastText .vec"
    else:
        format_name = "word2vec text" if header is not None else "GloVe text"
    if header is not None:
        promise = f"{_count(count, 'word')} of {_count(dim, 'number')} each"
        notes.append(f"Line {header_line} ('{count} {dim}') is a header: {promise}.")
        body_start = header.end()
    else:
        notes.append("No header line: every line is a word followed by its numbers (GloVe style).")
        body_start = start
    reader = _TextRows(file, _WORD_SPACES, limits, progress, dim=dim, header_line=header_line)
    reader.read(body_start)
    if count is not None and reader.rows != count:
        raise VectorFileError(
            "row-count-mismatch",
            f"{file.shown}, line {header_line}: the header says {_count(count, 'word')}, "
            f"but the file holds {reader.rows:,}.",
        )
    notes.insert(0, f"Read as {format_name}: {_count(reader.rows, 'word')} of {_count(reader.dim, 'number')} each.")
    return reader.words, reader.vectors(), format_name


def _check_header(file: _File, count: int, dim: int, line: int, limits: VectorLimits) -> None:
    """Refuse a header promising more than the limits allow, before anything is allocated."""
    if count > limits.max_rows:
        raise VectorFileError(
            "too-large",
            f"{file.shown}, line {line}: the header promises {count:,} words; the limit is {limits.max_rows:,}.",
        )
    if dim > limits.max_dimension:
        raise VectorFileError(
            "too-large",
            f"{file.shown}, line {line}: the header promises {dim:,} numbers per word; "
            f"the limit is {limits.max_dimension:,}.",
        )
    if dim == 0:
        raise VectorFileError("header", f"{file.shown}, line {line}: the header says the vectors have 0 numbers.")
    if count == 0:
        raise VectorFileError("no-vectors", f"{file.shown}, line {line}: the header says the file holds 0 words.")


def _binary_follows(data: bytes, start: int, dim: int, extension: str, limits: VectorLimits) -> bool:
    """Whether word2vec binary follows the header at ``start`` rather than text rows.

    A first line of a word and ``dim`` numbers is text (whatever the word's encoding,
    so that a Latin-1 file is refused as such). Otherwise a .bin is binary, and so
    is any other file whose next bytes hold NUL bytes or are not UTF-8, as float32
    data almost always does.
    """
    window = 4 * limits.max_line_characters
    end = data.find(b"\n", start, start + window)
    if end < 0 and len(data) - start <= window:  # the file's last line, without a line break
        end = len(data)
    fields = _split_fields(data[start:end].rstrip(b"\r")) if end >= 0 else []
    if len(fields) == dim + 1 and all(_is_number(token) for token in fields[1:]):
        return False
    if extension == ".bin":
        return True
    sample = data[start:start + 4096]
    return b"\x00" in sample or not _is_utf8(sample, final=start + 4096 >= len(data))


def _read_word2vec_binary(
    file: _File, start: int, count: int, dim: int, limits: VectorLimits, progress: Progress, notes: list[str]
) -> tuple[list[str], np.ndarray]:
    """word2vec binary after its header: per word its UTF-8 bytes, a space, ``dim`` little-endian float32."""
    data = file.data
    row_bytes = 4 * dim
    # Every word takes at least a space and its numbers: check the file can hold what the
    # header promises before allocating the array (so the allocation is at most the file's size).
    needed = count * (row_bytes + 1)
    if needed > len(data) - start:
        raise VectorFileError(
            "truncated",
            f"{file.shown}: the header promises {_count(count, 'word')} of {_count(dim, 'number')} "
            f"(at least {needed:,} bytes), "
            f"but only {len(data) - start:,} bytes follow it.",
        )
    vectors = np.empty((count, dim), dtype=np.float32)
    words: list[str] = []
    longest_word = 4 * limits.max_line_characters
    position = start
    for index in range(count):
        if position < len(data) and data[position] == 0x0A:  # the C tool ends each vector with a line break
            position += 1
        space = data.find(b" ", position, position + longest_word + 1)
        if space < 0:
            if position + longest_word + 1 < len(data):
                raise VectorFileError(
                    "too-large",
                    f"{file.shown}: word {index + 1:,} (at byte {position:,}) is longer than "
                    f"{limits.max_line_characters:,} characters, or the file is not word2vec binary.",
                )
            raise VectorFileError(
                "truncated",
                f"{file.shown}: the file ends at word {index + 1:,} of the {count:,} its header promises.",
            )
        try:
            word = data[position:space].decode("utf-8")
        except UnicodeDecodeError as error:
            raise VectorFileError(
                "encoding",
                f"{file.shown}: word {index + 1:,} is not UTF-8 "
                f"(byte {position + error.start:,} of the file, 0x{data[position + error.start]:02x}).",
            ) from None
        numbers_start = space + 1
        if numbers_start + row_bytes > len(data):
            raise VectorFileError(
                "truncated",
                f"{file.shown}: the file ends inside the vector of word {index + 1:,} ({_shorten(word)}) "
                f"of the {count:,} its header promises.",
            )
        vectors[index] = np.frombuffer(data, dtype="<f4", count=dim, offset=numbers_start)
        words.append(word)
        position = numbers_start + row_bytes
        if index % 20_000 == 0:
            progress(0.95 * position / len(data), f"Reading {file.shown}: {index:,} of {count:,} words")
    if data[position:].strip():
        raise VectorFileError(
            "row-count-mismatch",
            f"{file.shown}: the header says {_count(count, 'word')}, but more data follows the last of them "
            f"(from byte {position:,}).",
        )
    finite = np.isfinite(vectors).all(axis=1)
    if not finite.all():
        bad = int(np.argmin(finite))
        raise VectorFileError(
            "non-finite",
            f"{file.shown}: word {bad + 1:,} ({_shorten(words[bad])}) has a NaN or infinite value.",
        )
    notes.insert(0, f"Read as word2vec binary: {_count(count, 'word')} of {_count(dim, 'number')} each.")
    return words, vectors


def _read_word_tsv(
    file: _File, limits: VectorLimits, progress: Progress, notes: list[str]
) -> tuple[list[str], np.ndarray]:
    """A .tsv whose first field is not a number: per line a word, a tab, then the numbers.

    A first line whose fields after the word are all non-numbers is a column header and skipped.
    """
    data = file.data
    start = _text_start(file, notes)
    first_line_start = max(start, data.rfind(b"\n", 0, _LEADING_BLANKS.match(data, start).end()) + 1)
    end = data.find(b"\n", first_line_start, first_line_start + 4 * limits.max_line_characters)
    end = len(data) if end < 0 else end
    _, _, rest = data[first_line_start:end].rstrip(b"\r").partition(b"\t")
    fields = _split_fields(rest)
    body_start = start
    if fields and not any(_is_number(token) for token in fields):
        line = 1 + data.count(b"\n", 0, first_line_start)
        notes.append(f"Line {line} holds no numbers after the first column: read as a column header and skipped.")
        body_start = end + 1
        if not data[body_start:].strip():
            raise VectorFileError("no-vectors", f"{file.shown} holds a header line but no vectors.")
    reader = _TextRows(file, _WORD_TAB, limits, progress)
    reader.read(body_start)
    notes.insert(
        0, f"Read as word-and-vectors TSV: {_count(reader.rows, 'word')} of {_count(reader.dim, 'number')} each."
    )
    return reader.words, reader.vectors()


def _read_projector(
    file: _File, metadata_file: _File | None, limits: VectorLimits, progress: Progress, notes: list[str]
) -> tuple[list[str], np.ndarray, pd.DataFrame | None, str]:
    """The Embedding Projector's pair: vectors.tsv (numbers only) and optional metadata.tsv (the words)."""
    reader = _TextRows(file, _NUMBERS, limits, progress)
    reader.read(_text_start(file, notes))
    vectors = reader.vectors()
    notes.insert(0, f"Read as Projector TSV: {_count(reader.rows, 'vector')} of {_count(reader.dim, 'number')} each.")
    if metadata_file is None:
        notes.append("No metadata file: the words are the row numbers 1, 2, 3, …")
        return [str(number) for number in range(1, reader.rows + 1)], vectors, None, "Projector TSV"
    words, frame = _read_metadata(metadata_file, file, reader.rows, limits, notes)
    return words, vectors, frame, "Projector TSV"


def _read_metadata(
    file: _File, vectors_file: _File, rows: int, limits: VectorLimits, notes: list[str]
) -> tuple[list[str], pd.DataFrame | None]:
    """Words (and other columns) from a Projector metadata.tsv, one row per vector.

    One column: no header row (the Projector's rule), unless the file has exactly one
    line more than the vectors and its first line is a column name such as ``word``.
    Several columns: the first line is the header; the word is the column named
    word/label/name/token/text, else the first. Every line is a row (an empty line
    is an empty label); only empty lines at the very end are ignored.
    """
    lines = _decode_text(file, limits).split("\n")
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
        else:
            notes.append(f"{file.shown} has one column and no header row (the Projector's rule): one word per line.")
            words = lines
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
    return words, frame


class _TextRows:
    """Reads the rows of a text vectors file block by block into words and float32 vectors.

    ``dim`` is the expected count of numbers per line (from a header) or None
    (the first row decides); ``header_line`` is the header's line, if any.
    """

    def __init__(
        self,
        file: _File,
        layout: str,
        limits: VectorLimits,
        progress: Progress,
        dim: int | None = None,
        header_line: int | None = None,
    ) -> None:
        self.file = file
        self.layout = layout
        self.limits = limits
        self.progress = progress
        self.dim = dim
        self.header_line = header_line
        self.dim_line: int | None = None  # the line whose count of numbers set ``dim`` (no header)
        self.words: list[str] = []
        self.rows = 0
        self._blocks: list[np.ndarray] = []

    def read(self, start: int) -> None:
        """Read every row from byte ``start`` to the end."""
        data = self.file.data
        line = 1 + data.count(b"\n", 0, start)
        position = start
        while position < len(data):
            end = self._block_end(position, line)
            block = data[position:end]
            if not block.isspace():  # a block of blank lines has nothing to read
                self._read_block(block, line)
            line += block.count(b"\n")
            position = end
            self.progress(0.95 * position / len(data), f"Reading {self.file.shown}: {self.rows:,} rows")
        if self.rows == 0:
            if self.header_line is not None:
                raise VectorFileError("no-vectors", f"{self.file.shown} holds a header line but no vectors.")
            raise VectorFileError("empty", f"{self.file.shown} holds no vectors: it is empty or blank.")

    def _read_block(self, block: bytes, line: int) -> None:
        """Add the rows of one block (its first line is ``line``)."""
        self._check_block(block, line)
        parsed = self._parse_fast(block, line) if _line_breaks_are_plain(block) else None
        words, vectors = parsed if parsed is not None else self._parse_slowly(block, line)
        if self.rows + len(vectors) > self.limits.max_rows:
            self._refuse_too_many_rows(block, line)
        self.rows += len(vectors)
        if words is not None:
            self.words.extend(words)
        if len(vectors):
            self._blocks.append(vectors)

    def vectors(self) -> np.ndarray:
        """All rows as one float32 array (the blocks are released)."""
        if not self._blocks:
            return np.empty((0, self.dim or 0), dtype=np.float32)
        vectors = np.concatenate(self._blocks) if len(self._blocks) > 1 else self._blocks[0]
        self._blocks = []
        return vectors

    # --- blocks ---------------------------------------------------------
    def _block_end(self, position: int, line: int) -> int:
        """Where the block starting at ``position`` ends: after a line break past _BLOCK_BYTES."""
        data = self.file.data
        if len(data) - position <= _BLOCK_BYTES:
            return len(data)
        # A line of more than 4 bytes per allowed character is too long whatever its text,
        # so the search for its end can stop there instead of copying a huge line.
        longest = 4 * self.limits.max_line_characters + 4
        newline = data.find(b"\n", position + _BLOCK_BYTES, position + _BLOCK_BYTES + longest)
        if newline >= 0:
            return newline + 1
        if position + _BLOCK_BYTES + longest >= len(data):
            return len(data)
        long_line = line + data.count(b"\n", position, position + _BLOCK_BYTES)
        raise VectorFileError(
            "too-large",
            f"{self.file.shown}, line {long_line}: "
            f"the line is longer than {self.limits.max_line_characters:,} characters (the limit).",
        )

    def _check_block(self, block: bytes, line: int) -> None:
        """Refuse NUL bytes, text that is not UTF-8 and over-long lines, naming the line."""
        shown = self.file.shown
        _refuse_nul_and_non_utf8(block, shown, line)
        breaks = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 0x0A)
        starts = np.concatenate(([0], breaks + 1))
        ends = np.concatenate((breaks, [len(block)]))
        # Bytes are at least characters: only lines long in bytes need counting in characters.
        for index in np.flatnonzero(ends - starts > self.limits.max_line_characters):
            text = block[starts[index]:ends[index]].decode("utf-8").rstrip("\r")
            if len(text) > self.limits.max_line_characters:
                raise VectorFileError(
                    "too-large",
                    f"{shown}, line {line + int(index)}: {len(text):,} characters; "
                    f"the limit is {self.limits.max_line_characters:,}.",
                )

    def _refuse_too_many_rows(self, block: bytes, line: int) -> None:
        rows, stopped_at = self.rows, line
        for stopped_at, _ in _content_lines(block, line):  # noqa: B007 (the line where reading stopped is kept)
            rows += 1
            if rows > self.limits.max_rows:
                break
        raise VectorFileError(
            "too-large",
            f"{self.file.shown}, line {stopped_at}: more than {self.limits.max_rows:,} rows (the limit); "
            "reading stopped here.",
        )

    # --- parsing ----------------------------------------------------------
    def _parse_fast(self, block: bytes, line: int) -> tuple[list[str] | None, np.ndarray] | None:
        """The block read by pandas' C parser, or None when anything looks wrong."""
        has_words = self.layout != _NUMBERS
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = pd.read_csv(
                    io.BytesIO(block),
                    sep="\t" if self.layout == _WORD_TAB else r"\s+",
                    header=None,
                    quoting=csv.QUOTE_NONE,
                    na_filter=False,  # a word such as "nan" or "NA" stays a word
                    dtype={0: object} if has_words else None,
                    engine="c",
                    low_memory=False,
                    encoding="utf-8",
                )
        except (ValueError, OverflowError):  # pandas' parser errors are ValueErrors: let the slow path name them
            return None
        numbers = frame.iloc[:, 1:] if has_words else frame
        if numbers.shape[1] == 0 or numbers.shape[1] > self.limits.max_dimension:
            return None
        if self.dim is not None and numbers.shape[1] != self.dim:
            return None
        if not all(dtype.kind in "iuf" for dtype in numbers.dtypes):
            return None
        # Through float64 as the line-by-line path does, so both give the same float32.
        with np.errstate(over="ignore", invalid="ignore"):
            vectors = numbers.to_numpy(dtype=np.float64).astype(np.float32)
        if not np.isfinite(vectors).all():
            return None
        if self.dim is None:
            self.dim = numbers.shape[1]
            self.dim_line = line + block.count(b"\n", 0, _LEADING_BLANKS.match(block).end())
        return (frame[0].tolist() if has_words else None), vectors

    def _parse_slowly(self, block: bytes, first_line: int) -> tuple[list[str] | None, np.ndarray]:
        """The block read line by line; raises ``VectorFileError`` naming the first bad line."""
        has_words = self.layout != _NUMBERS
        words: list[str] = []
        rows: list[tuple[int, list[bytes]]] = []  # (line number, number tokens)
        for line, text in _content_lines(block, first_line):
            if self.layout == _WORD_TAB:
                word, _, rest = text.partition(b"\t")
                tokens = _split_fields(rest)
            elif self.layout == _WORD_SPACES:
                tokens = _split_fields(text)
                word = tokens.pop(0)
            else:
                word, tokens = b"", _split_fields(text)
            self._check_count(len(tokens), line, rows_before=self.rows + len(rows))
            if has_words:
                words.append(word.decode("utf-8"))
            rows.append((line, tokens))
        if not rows:
            return (words if has_words else None), np.empty((0, self.dim or 0), dtype=np.float32)
        try:
            values = np.array(list(itertools.chain.from_iterable(tokens for _, tokens in rows)), dtype=np.float64)
        except ValueError:
            raise self._non_number_error(rows) from None
        with np.errstate(over="ignore", invalid="ignore"):
            vectors = values.astype(np.float32).reshape(len(rows), self.dim)
        finite = np.isfinite(vectors)
        if not finite.all():
            row, column = np.argwhere(~finite)[0]
            line, tokens = rows[row]
            raise VectorFileError(
                "non-finite",
                f"{self.file.shown}, line {line}: {_shorten(tokens[column])} is not a finite number "
                "(NaN, infinity, or too large for float32).",
            )
        return (words if has_words else None), vectors

    def _check_count(self, found: int, line: int, rows_before: int) -> None:
        """Refuse a row with a different count of numbers than the header or the first row."""
        shown = self.file.shown
        after = " after the word" if self.layout != _NUMBERS else ""
        if self.dim is None:
            if found == 0:
                raise VectorFileError(
                    "no-vectors",
                    f"{shown}, line {line}: a word without numbers; each line needs a word and its vector.",
                )
            if found > self.limits.max_dimension:
                raise VectorFileError(
                    "too-large",
                    f"{shown}, line {line}: {found:,} numbers; the limit is {self.limits.max_dimension:,} per vector.",
                )
            self.dim, self.dim_line = found, line
            return
        if found == self.dim:
            return
        if self.header_line is not None and rows_before == 0:
            raise VectorFileError(
                "header",
                f"{shown}, line {line}: {found:,} numbers{after}, but the header on line {self.header_line} "
                f"says {self.dim:,}.",
            )
        source = f"the header on line {self.header_line}" if self.header_line is not None else f"line {self.dim_line}"
        raise VectorFileError(
            "ragged",
            f"{shown}, line {line}: {found:,} numbers{after}; expected {self.dim:,} like {source}.",
        )

    def _non_number_error(self, rows: list[tuple[int, list[bytes]]]) -> VectorFileError:
        """The error naming the first token that is not a number."""
        for line, tokens in rows:
            for token in tokens:
                if not _is_number(token):
                    return VectorFileError(
                        "not-a-number", f"{self.file.shown}, line {line}: {_shorten(token)} is not a number."
                    )
        first, last = rows[0][0], rows[-1][0]
        return VectorFileError("not-a-number", f"{self.file.shown}, lines {first}-{last}: a value is not a number.")


def _drop_duplicates(
    words: list[str], vectors: np.ndarray, frame: pd.DataFrame | None, notes: list[str]
) -> tuple[list[str], np.ndarray, pd.DataFrame | None]:
    """Keep the first row of each word; a note counts the later ones dropped."""
    duplicated = pd.Index(words, dtype=object).duplicated(keep="first")
    dropped = int(duplicated.sum())
    if not dropped:
        return words, vectors, frame
    examples = list(dict.fromkeys(word for word, is_duplicate in zip(words, duplicated) if is_duplicate))[:3]
    keep = ~duplicated
    words = [word for word, kept in zip(words, keep) if kept]
    vectors = vectors[keep]
    if frame is not None:
        frame = frame[keep].reset_index(drop=True)
    notes.append(
        f"{dropped:,} duplicate word{'s' if dropped != 1 else ''} (e.g. {', '.join(_shorten(w) for w in examples)}): "
        "the first vector of each was kept."
    )
    return words, vectors, frame


# --- writing the Projector's pair ----------------------------------------------


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


# --- coordinates -----------------------------------------------------------------


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
    text = _decode_text(file, limits)
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


# --- unpacking and refusing --------------------------------------------------------


def _unpack(data: bytes, filename: str, limits: VectorLimits, notes: list[str]) -> list[_File]:
    """The file(s) inside an upload: itself, its decompressed content, or a zip's one file or vectors/metadata pair."""
    if len(data) > limits.max_bytes:
        raise VectorFileError(
            "too-large", f"{filename} is {_megabytes(len(data))}; the limit is {_megabytes(limits.max_bytes)}."
        )
    if not data:
        raise VectorFileError("empty", f"{filename} is empty.")
    _refuse_pickle(filename, data, filename)
    kind = _compression(filename, data, filename)
    if kind is None:
        return [_File(filename, filename, data)]
    if kind == "zip":
        files = _unzip(data, filename, limits)
    else:
        inner = filename[: -len(_extension(filename))] if _extension(filename) in _COMPRESSED_EXTENSIONS else filename
        files = [_File(inner, filename, _decompress(kind, data, filename, limits))]
    for file in files:
        if not file.data:
            raise VectorFileError("empty", f"{file.shown} is empty once unpacked.")
        _refuse_pickle(file.name, file.data, file.shown)
        if _compression(file.name, file.data, file.shown) is not None:
            raise VectorFileError(
                "archive", f"{file.shown} is itself compressed; archives inside archives are not unpacked."
            )
    contents = ", ".join(f"{PurePosixPath(file.name).name} ({_megabytes(len(file.data))})" for file in files)
    notes.append(f"Unpacked {kind}: {filename} holds {contents}.")
    return files


def _compression(name: str, data: bytes, shown: str) -> str | None:
    """The compression of ``data`` by its first bytes (gzip, bzip2, zip) or None.

    A name promising a compression (.gz, .bz2, .zip) that the bytes lack is refused.
    """
    if data.startswith(b"\x1f\x8b"):
        return "gzip"
    if _BZIP2_MAGIC.match(data):
        return "bzip2"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    expected = _COMPRESSED_EXTENSIONS.get(_extension(name))
    if expected is not None:
        raise VectorFileError("archive", f"{shown} is named like {expected} data but does not start like it.")
    return None


def _decompress(kind: str, data: bytes, shown: str, limits: VectorLimits) -> bytes:
    """gzip or bzip2 content, streamed in pieces and refused as soon as it exceeds ``limits.max_bytes``."""
    try:
        stream = gzip.GzipFile(fileobj=io.BytesIO(data)) if kind == "gzip" else bz2.BZ2File(io.BytesIO(data))
        with stream:
            return _read_capped(stream, shown, limits.max_bytes)
    except VectorFileError:
        raise
    except EOFError:
        raise VectorFileError("truncated", f"{shown}: the {kind} data ends early; the file is cut short.") from None
    except (OSError, zlib.error, ValueError) as error:
        raise VectorFileError("archive", f"{shown} cannot be decompressed as {kind}: {error}.") from None


def _read_capped(stream, shown: str, cap: int) -> bytes:
    """Everything ``stream`` yields, read in pieces so that no more than ``cap`` bytes are ever held."""
    # BytesIO hands over its buffer without copying it, so the content is held once, not twice.
    content = io.BytesIO()
    while piece := stream.read(_PIECE_BYTES):
        if content.tell() + len(piece) > cap:
            raise VectorFileError(
                "too-large",
                f"{shown} unpacks to more than {_megabytes(cap)} (the limit); unpacking stopped there.",
            )
        content.write(piece)
    return content.getvalue()


def _unzip(data: bytes, filename: str, limits: VectorLimits) -> list[_File]:
    """The one file of a zip, or its vectors + metadata pair (vectors first)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            for member in members:
                parts = re.split(r"[/\\]", member.filename)
                if member.filename.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", member.filename) or ".." in parts:
                    raise VectorFileError(
                        "archive", f"{filename} holds a file outside its folder ({member.filename!r}); refused."
                    )
            members = [m for m in members if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
            for member in members:
                _refuse_pickle(member.filename, b"", f"{member.filename} in {filename}")
            if not members:
                raise VectorFileError("archive", f"{filename} holds no files.")
            metadata = [m for m in members if "metadata" in PurePosixPath(m.filename).name.lower()]
            if len(members) == 2 and len(metadata) == 1:
                members = [m for m in members if m is not metadata[0]] + metadata
            elif len(members) != 1:
                listed = ", ".join(repr(m.filename) for m in members[:10]) + (", …" if len(members) > 10 else "")
                raise VectorFileError(
                    "archive",
                    f"{filename} holds {len(members)} files ({listed}); a zip must hold one vectors file, "
                    "or a vectors.tsv and a metadata.tsv.",
                )
            files, budget = [], limits.max_bytes
            for member in members:
                shown = f"{member.filename} in {filename}"
                # The declared size is not trusted: reading stops at the cap whatever the header says.
                with archive.open(member) as stream:
                    content = _read_capped(stream, shown, budget)
                budget -= len(content)
                files.append(_File(member.filename, shown, content))
            return files
    except VectorFileError:
        raise
    except EOFError:
        raise VectorFileError("truncated", f"{filename}: the zip data ends early; the file is cut short.") from None
    # A damaged or unusual zip raises many kinds of error from the standard library; to the user they all
    # mean the same thing (RuntimeError: encrypted; NotImplementedError: an unsupported compression method).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, zlib.error, lzma.LZMAError, struct.error,
            NotImplementedError, RuntimeError, ValueError, KeyError) as error:
        raise VectorFileError("archive", f"{filename} cannot be read as a zip: {error}.") from None


def _refuse_pickle(name: str, data: bytes, shown: str) -> None:
    """Refuse pickles by name (.pkl, .model, .npy, .pt, …) and by their first bytes, whatever the name."""
    why = "loading a pickle runs code from the file, so uploaded pickles are never loaded"
    advice = "save the vectors as word2vec text or binary (KeyedVectors.save_word2vec_format) or as Projector TSV"
    extension = _extension(name)
    if extension in PICKLE_EXTENSIONS:
        raise VectorFileError("pickle", f"{shown}: {extension} files are (or may hold) pickles; {why}; {advice}.")
    if len(data) >= 2 and data[0] == 0x80 and 2 <= data[1] <= 5:
        raise VectorFileError("pickle", f"{shown} is a pickle (protocol {data[1]}); {why}; {advice}.")
    if data.startswith(b"\x93NUMPY"):
        raise VectorFileError("pickle", f"{shown} is a NumPy .npy file, which may hold pickles; {why}; {advice}.")


# --- small helpers ------------------------------------------------------------------


def _text_start(file: _File, notes: list[str]) -> int:
    """Where the text starts (after a UTF-8 byte-order mark); UTF-16 text is refused with advice."""
    data = file.data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise VectorFileError("encoding", f"{file.shown} is UTF-16 text; save it as UTF-8.")
    if data.startswith(_UTF8_BOM):
        notes.append("A UTF-8 byte-order mark at the start was ignored.")
        return len(_UTF8_BOM)
    return 0


def _decode_text(file: _File, limits: VectorLimits) -> str:
    """A small text file's content as text: NUL bytes, UTF-16 and non-UTF-8 are refused, naming the line."""
    data = file.data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise VectorFileError("encoding", f"{file.shown} is UTF-16 text; save it as UTF-8.")
    _refuse_nul_and_non_utf8(data, file.shown, 1)
    text = data.decode("utf-8-sig")
    lines = text.split("\n")
    if max(map(len, lines)) <= limits.max_line_characters:  # the common case, without a Python loop
        return text
    for number, line in enumerate(lines, start=1):
        if len(line) > limits.max_line_characters:
            raise VectorFileError(
                "too-large",
                f"{file.shown}, line {number}: {len(line):,} characters; the limit is {limits.max_line_characters:,}.",
            )
    return text


def _refuse_nul_and_non_utf8(text: bytes, shown: str, first_line: int) -> None:
    """Refuse NUL bytes (binary data) and bytes that are not UTF-8, naming the line and the byte."""
    nul = text.find(b"\x00")
    if nul >= 0:
        line = first_line + text.count(b"\n", 0, nul)
        raise VectorFileError("binary", f"{shown}, line {line}: a NUL byte; this is binary data, not text.")
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as error:
        line = first_line + text.count(b"\n", 0, error.start)
        column = error.start - (text.rfind(b"\n", 0, error.start) + 1) + 1
        raise VectorFileError(
            "encoding",
            f"{shown}, line {line}: byte {column} of the line (0x{text[error.start]:02x}) is not UTF-8; "
            "save the file as UTF-8.",
        ) from None


def _first_field_is_number(file: _File) -> bool:
    """Whether the first non-blank line of a .tsv starts with a number (Projector vectors) rather than a word."""
    data = file.data
    start = _LEADING_BLANKS.match(data, len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0).end()
    return _is_number(_FIRST_FIELD.match(data, start).group())


def _content_lines(block: bytes, first_line: int) -> Iterator[tuple[int, bytes]]:
    """(line number, text without its \\r\\n) of every line that is not blank.

    Found by a regular expression, so that megabytes of blank lines cost no Python loop.
    """
    line, counted = first_line, 0
    for match in _CONTENT_LINE.finditer(block):
        line += block.count(b"\n", counted, match.start())
        counted = match.start()
        text = match.group()
        yield line, (text[:-1] if text.endswith(b"\r") else text)


def _line_breaks_are_plain(block: bytes) -> bool:
    """Whether every carriage return is part of a \\r\\n (pandas treats a lone \\r as a line break; we do not)."""
    return block.count(b"\r") == block.count(b"\r\n")


def _split_fields(line: bytes) -> list[bytes]:
    """Fields separated by runs of spaces or tabs (only these, as pandas' whitespace separator)."""
    stripped = line.strip(b" \t")
    return _FIELD_SEPARATOR.split(stripped) if stripped else []


def _is_number(token: bytes) -> bool:
    try:
        np.array([token], dtype=np.float64)
    except ValueError:
        return False
    return bool(token)


def _is_utf8(data: bytes, final: bool = True) -> bool:
    """Whether ``data`` is UTF-8; with ``final=False`` a character cut off at the end is allowed."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


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
