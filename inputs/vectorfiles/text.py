"""Text vectors files as bytes: encoding checks, lines and fields, and the block reader ``_TextRows``.

Bytes that are not UTF-8 are read as gensim's ``load_word2vec_format(..., unicode_errors="replace")``
reads them: Python's decoder puts U+FFFD in place of each bad byte (or cut-off character), and a
note names the lines. Only a block that fails to decode pays for finding them. NUL bytes (binary
data) and UTF-16 stay refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from common.progress import Progress
from inputs.vectorfiles.base import VectorFileError, VectorLimits, _count, _File, _shorten

_BLOCK_BYTES = 4 * 1024 * 1024
_UTF8_BOM = codecs.BOM_UTF8
_FIELD_SEPARATOR = re.compile(rb"[ \t]+")
_LEADING_BLANKS = re.compile(rb"[ \t\r\n]*")
# A line holding something other than ASCII whitespace (from its start to its line break).
_CONTENT_LINE = re.compile(rb"^[ \t\r\x0b\x0c]*[^\s][^\n]*", re.MULTILINE)
# Layouts of a text line.
_WORD_SPACES = "word then numbers, separated by spaces"
_WORD_TAB = "word, a tab, then numbers"
_NUMBERS = "numbers only"
#: How many places (lines, or word positions in binary) a note about bytes that are not UTF-8 lists.
_PLACES_SHOWN = 5
_REPLACEMENT = "\ufffd"


@dataclass
class _Replacements:
    """Words read with U+FFFD in place of bytes that are not UTF-8.

    ``places`` are their lines (in word2vec binary, their positions), in file order; ``raw`` holds per
    word as read the bytes of each occurrence, so that ``_drop_duplicates`` tells a word the file
    repeats from words that became equal only once their bad bytes were replaced.
    """

    places: list[int] = field(default_factory=list)
    raw: dict[str, list[bytes]] = field(default_factory=dict)

    def word(self, raw: bytes) -> str:
        """``raw`` read with U+FFFD for its bad bytes, its bytes remembered (the caller notes its place)."""
        word = raw.decode("utf-8", errors="replace")
        self.raw.setdefault(word, []).append(raw)
        return word

    def note(self, notes: list[str], unit: str = "line", suffix: str = "") -> None:
        """The note saying how many words were not UTF-8 and where (nothing when none was)."""
        if self.places:
            notes.append(_not_utf8_note(_count(len(self.places), "word"), unit, self.places, suffix))


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
        replaced: _Replacements | None = None,
    ) -> None:
        self.file = file
        self.layout = layout
        self.limits = limits
        self.progress = progress
        self.dim = dim
        self.header_line = header_line
        self.replaced = _Replacements() if replaced is None else replaced
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
        block = self._check_block(block, line)
        parsed = self._parse_fast(block, line) if _line_breaks_are_plain(block) else None
        words, vectors = parsed if parsed is not None else self._parse_slowly(block, line)
        if self.rows + len(vectors) > self.limits.max_rows:
            self._refuse_too_many_rows(block, line)
        self.rows += len(vectors)
        if words is not None:
            self.words.extend(words)
        if len(vectors):
            self._blocks.append(vectors)

    @property
    def numbers_per_row(self) -> int:
        """``dim`` once ``read`` is done (it refuses a file without rows, and the first row sets ``dim``)."""
        assert self.dim is not None, "no row read yet"
        return self.dim

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

    def _check_block(self, block: bytes, line: int) -> bytes:
        """Refuse NUL bytes and over-long lines, naming the line; the block to parse is returned.

        A block that is not UTF-8 comes back with U+FFFD for its bad bytes, and the words of its bad
        lines are noted in ``self.replaced``; a bad byte outside a word then reads as a bad number.
        """
        shown = self.file.shown
        _refuse_nul(block, shown, line)
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            block = self._replace_bad_bytes(block, line)
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
        return block

    def _replace_bad_bytes(self, block: bytes, line: int) -> bytes:
        """``block`` with U+FFFD for its bytes that are not UTF-8; its bad lines' words are noted."""
        lines = block.split(b"\n")
        for index in _lines_not_utf8(lines):
            self.replaced.places.append(line + index)
            text = lines[index].removesuffix(b"\r")  # as ``_content_lines`` gives it to ``_parse_slowly``
            if self.layout == _WORD_TAB:
                self.replaced.word(text.partition(b"\t")[0])
            elif self.layout == _WORD_SPACES:
                self.replaced.word(_split_fields(text)[0])
        return block.decode("utf-8", errors="replace").encode("utf-8")

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
        if block.startswith(_UTF8_BOM):  # pandas drops it as a byte-order mark; here it starts a word
            return None
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
            self.dim_line = line + block.count(b"\n", 0, _blanks_end(block))
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
        assert self.dim is not None  # set by _check_count at the first row
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


