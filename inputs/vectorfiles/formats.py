"""``read_vectors``: the format of an upload, told by name and content, and the word2vec family read."""

from __future__ import annotations

import re
import time
from collections import Counter

import numpy as np
import pandas as pd

from common.progress import Progress, no_progress
from inputs.vectorfiles.archives import UNSUPPORTED_ARCHIVE_EXTENSIONS, _unpack
from inputs.vectorfiles.base import VectorFileError, VectorLimits, VectorSet, _count, _extension, _File, _shorten
from inputs.vectorfiles.projector import _first_field_is_number, _read_projector
from inputs.vectorfiles.text import (
    _REPLACEMENT,
    _WORD_SPACES,
    _WORD_TAB,
    _blanks_end,
    _is_number,
    _is_utf8,
    _Replacements,
    _split_fields,
    _text_start,
    _TextRows,
)

TEXT_EXTENSIONS = (".txt", ".vec", "")
# A word2vec header: optional blank lines, then a line of exactly two integers. (Greedy
# classes that cannot overlap, so a file of megabytes of spaces is scanned once.)
_HEADER = re.compile(rb"[ \t\r\n]*([0-9]+)[ \t]+([0-9]+)[ \t\r]*(?:\n|\Z)")


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
    first vector wins and a note counts the dropped ones. Bytes of a word that
    are not UTF-8 become U+FFFD, as gensim's ``unicode_errors="replace"`` reads
    them, and a note names the words' lines.
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

    replaced = _Replacements()
    words, vectors, frame, format_name = _read_any(vectors_file, metadata_file, limits, progress, notes, replaced)
    words, vectors, frame = _drop_duplicates(words, vectors, frame, notes, replaced)
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
    file: _File,
    metadata_file: _File | None,
    limits: VectorLimits,
    progress: Progress,
    notes: list[str],
    replaced: _Replacements,
) -> tuple[list[str], np.ndarray, pd.DataFrame | None, str]:
    """Detect the format of ``file`` and read it: words, vectors, metadata and the format's name.

    Words whose bytes were not UTF-8 are noted in ``replaced``.
    """
    extension = _extension(file.name)
    if extension in UNSUPPORTED_ARCHIVE_EXTENSIONS:
        raise VectorFileError(
            "archive",
            f"{file.shown}: {extension} archives are not unpacked; upload the file itself, .gz, .bz2 or .zip.",
        )
    if extension == ".tsv" and _first_field_is_number(file):
        return _read_projector(file, metadata_file, limits, progress, notes, replaced)
    if metadata_file is not None:
        raise VectorFileError(
            "format",
            f"{metadata_file.shown} is metadata, which goes with a Projector vectors.tsv of numbers only; "
            f"{file.shown} already names its words.",
        )
    if extension == ".tsv":
        words, vectors = _read_word_tsv(file, limits, progress, notes, replaced)
        return words, vectors, None, "word-and-vectors TSV"
    if extension in TEXT_EXTENSIONS or extension == ".bin":
        words, vectors, format_name = _read_word2vec_family(file, extension, limits, progress, notes, replaced)
        return words, vectors, None, format_name
    raise VectorFileError(
        "format",
        f"{file.shown}: {extension or 'a name without extension'} is not a vectors format read here. "
        "Use .txt or .vec (a word and its numbers per line, separated by spaces), .bin (word2vec binary) "
        "or .tsv (the Embedding Projector's vectors.tsv), optionally in .gz, .bz2 or .zip.",
    )


def _read_word2vec_family(
    file: _File, extension: str, limits: VectorLimits, progress: Progress, notes: list[str], replaced: _Replacements
) -> tuple[list[str], np.ndarray, str]:
    """word2vec text or binary, GloVe text or fastText .vec, told apart by extension, header and content."""
    data = file.data
    start = _text_start(file, notes)
    header = _HEADER.match(data, start)
    if extension == ".bin" and header is None:
        raise VectorFileError(
            "header",
            f"{file.shown}, line 1: a word2vec binary file starts with a line 'count dimension' "
            f"(e.g. '400000 50'), not {_shorten(data[start:start + 40])}.",
        )
    count: int | None = None
    dim: int | None = None
    header_line: int | None = None
    # Everything that needs the header's numbers stays in this block, where they are ints.
    if header is not None:
        count, dim = int(header.group(1)), int(header.group(2))
        header_line = 1 + data.count(b"\n", 0, header.start(1))
        _check_header(file, count, dim, header_line, limits)
        if _binary_follows(data, header.end(), dim, extension, limits):
            if extension != ".bin":
                notes.append(f"{file.shown} holds binary data after its header: read as word2vec binary.")
            words, vectors = _read_word2vec_binary(file, header.end(), count, dim, limits, progress, notes, replaced)
            return words, vectors, "word2vec binary"
        if extension == ".bin":
            notes.append(f"{file.shown} is named .bin but holds text: read as word2vec text.")
        promise = f"{_count(count, 'word')} of {_count(dim, 'number')} each"
        notes.append(f"Line {header_line} ('{count} {dim}') is a header: {promise}.")
        body_start = header.end()
    else:
        notes.append("No header line: every line is a word followed by its numbers (GloVe style).")
        body_start = start

    if extension == ".vec":
        format_name = "fastText .vec"
    else:
        format_name = "word2vec text" if header is not None else "GloVe text"
    reader = _TextRows(file, _WORD_SPACES, limits, progress, dim=dim, header_line=header_line, replaced=replaced)
    reader.read(body_start)
    if count is not None and reader.rows != count:
        raise VectorFileError(
            "row-count-mismatch",
            f"{file.shown}, line {header_line}: the header says {_count(count, 'word')}, "
            f"but the file holds {reader.rows:,}.",
        )
    counts = f"{_count(reader.rows, 'word')} of {_count(reader.numbers_per_row, 'number')} each"
    notes.insert(0, f"Read as {format_name}: {counts}.")
    replaced.note(notes)
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
    so that a Latin-1 file is read as text, its bad bytes replaced). Otherwise a .bin is binary, and so
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
    file: _File,
    start: int,
    count: int,
    dim: int,
    limits: VectorLimits,
    progress: Progress,
    notes: list[str],
    replaced: _Replacements,
) -> tuple[list[str], np.ndarray]:
    """word2vec binary after its header: per word its UTF-8 bytes, a space, ``dim`` little-endian float32.

    A word that is not UTF-8 (often one cut inside a character by the tool that wrote the file)
    is read with U+FFFD for its bad bytes; a note gives its position in the file.
    """
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
        except UnicodeDecodeError:
            word = replaced.word(data[position:space])
            replaced.places.append(index + 1)
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
    replaced.note(notes, unit="word", suffix=" of the file")
    return words, vectors


def _read_word_tsv(
    file: _File, limits: VectorLimits, progress: Progress, notes: list[str], replaced: _Replacements
) -> tuple[list[str], np.ndarray]:
    """A .tsv whose first field is not a number: per line a word, a tab, then the numbers.

    A first line whose fields after the word are all non-numbers is a column header and skipped.
    """
    data = file.data
    start = _text_start(file, notes)
    first_line_start = max(start, data.rfind(b"\n", 0, _blanks_end(data, start)) + 1)
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
    reader = _TextRows(file, _WORD_TAB, limits, progress, replaced=replaced)
    reader.read(body_start)
    counts = f"{_count(reader.rows, 'word')} of {_count(reader.numbers_per_row, 'number')} each"
    notes.insert(0, f"Read as word-and-vectors TSV: {counts}.")
    replaced.note(notes)
    return reader.words, reader.vectors()


def _drop_duplicates(
    words: list[str], vectors: np.ndarray, frame: pd.DataFrame | None, notes: list[str], replaced: _Replacements
) -> tuple[list[str], np.ndarray, pd.DataFrame | None]:
    """Keep the first row of each word; notes count the later ones dropped.

    Rows of one word as read but of different bytes in the file (``replaced`` knows the bytes of the
    words read with U+FFFD) became duplicates only through that replacement: a note of their own says so.
    """
    duplicated = pd.Index(words, dtype=object).duplicated(keep="first")
    dropped = int(duplicated.sum())
    if not dropped:
        return words, vectors, frame
    # Per word, the rows beyond its first are repeats of the same bytes, or other bytes shown alike.
    became: dict[str, int] = {}
    if replaced.raw:
        counts = Counter(words)
        for word, forms in replaced.raw.items():
            distinct = set(forms) | ({word.encode("utf-8")} if counts[word] > len(forms) else set())
            if counts[word] > 1 and len(distinct) > 1:
                became[word] = len(distinct) - 1
    repeated_words = list(dict.fromkeys(word for word, is_duplicate in zip(words, duplicated) if is_duplicate))
    if became:
        repeated_words = [word for word in repeated_words if word not in became or counts[word] - 1 > became[word]]
    keep = ~duplicated
    words = [word for word, kept in zip(words, keep) if kept]
    vectors = vectors[keep]
    if frame is not None:
        frame = frame[keep].reset_index(drop=True)
    repeated = dropped - sum(became.values())
    if repeated:
        notes.append(
            f"{_count(repeated, 'duplicate word')} (e.g. {', '.join(_shorten(w) for w in repeated_words[:3])}): "
            "the first vector of each was kept."
        )
    if became:
        count = sum(became.values())
        notes.append(
            f"{_count(count, 'word')} became {'a duplicate' if count == 1 else 'duplicates'} only once "
            f"{'its' if count == 1 else 'their'} bad bytes were shown as {_REPLACEMENT} "
            f"(e.g. {', '.join(_shorten(w) for w in list(became)[:3])}): the first vector of each was kept."
        )
    return words, vectors, frame