def _text_start(file: _File, notes: list[str]) -> int:
    """Where the text starts (after a UTF-8 byte-order mark); UTF-16 text is refused with advice."""
    data = file.data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise VectorFileError("encoding", f"{file.shown} is UTF-16 text; save it as UTF-8.")
    if data.startswith(_UTF8_BOM):
        notes.append("A UTF-8 byte-order mark at the start was ignored.")
        return len(_UTF8_BOM)
    return 0


def _decode_text(
    file: _File, limits: VectorLimits, notes: list[str], windows_1252: bool = False
) -> tuple[str, list[int]]:
    """A small text file's content as text, and the lines (from 1) read with U+FFFD, named in a note.

    NUL bytes, UTF-16 and over-long lines are refused, naming the line. Bytes that are not UTF-8 are
    read as U+FFFD, as in vectors files; with ``windows_1252`` (and no UTF-8 byte-order mark) such a
    file is read instead as Windows-1252, or Latin-1 where that has no character, as word lists are.
    """
    data = file.data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise VectorFileError("encoding", f"{file.shown} is UTF-16 text; save it as UTF-8.")
    _refuse_nul(data, file.shown, 1)
    bad_lines: list[int] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if windows_1252 and not data.startswith(_UTF8_BOM):  # without a byte-order mark, error.start is in data
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "Latin-1"  # decodes any byte
            first_bad = 1 + data.count(b"\n", 0, error.start)
            notes.append(
                f"{file.shown} is not UTF-8 (line {first_bad:,} holds byte 0x{data[error.start]:02x}), so it was "
                f"read as {encoding}: check that accented letters look right, or save the file as UTF-8."
            )
        else:
            bad_lines = [index + 1 for index in _lines_not_utf8(data.split(b"\n"))]
            text = data.decode("utf-8-sig", errors="replace")
            notes.append(f"{file.shown}: " + _not_utf8_note(_count(len(bad_lines), "line"), "line", bad_lines))
    lines = text.split("\n")
    if max(map(len, lines)) <= limits.max_line_characters:  # the common case, without a Python loop
        return text, bad_lines
    for number, line in enumerate(lines, start=1):
        if len(line) > limits.max_line_characters:
            raise VectorFileError(
                "too-large",
                f"{file.shown}, line {number}: {len(line):,} characters; the limit is {limits.max_line_characters:,}.",
            )
    return text, bad_lines


def _refuse_nul(text: bytes, shown: str, first_line: int) -> None:
    """Refuse NUL bytes (binary data), naming the line."""
    nul = text.find(b"\x00")
    if nul >= 0:
        line = first_line + text.count(b"\n", 0, nul)
        raise VectorFileError("binary", f"{shown}, line {line}: a NUL byte; this is binary data, not text.")


def _lines_not_utf8(lines: list[bytes]) -> list[int]:
    """The indexes of the ``lines`` that are not UTF-8 (a Python loop: only for text known to hold some)."""
    bad = []
    for index, line in enumerate(lines):
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(index)
    return bad


def _not_utf8_note(counted: str, unit: str, places: list[int], suffix: str = "") -> str:
    """``"2 words were not valid UTF-8 (lines 150 and 284); their bad bytes are shown as \ufffd."``

    ``counted`` is the count and its noun (``"2 words"``), ``unit`` what ``places`` count ("line", "word").
    """
    shown = [f"{place:,}" for place in places[:_PLACES_SHOWN]]
    if len(places) > _PLACES_SHOWN:
        shown.append(f"{len(places) - _PLACES_SHOWN:,} more")
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    one = len(places) == 1
    return (
        f"{counted} {'was' if one else 'were'} not valid UTF-8 ({unit}{'' if one else 's'} {listed}{suffix}); "
        f"{'its' if one else 'their'} bad bytes are shown as {_REPLACEMENT}."
    )


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


def _blanks_end(data: bytes, start: int = 0) -> int:
    """Where the run of spaces, tabs and line breaks at ``start`` ends (``start`` itself when there is none)."""
    blanks = _LEADING_BLANKS.match(data, start)
    assert blanks is not None  # the pattern matches an empty run too
    return blanks.end()


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
