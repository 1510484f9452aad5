"""Reading uploaded word-vector files: round trips with real GloVe vectors, hostile files, bombs, pickles."""

import bz2
import gzip
import io
import pathlib
import pickle
import struct
import tracemalloc
import zipfile
import zlib

import numpy as np
import pandas as pd
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from embedders.base import keyed_vectors_from
from inputs import vectorfiles
from inputs.vectorfiles import (
    CATEGORIES,
    VectorFileError,
    VectorLimits,
    read_coordinates,
    read_vectors,
    to_projector_tsv,
)
from inputs.vectorfiles.text import _is_utf8

#: Words a UI must show as plain text; none holds a space, so word2vec text can carry them all.
ODD_WORDS = [
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "**star**",
    "[link](http://example.com)",
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew, right to left
    "a\u200fb",  # with a right-to-left mark
    "\U0001f600",
    "na\u00efve",
    "nan",
    "NA",
    "1e5",
    "x" * 3000,
]


#: Property tests: modest example counts, no deadline (the first call imports pandas' parser),
#: and no example database written into the repository.
PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


#: The note on words that were not UTF-8: ``.format("2 words were", "lines 3 and 7")``.
NOT_UTF8_NOTE = "{} not valid UTF-8 ({}); %s bad bytes are shown as \ufffd."


# --- helpers ------------------------------------------------------------------


def not_utf8_note(count: int, places: str, noun: str = "word") -> str:
    """The note for ``count`` words (or lines) that were not UTF-8, at ``places`` ("lines 3 and 7")."""
    counted = f"{count:,} {noun}{'s' if count != 1 else ''} {'was' if count == 1 else 'were'}"
    return NOT_UTF8_NOTE.format(counted, places) % ("its" if count == 1 else "their")


def error_of(data: bytes, filename: str, **keywords) -> VectorFileError:
    with pytest.raises(VectorFileError) as caught:
        read_vectors(data, filename, **keywords)
    return caught.value


def assert_refused(data: bytes, filename: str, category: str, line: int | None = None, **keywords) -> str:
    """The file is refused with ``category``, and the message names the file (and the line)."""
    error = error_of(data, filename, **keywords)
    message = str(error)
    assert error.category == category, message
    assert filename in message
    if line is not None:
        assert f"line {line}:" in message, message
    return message


def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate data of ``size`` zero bytes and their CRC-32, built without holding them.

    After a full flush the compressor starts afresh, so every further megabyte of zeros
    compresses to the same bytes: the stream is one block repeated.
    """
    megabyte = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(megabyte)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * (size >> 20) + compressor.flush()
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(megabyte, crc)
    return stream, crc


def gzip_bomb(size: int) -> bytes:
    stream, crc = deflated_zeros(size)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + stream + struct.pack("<II", crc, size & 0xFFFFFFFF)


def zip_bomb(size: int, declared_size: int | None = None, name: bytes = b"zeros.txt") -> bytes:
    """A one-member zip of ``size`` zeros whose headers declare ``declared_size`` (default: the truth)."""
    stream, crc = deflated_zeros(size)
    declared = size if declared_size is None else declared_size
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), declared, len(name), 0)
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(stream), declared, len(name), 0, 0, 0, 0, 0, 0
    )
    directory_offset = len(local) + len(name) + len(stream)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name), directory_offset, 0)
    return local + name + stream + central + name + end


def text_file(words, vectors, header: bool = False, line_end: str = "\n", fmt: str = "%.9g") -> bytes:
    lines = [f"{len(words)} {vectors.shape[1]}"] if header else []
    lines += [word + " " + " ".join(fmt % value for value in row) for word, row in zip(words, vectors.tolist())]
    return "".join(line + line_end for line in lines).encode("utf-8")


def check_consistent(result: vectorfiles.VectorSet) -> None:
    assert len(result.words) == result.vectors.shape[0] > 0
    assert result.vectors.dtype == np.float32 and result.vectors.ndim == 2
    assert result.vectors.flags["C_CONTIGUOUS"]
    assert np.isfinite(result.vectors).all()
    assert len(set(result.words)) == len(result.words)
    assert all(isinstance(word, str) for word in result.words)
    assert result.metadata is None or len(result.metadata) == len(result.words)
    assert result.format and result.notes and result.seconds >= 0


# --- fixtures: real GloVe words plus odd ones -------------------------------------


@pytest.fixture(scope="module")
def sample(glove):
    """300 real GloVe words (from index 1000) and the odd words, with float32 vectors."""
    kv = glove.keyed_vectors
    words = list(kv.index_to_key[1000:1300])
    rng = np.random.default_rng(7)
    odd = rng.normal(size=(len(ODD_WORDS), kv.vector_size)).astype(np.float32)
    odd[0, :4] = [1e-40, -3.4e38, -0.0, 1.1754944e-38]  # subnormal, near float32's limit, negative zero
    vectors = np.vstack([kv.vectors[1000:1300], odd]).astype(np.float32)
    return words + ODD_WORDS, vectors


@pytest.fixture(scope="module")
def gensim_files(sample, tmp_path_factory):
    """The sample written by gensim's own save_word2vec_format: (text bytes, binary bytes, gensim's parse)."""
    words, vectors = sample
    folder = tmp_path_factory.mktemp("gensim")
    kv = keyed_vectors_from(words, vectors)
    kv.save_word2vec_format(str(folder / "sample.txt"), binary=False)
    kv.save_word2vec_format(str(folder / "sample.bin"), binary=True)
    # Our own trusted file: gensim's reader is the reference for what its text means.
    reference = KeyedVectors.load_word2vec_format(str(folder / "sample.txt"), binary=False)
    return (folder / "sample.txt").read_bytes(), (folder / "sample.bin").read_bytes(), reference


# --- round trips -----------------------------------------------------------------------


def sample_files(sample, gensim_files) -> dict[str, tuple[str, bytes, bytes | None, np.ndarray]]:
    """name -> (filename, bytes, metadata bytes or None, the vectors reading must give)."""
    words, vectors = sample
    text, binary, reference = gensim_files
    fasttext_values = np.array([[float(f"{v:.6g}") for v in row] for row in vectors.tolist()], dtype=np.float32)
    projector_vectors, projector_words = to_projector_tsv(words, vectors)
    rank = [str(i) for i in range(len(words))]
    groups = pd.DataFrame({"group": [f"g{i % 3}" for i in range(len(words))], "rank": rank})
    _, projector_metadata = to_projector_tsv(words, vectors, groups)
    return {
        "word2vec text": ("sample.txt", text, None, reference.vectors),
        "word2vec binary": ("sample.bin", binary, None, vectors),
        "GloVe text": ("glove.txt", text_file(words, vectors), None, vectors),
        # fastText writes 6 significant digits, a space after each number and here Windows line ends.
        "fastText .vec": ("sample.vec", text_file(words, vectors, True, " \r\n", "%.6g"), None, fasttext_values),
        "Projector TSV": ("vectors.tsv", projector_vectors, projector_words, vectors),
        "Projector TSV with metadata": ("vectors.tsv", projector_vectors, projector_metadata, vectors),
    }


@pytest.mark.parametrize("packing", ["plain", "gzip", "bzip2", "zip"])
@pytest.mark.parametrize(
    "kind",
    ["word2vec text", "word2vec binary", "GloVe text", "fastText .vec", "Projector TSV", "Projector TSV with metadata"],
)
def test_round_trips_give_the_same_words_and_vectors(sample, gensim_files, kind, packing):
    words, vectors = sample
    filename, data, metadata, expected = sample_files(sample, gensim_files)[kind]
    metadata_filename = "metadata.tsv"
    if packing == "gzip":
        filename, data = filename + ".gz", gzip.compress(data)
        if metadata is not None:
            metadata_filename, metadata = "metadata.tsv.gz", gzip.compress(metadata)
    elif packing == "bzip2":
        filename, data = filename + ".bz2", bz2.compress(data)
    elif packing == "zip":
        members = [(filename, data)] + ([("metadata.tsv", metadata)] if metadata is not None else [])
        filename, data, metadata = "upload.zip", zipped(*members), None

    result = read_vectors(data, filename, metadata=metadata, metadata_filename=metadata_filename)

    check_consistent(result)
    assert result.format == kind.replace(" with metadata", "")
    assert result.words == words  # literally, HTML, Markdown, RTL marks and all
    # Binary and 9-digit text are exact; gensim writes the shortest text that reads back to the same
    # float32, which its own reader confirms; fastText's 6 digits are compared with their own value.
    np.testing.assert_array_equal(result.vectors, expected)
    if kind == "word2vec text":
        np.testing.assert_array_equal(result.vectors, vectors)
    if kind == "Projector TSV with metadata":
        assert list(result.metadata.columns) == ["group", "rank"]
        assert result.metadata["group"].tolist()[:4] == ["g0", "g1", "g2", "g0"]
    else:
        assert result.metadata is None
    if packing != "plain":
        assert any(note.startswith("Unpacked") for note in result.notes)


def test_header_blank_lines_bom_and_crlf_are_tolerated():
    data = b"\xef\xbb\xbf\r\n2 3\r\n\r\nking 1 2 3\r\n\r\nqueen 4 5 6"
    result = read_vectors(data, "small.txt")
    assert result.words == ["king", "queen"] and result.format == "word2vec text"
    np.testing.assert_array_equal(result.vectors, [[1, 2, 3], [4, 5, 6]])
    assert any("header" in note for note in result.notes) and any("byte-order mark" in note for note in result.notes)
    assert read_vectors(b"king 1 2 3\n", "small.txt").format == "GloVe text"


def test_binary_content_and_text_content_are_recognised_whatever_the_extension(gensim_files):
    text, binary, reference = gensim_files
    as_text = read_vectors(binary, "vectors.txt")
    assert as_text.format == "word2vec binary" and any("binary data" in note for note in as_text.notes)
    as_binary = read_vectors(text, "vectors.bin")
    assert as_binary.format == "word2vec text" and any("holds text" in note for note in as_binary.notes)
    np.testing.assert_array_equal(as_binary.vectors, reference.vectors)


def test_word2vec_binary_written_by_the_c_tool_with_line_breaks_reads_the_same():
    vectors = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    rows = [word + b" " + row.astype("<f4").tobytes() + b"\n" for word, row in zip([b"a", b"b"], vectors)]
    data = b"2 3\n" + b"".join(rows)
    result = read_vectors(data, "c.bin")
    assert result.words == ["a", "b"]
    np.testing.assert_array_equal(result.vectors, vectors)


def test_word_and_vector_tsv_keeps_spaces_in_words_and_skips_a_header_row():
    result = read_vectors(b"word\td1\td2\nthe king\t1\t2\nqueen\t3\t4\n", "words.tsv")
    assert result.format == "word-and-vectors TSV" and result.words == ["the king", "queen"]
    assert any("column header" in note for note in result.notes)


def test_projector_metadata_rules():
    vectors = b"1\t2\n3\t4\n"
    numbered = read_vectors(vectors, "vectors.tsv")
    assert numbered.words == ["1", "2"] and any("row numbers" in note for note in numbered.notes)
    single = read_vectors(vectors, "vectors.tsv", metadata=b"word\nlabel\n")
    assert single.words == ["word", "label"] and single.metadata is None  # one column: no header
    headed = read_vectors(vectors, "vectors.tsv", metadata=b"Word\nking\nqueen\n")
    assert headed.words == ["king", "queen"] and any("one line more" in note for note in headed.notes)
    labelled = read_vectors(vectors, "vectors.tsv", metadata=b"id\tLabel\tgroup\n7\tking\troyal\n8\tqueen\troyal\n")
    assert labelled.words == ["king", "queen"]
    assert labelled.metadata.to_dict("list") == {"id": ["7", "8"], "group": ["royal", "royal"]}
    first_column = read_vectors(vectors, "vectors.tsv", metadata=b"id\tgroup\nk\tr\nq\tr\n")
    assert first_column.words == ["k", "q"] and list(first_column.metadata.columns) == ["group"]


def test_duplicates_keep_the_first_vector_and_are_counted():
    result = read_vectors(b"a 1 2\nb 3 4\na 5 6\nb 7 8\nc 9 9\na 0 0\n", "dupes.txt")
    assert result.words == ["a", "b", "c"]
    np.testing.assert_array_equal(result.vectors, [[1, 2], [3, 4], [9, 9]])
    assert any(note.startswith("3 duplicate words") and "first vector" in note for note in result.notes)
    projector = read_vectors(
        b"1\t1\n2\t2\n3\t3\n", "vectors.tsv", metadata=b"word\tgroup\nx\tfirst\ny\tother\nx\tsecond\n"
    )
    assert projector.words == ["x", "y"] and projector.metadata["group"].tolist() == ["first", "other"]
    np.testing.assert_array_equal(projector.vectors, [[1, 1], [2, 2]])
    assert any(note.startswith("1 duplicate word (") for note in projector.notes)


def test_progress_is_reported_between_zero_and_one(sample):
    words, vectors = sample
    reports = []
    read_vectors(text_file(words, vectors), "glove.txt", progress=lambda fraction, message: reports.append(fraction))
    assert reports and all(0 <= fraction <= 1 for fraction in reports) and reports[-1] == 1.0
    assert reports == sorted(reports)


def test_to_projector_tsv_replaces_tabs_and_line_breaks_and_writes_missing_values_empty():
    vectors_tsv, metadata_tsv = to_projector_tsv(
        ["a\tb", "c\nd"], np.array([[0.1, 2], [3, 4]], dtype=np.float32), pd.DataFrame({"note": ["x\ry", None]})
    )
    assert vectors_tsv == b"0.100000001\t2\n3\t4\n"
    assert metadata_tsv == b"word\tnote\na b\tx y\nc d\t\n"
    assert to_projector_tsv(["a"], np.ones((1, 2)))[1] == b"a\n"
    with pytest.raises(ValueError):
        to_projector_tsv(["a"], np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError):
        to_projector_tsv(["a", "b"], np.ones((1, 2)))


# --- hostile text files ---------------------------------------------------------------


def test_empty_blank_binary_and_utf16_files_are_refused():
    assert_refused(b"", "empty.txt", "empty")
    assert_refused(b"\n \n\r\n", "blank.txt", "empty")
    assert_refused(b"king 0.1 0.2\nqueen 0.3\x00 0.4\n", "nul.txt", "binary", line=2)
    assert_refused(b"king 0.1 0.2\ncaf\xe9\x00 0.4 0.5\n", "nul-and-latin.txt", "binary", line=2)
    assert_refused("king 1 2\n".encode("utf-16"), "utf16.txt", "encoding")
    assert_refused("king\t1\t2\n".encode("utf-16"), "utf16.tsv", "encoding")
    for metadata, category in [("king\n".encode("utf-16"), "encoding"), (b"ki\x00ng\n", "binary")]:
        error = error_of(b"1\t2\n", "vectors.tsv", metadata=metadata)
        assert error.category == category and "metadata.tsv" in str(error)


def test_ragged_rows_are_refused_never_broadcast():
    message = assert_refused(b"a 1 2 3\nb 1 2\n", "short.txt", "ragged", line=2)
    assert "2 numbers" in message and "expected 3" in message
    message = assert_refused(b"a 1 2 3\n\n\nb 1 2 3 4\n", "long.txt", "ragged", line=4)
    assert "4 numbers" in message and "expected 3" in message
    assert_refused(b"1\t2\n3\t4\t5\n", "vectors.tsv", "ragged", line=2)


def test_values_that_are_not_finite_numbers_are_refused_with_the_token():
    message = assert_refused(b"a 1 2 3\nb 1 abc 3\n", "junk.txt", "not-a-number", line=2)
    assert "'abc'" in message
    message = assert_refused(b"a 1 2 3\nb 1 " + b"y" * 5000 + b" 3\n", "longjunk.txt", "not-a-number", line=2)
    assert len(message) < 300 and "\u2026" in message
    for token in (b"nan", b"NaN", b"inf", b"-inf", b"1e39"):
        assert_refused(b"a 1 2 3\n\nb 1 " + token + b" 3\n", "nonfinite.txt", "non-finite", line=3)


def test_headers_that_disagree_with_the_body_are_refused():
    rows = b"".join(b"w%d 1 2 3\n" % i for i in range(8))
    message = assert_refused(b"10 3\n" + rows, "count.txt", "row-count-mismatch", line=1)
    assert "10" in message and "8" in message
    assert_refused(b"2 3\na 1 2\nb 1 2\n", "dim.txt", "header", line=2)
    assert_refused(b"2 3\na 1 2 3\nb 1 2\n", "dim.vec", "ragged", line=3)
    assert_refused(b"3 2\n", "onlyheader.txt", "no-vectors")
    assert_refused(b"king\nqueen\n", "wordlist.txt", "no-vectors", line=1)


def test_limits_are_enforced_before_reading_everything():
    assert_refused(b"1000000 50\na 1\n", "many.txt", "too-large", line=1)
    assert_refused(b"10 5000\na 1\n", "wide.txt", "too-large", line=1)
    small = VectorLimits(max_bytes=1000, max_rows=5, max_dimension=3, max_line_characters=100)
    assert_refused(b"a 1 2\n" * 200, "big.txt", "too-large", limits=small)
    rows = b"".join(b"w%d 1 2\n" % i for i in range(6))
    assert_refused(b"\n" + rows, "rows.txt", "too-large", line=7, limits=small)
    assert_refused(b"6 2\n" + rows, "rows.txt", "too-large", line=1, limits=small)
    assert_refused(b"a 1 2 3 4\n", "dims.txt", "too-large", line=1, limits=small)
    assert_refused(b"a 1 2\nb " + b"1 " * 80 + b"\n", "line.txt", "too-large", line=2, limits=small)
    assert read_vectors(b"a 1 2\n" * 5, "fits.txt", limits=small).words == ["a"]


@pytest.mark.slow
def test_problems_deep_in_a_large_file_name_their_line():
    rng = np.random.default_rng(3)
    lines = [f"w{i} " + " ".join(f"{v:.5f}" for v in row) for i, row in enumerate(rng.normal(size=(200_000, 10)))]
    assert len("\n".join(lines)) > 3 * 4 * 2**20  # several blocks
    result = read_vectors(("\r\n".join(lines) + "\r\n").encode(), "large.txt")
    assert len(result.words) == 200_000 and result.vectors.shape == (200_000, 10)
    for line, broken, category in [
        (150_001, "w150000 " + "0.1 " * 9 + "oops", "not-a-number"),
        (199_999, "w199998 1 2", "ragged"),
        (120_000, "w119999 " + "nan " * 10, "non-finite"),
    ]:
        bad = lines.copy()
        bad[line - 1] = broken
        assert_refused("\n".join(bad).encode(), "large.txt", category, line=line)


def test_a_line_too_long_is_refused_without_reading_it_whole():
    limits = VectorLimits(max_line_characters=1000)
    data = b"a 1 2\n" * 400_000 + b"b " + b"1" * 10_000_000
    assert_refused(data, "longline.txt", "too-large", line=400_001, limits=limits)


def test_unknown_formats_are_refused():
    assert_refused(b"a 1 2\n", "vectors.json", "format")
    assert_refused(b"x,y\n1,2\n", "points.csv", "format")
    assert_refused(b"a 1 2\n", "vectors.txt", "format", metadata=b"a\n")
    assert_refused(gzip.compress(b"a 1 2\n"), "vectors.tar.gz", "archive")


# --- hostile binary files ------------------------------------------------------------


def binary_file(words, vectors, count=None, dim=None) -> bytes:
    header = f"{len(words) if count is None else count} {vectors.shape[1] if dim is None else dim}\n".encode()
    return header + b"".join(w.encode() + b" " + row.astype("<f4").tobytes() for w, row in zip(words, vectors))


def test_broken_word2vec_binary_files_are_refused():
    vectors = np.ones((3, 4), dtype=np.float32)
    good = binary_file(["a", "b", "c"], vectors)
    assert read_vectors(good, "good.bin").words == ["a", "b", "c"]
    assert_refused(good[:-5], "cut.bin", "truncated")
    assert_refused(good[:30], "cut.bin", "truncated")
    assert_refused(binary_file(["a", "b", "c"], vectors, count=1000), "promise.bin", "truncated")
    assert_refused(binary_file(["a"], vectors[:1], count=400_000_000), "huge.bin", "too-large")
    assert_refused(binary_file(["a"], vectors[:1], dim=100_000), "wide.bin", "too-large")
    assert_refused(good + b"d " + bytes(16), "extra.bin", "row-count-mismatch")
    assert_refused(b"no header here" + bytes(40), "noheader.bin", "header", line=1)
    nan = vectors.copy()
    nan[1, 2] = np.nan
    assert "'b'" in assert_refused(binary_file(["a", "b", "c"], nan), "nan.bin", "non-finite")
    bad_word = read_vectors(b"1 2\n\xff\xfe " + bytes(8), "badword.bin")
    assert bad_word.words == ["\ufffd\ufffd"] and not_utf8_note(1, "word 1 of the file") in bad_word.notes


# --- bytes that are not UTF-8: read as gensim's unicode_errors="replace" reads them ---------------


def test_gensims_own_fasttext_file_with_bytes_that_are_not_utf8_reads_as_gensim_reads_it():
    path = datapath("pang_lee_polarity_fasttext.vec")
    data = pathlib.Path(path).read_bytes()
    assert data.split(b"\n")[149].startswith(b"\x97 ")  # line 150: a Windows-1252 dash, not UTF-8

    result = read_vectors(data, "pang_lee_polarity_fasttext.vec")

    check_consistent(result)
    assert result.format == "fastText .vec" and len(result) == 1694
    assert not_utf8_note(5, "lines 150, 284, 435, 444 and 1,573") in result.notes
    reference = KeyedVectors.load_word2vec_format(path, binary=False, unicode_errors="replace")
    row = 150 - 2  # line 1 is the header
    assert result.words[row] == reference.index_to_key[row] == "\ufffd"
    np.testing.assert_array_equal(result.vectors[row], reference.vectors[row])
    assert "clich\ufffds" in result.words and "ladr\ufffdn" in result.words
    # Every word and vector, as gensim reads them.
    assert result.words == reference.index_to_key
    np.testing.assert_array_equal(result.vectors, reference.vectors)


def test_latin1_text_in_every_text_format_reads_with_replacement_and_a_note():
    latin = "king 1 2\ncaf\u00e9 0.1 0.2\n".encode("latin-1")
    result = read_vectors(latin, "latin.txt")
    assert result.words == ["king", "caf\ufffd"] and not_utf8_note(1, "line 2") in result.notes
    np.testing.assert_array_equal(result.vectors, np.array([[1, 2], [0.1, 0.2]], dtype=np.float32))
    with_header = read_vectors("2 3\ncaf\u00e9 1 2 3\nb 1 2 3\n".encode("latin-1"), "header.txt")
    assert with_header.format == "word2vec text" and with_header.words == ["caf\ufffd", "b"]
    assert not_utf8_note(1, "line 2") in with_header.notes
    tsv = read_vectors("word\td1\td2\nthe caf\u00e9\t1\t2\nna\u00efve\t3\t4\n".encode("latin-1"), "words.tsv")
    assert tsv.words == ["the caf\ufffd", "na\ufffdve"] and not_utf8_note(2, "lines 2 and 3") in tsv.notes
    # A multi-byte character cut short, and six bad lines: the note lists five.
    cut = b"".join(b"w%d\xe2\x82 %d 1\n" % (i, i) for i in range(6))
    cut_result = read_vectors(cut, "cut.vec")
    assert cut_result.words == [f"w{i}\ufffd" for i in range(6)]
    assert not_utf8_note(6, "lines 1, 2, 3, 4, 5 and 1 more") in cut_result.notes


def test_a_valid_file_has_no_note_on_utf8_and_a_literal_replacement_character_is_a_word():
    result = read_vectors("caf\ufffd 1 2\nna\u00efve 3 4\n".encode(), "clean.txt")
    assert result.words == ["caf\ufffd", "na\u00efve"]
    assert not any("UTF-8" in note for note in result.notes)


def test_bad_bytes_outside_words_are_still_refused_as_bad_numbers():
    message = assert_refused(b"a 1 2\nb 1 2\xe9\n", "number.txt", "not-a-number", line=2)
    assert "\ufffd" in message
    assert_refused(b"1\t2\n3\t\xe94\n", "vectors.tsv", "not-a-number", line=2)
    assert_refused(b"a\t1\t2\nb\t1\t\xff\n", "words.tsv", "not-a-number", line=2)


def test_a_bad_word_deep_in_a_large_file_is_named_by_its_line():
    rng = np.random.default_rng(5)
    lines = [f"w{i} " + " ".join(f"{v:.5f}" for v in row) for i, row in enumerate(rng.normal(size=(200_000, 10)))]
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) > 3 * 4 * 2**20  # several blocks: only the one holding line 150,001 is repaired
    start = data.index(b"\nw150000 ") + 1
    broken = data[:start] + b"w\xf3" + data[start + 1:]
    result = read_vectors(broken, "large.txt")
    assert len(result) == 200_000 and result.words[150_000] == "w\ufffd150000"
    assert not_utf8_note(1, "line 150,001") in result.notes
    np.testing.assert_array_equal(result.vectors, read_vectors(data, "large.txt").vectors)


def test_word2vec_binary_with_a_word_cut_inside_a_character_reads_as_gensim_reads_it(tmp_path):
    vectors = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    # The C tool cuts long words at a byte count: "naïve" cut after the first byte of "ï".
    words = [b"king", "na\u00efve".encode()[:3], "caf\u00e9".encode()]
    data = b"3 4\n" + b"".join(word + b" " + row.astype("<f4").tobytes() for word, row in zip(words, vectors))
    result = read_vectors(data, "cut.bin")
    assert result.format == "word2vec binary" and result.words == ["king", "na\ufffd", "caf\u00e9"]
    assert not_utf8_note(1, "word 2 of the file") in result.notes
    np.testing.assert_array_equal(result.vectors, vectors)
    (tmp_path / "cut.bin").write_bytes(data)
    reference = KeyedVectors.load_word2vec_format(str(tmp_path / "cut.bin"), binary=True, unicode_errors="replace")
    assert result.words == reference.index_to_key
    np.testing.assert_array_equal(result.vectors, reference.vectors)


def test_words_that_become_equal_once_replaced_are_reported_as_such():
    data = b"caf\xe9 1 1\ncaf\xe8 2 2\nfoo 3 3\nfoo 4 4\nna\xefve 5 5\nna\xefve 6 6\nx\xef\xbf\xbd 7 7\nx\xff 8 8\n"
    result = read_vectors(data, "dupes.txt")
    assert result.words == ["caf\ufffd", "foo", "na\ufffdve", "x\ufffd"]
    np.testing.assert_array_equal(result.vectors, [[1, 1], [3, 3], [5, 5], [7, 7]])
    # "foo" and "na\xefve" are repeated by the file; "caf\xe9"/"caf\xe8" and a literal "x\ufffd"/"x\xff"
    # are different bytes that read alike.
    assert "2 duplicate words (e.g. 'foo', 'na\ufffdve'): the first vector of each was kept." in result.notes
    assert (
        "2 words became duplicates only once their bad bytes were shown as \ufffd (e.g. 'caf\ufffd', 'x\ufffd'): "
        "the first vector of each was kept." in result.notes
    )
    binary = read_vectors(binary_file(["a", "b"], np.ones((2, 2), dtype=np.float32)).replace(b"a ", b"\xe9 ")
                          .replace(b"b ", b"\xe8 "), "dupes.bin")
    assert binary.words == ["\ufffd"] and any("became a duplicate only once its bad bytes" in n for n in binary.notes)
    assert not any(note.startswith("1 duplicate word") for note in binary.notes)


def test_projector_metadata_that_is_not_utf8_reads_with_replacement_and_its_duplicates_are_told_apart():
    vectors = b"1\t1\n2\t2\n3\t3\n"
    single = read_vectors(vectors, "vectors.tsv", metadata=b"caf\xe9\ncaf\xe8\nking\n")
    assert single.words == ["caf\ufffd", "king"]
    assert "metadata.tsv: " + not_utf8_note(2, "lines 1 and 2", noun="line") in single.notes
    assert any(note.startswith("1 word became a duplicate") for note in single.notes)
    # A bad byte in another column is replaced too; the words stay as they are.
    table = read_vectors(vectors, "vectors.tsv", metadata=b"word\tgroup\nx\tr\xf4le\ny\tr\nz\tr\n")
    assert table.words == ["x", "y", "z"] and table.metadata["group"].tolist() == ["r\ufffdle", "r", "r"]
    assert "metadata.tsv: " + not_utf8_note(1, "line 2", noun="line") in table.notes
    repeated = read_vectors(vectors, "vectors.tsv", metadata=b"word\tgroup\nx\xe9\ta\ny\tb\nx\xe9\tc\n")
    assert repeated.words == ["x\ufffd", "y"] and repeated.metadata["group"].tolist() == ["a", "b"]
    assert any(note.startswith("1 duplicate word (e.g. 'x\ufffd')") for note in repeated.notes)


def test_coordinates_that_are_not_utf8_are_read_as_windows_1252_like_word_lists():
    points = read_coordinates("word,x,y\nZ\u00fcrich,1,2\n\u2014,3,4\n".encode("cp1252"), "points.csv")
    assert points.words == ["Z\u00fcrich", "\u2014"]
    assert (
        "points.csv is not UTF-8 (line 2 holds byte 0xfc), so it was read as Windows-1252: check that accented "
        "letters look right, or save the file as UTF-8." in points.notes
    )
    undefined = read_coordinates(b"word,x,y\n\x81,1,2\n", "points.csv")  # no character in Windows-1252
    assert undefined.words == ["\x81"] and any("read as Latin-1" in note for note in undefined.notes)
    marked = read_coordinates(b"\xef\xbb\xbfword,x,y\nZ\xfcrich,1,2\n", "points.csv")  # says UTF-8: replaced
    assert marked.words == ["Z\ufffdrich"] and "points.csv: " + not_utf8_note(1, "line 2", "line") in marked.notes
    assert not any("UTF-8" in note for note in read_coordinates("word,x,y\nZ\u00fcrich,1,2\n".encode(), "p.csv").notes)


#: Bytes a word may not hold: the separators of a text vectors file, and NUL (binary data).
SEPARATOR_BYTES = b" \t\n\r\x0b\x0c\x00"


@PROPERTY_SETTINGS
@given(
    words=st.lists(
        st.binary(min_size=1, max_size=12).map(lambda word: word.translate(None, SEPARATOR_BYTES)).filter(bool),
        min_size=1,
        max_size=12,
    ),
    header=st.booleans(),
    line_end=st.sampled_from([b"\n", b"\r\n"]),
)
@example(words=[b"\xef\xbb\xbfab", b"\xef\xbb\xbf"], header=True, line_end=b"\n")  # U+FEFF after the header: a word
def test_any_bytes_as_words_read_as_gensim_replaces_them_and_utf8_words_come_back_unchanged(words, header, line_end):
    # A header, or a first word of our own: a file's first bytes may also say "gzip", "pickle" or "UTF-16".
    words = words if header else [b"first", *words]
    rows = [word + b" 0.5 %d.25" % index + line_end for index, word in enumerate(words)]
    data = (b"%d 2" % len(words) + line_end if header else b"") + b"".join(rows)

    result = check_property(data, "words.txt")  # a VectorSet or a VectorFileError, nothing else

    assert result is not None
    read = [word.decode("utf-8", errors="replace") for word in words]  # gensim's unicode_errors="replace"
    assert result.words == list(dict.fromkeys(read))
    assert all(word.decode() in result.words for word in words if _is_utf8(word))
    bad_lines = [index + 1 + header for index, word in enumerate(words) if not _is_utf8(word)]
    noted = [note for note in result.notes if "not valid UTF-8" in note]
    assert len(noted) == bool(bad_lines)
    if bad_lines:
        assert noted[0].startswith(f"{len(bad_lines)} word") and f" {bad_lines[0]:,}" in noted[0]
    first = {}
    for index, word in enumerate(read):
        first.setdefault(word, index)
    np.testing.assert_array_equal(result.vectors[:, 1], [index + 0.25 for index in first.values()])


# --- archives and bombs -----------------------------------------------------------


def test_archives_with_escaping_paths_or_several_files_are_refused():
    assert_refused(zipped(("../evil.txt", b"a 1 2\n")), "evil.zip", "archive")
    assert_refused(zipped(("/etc/evil.txt", b"a 1 2\n")), "absolute.zip", "archive")
    message = assert_refused(
        zipped(("a.txt", b"a 1\n"), ("b.txt", b"b 1\n"), ("c.txt", b"c 1\n")), "three.zip", "archive"
    )
    assert "'a.txt'" in message and "'c.txt'" in message
    assert_refused(zipped(), "empty.zip", "archive")
    assert_refused(zipped(("inner.zip", zipped(("a.txt", b"a 1\n")))), "nested.zip", "archive")
    assert_refused(b"a 1 2\n", "notreally.gz", "archive")
    assert_refused(gzip.compress(b"a 1 2\n" * 100)[:-20], "cut.txt.gz", "truncated")
    assert_refused(b"\x1f\x8b" + bytes(50), "broken.txt.gz", "archive")
    assert_refused(b"PK\x03\x04" + bytes(50), "broken.zip", "archive")


def test_a_zip_with_its_macos_folder_and_a_directory_entry_reads_its_one_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("glove/", b"")
        archive.writestr("glove/vectors.txt", b"a 1 2\n")
        archive.writestr("__MACOSX/glove/._vectors.txt", b"\x00\x05junk")
    assert read_vectors(buffer.getvalue(), "mac.zip").words == ["a"]


@pytest.mark.parametrize("kind", ["gzip", "zip", "bzip2"])
def test_compression_bombs_stop_at_the_limit_without_unpacking_a_gigabyte(kind):
    gigabyte = 1 << 30
    if kind == "gzip":
        bomb, name = gzip_bomb(gigabyte), "zeros.txt.gz"
    elif kind == "zip":
        bomb, name = zip_bomb(gigabyte), "zeros.zip"
    else:  # bzip2 streams may follow one another: 64 of 16 MB of zeros each
        bomb, name = bz2.compress(bytes(16 << 20)) * 64, "zeros.txt.bz2"
    assert len(bomb) < 2_000_000
    tracemalloc.start()
    try:
        message = assert_refused(bomb, name, "too-large")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "unpacks to more than" in message
    assert peak < 2.5 * VectorLimits().max_bytes  # the capped content, never the gigabyte


def test_a_zip_declaring_sizes_it_does_not_hold_is_refused():
    assert_refused(zip_bomb(64 << 20, declared_size=100), "liar.zip", "archive")
    small = VectorLimits(max_bytes=10 << 20)
    assert_refused(zip_bomb(64 << 20, declared_size=1000), "liar.zip", "archive", limits=small)
    assert_refused(zip_bomb(64 << 20), "honest.zip", "too-large", limits=small)


# --- pickles ---------------------------------------------------------------------------


class TouchOnLoad:
    """Unpickling this creates a marker file (no shell involved): proof that a pickle was loaded."""

    def __init__(self, marker: pathlib.Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return pathlib.Path.touch, (self.marker,)


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_pickles_are_refused_by_content_and_never_loaded(tmp_path, protocol):
    probe = tmp_path / "probe"
    pickle.loads(pickle.dumps(TouchOnLoad(probe), protocol=protocol))  # our own payload: loading it does work
    assert probe.exists()
    marker = tmp_path / "pickle-was-loaded"
    payload = pickle.dumps(TouchOnLoad(marker), protocol=protocol)
    for data, filename in [
        (payload, "vectors.pkl"),
        (payload, "vectors.txt"),
        (payload, "vectors.bin"),
        (zipped(("vectors.txt", payload)), "vectors.zip"),
        (gzip.compress(payload), "vectors.txt.gz"),
    ]:
        message = assert_refused(data, filename, "pickle")
        assert "runs code" in message
    error = error_of(b"1\t2\n", "vectors.tsv", metadata=payload, metadata_filename="metadata.tsv")
    assert error.category == "pickle" and "metadata.tsv" in str(error)
    assert not marker.exists()


@pytest.mark.parametrize("extension", vectorfiles.PICKLE_EXTENSIONS)
def test_pickle_formats_are_refused_by_name(extension):
    assert_refused(b"a 1 2\n", f"model{extension}", "pickle")
    assert_refused(zipped((f"model{extension}", b"a 1 2\n")), "model.zip", "pickle")
    assert_refused(gzip.compress(b"a 1 2\n"), f"model{extension}.gz", "pickle")


def test_numpy_files_and_torch_style_zips_are_refused_whatever_their_name(tmp_path):
    buffer = io.BytesIO()
    np.save(buffer, np.ones((2, 2)))
    assert_refused(buffer.getvalue(), "vectors.txt", "pickle")
    torch_like = zipped(("archive/data.pkl", b"\x80\x02}q\x00."), ("archive/version", b"3\n"))
    assert_refused(torch_like, "weights.zip", "pickle")
    assert_refused(b"(dp0\nS'a'\np1\nI1\ns.", "protocol0.txt", "no-vectors")  # text pickles read as (bad) text


# --- property-based: never anything but a VectorSet or a VectorFileError -------------------


def check_property(data: bytes, filename: str, limits: VectorLimits = VectorLimits()):
    try:
        result = read_vectors(data, filename, limits=limits)
    except VectorFileError as error:
        assert error.category in CATEGORIES
        assert filename in str(error)
        return None
    check_consistent(result)
    return result


@PROPERTY_SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.text(alphabet="0123456789 .-+e\n\r\tabnifNA\x00\u00e9", max_size=400).map(str.encode),
        st.tuples(st.sampled_from([b"2 3\n", b"1 2\n", b"3 1\n"]), st.binary(max_size=200)).map(b"".join),
    ),
    filename=st.sampled_from(
        ["v.txt", "v.vec", "v.bin", "v.tsv", "v.txt.gz", "v.zip", "v.tsv.bz2", "vectors", "v.csv", "v.pkl"]
    ),
)
def test_random_bytes_give_a_vector_set_or_a_vector_file_error(data, filename):
    check_property(data, filename)
    check_property(gzip.compress(data), filename + ".gz")


def reference_read(data: bytes) -> tuple[list[str], np.ndarray] | None:
    """The documented rules for word-and-numbers text, written as plainly as possible (None: refused)."""
    text = data.decode("utf-8", errors="replace")  # as gensim's unicode_errors="replace"
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    rows = [line.replace("\t", " ").split(" ") for line in lines if line.encode().strip()]  # ASCII blanks only
    rows = [[field for field in row if field] for row in rows]
    count = None
    if rows and len(rows[0]) == 2 and all(field.isascii() and field.isdigit() for field in rows[0]):
        count, dim = int(rows[0][0]), int(rows[0][1])
        rows = rows[1:]
    elif rows:
        dim = len(rows[0]) - 1
    if not rows or dim == 0 or count == 0 or any(len(row) != dim + 1 for row in rows):
        return None
    if count is not None and count != len(rows):
        return None
    try:
        values = np.array([[float(field.encode()) for field in row[1:]] for row in rows], dtype=np.float64)
    except ValueError:
        return None
    with np.errstate(over="ignore"):
        vectors = values.astype(np.float32)
    if not np.isfinite(vectors).all():
        return None
    first: dict[str, int] = {}
    for index, row in enumerate(rows):
        first.setdefault(row[0], index)
    return list(first), vectors[list(first.values())]


JUNK = [
    "1.5", "-2e-3", "+1", ".5", "abc", "nan", "inf", "-inf", "1e39", "1e", "", "\r", "\t", "\x0c", "\u00a0",
    "0x10", "1,5", "word", "7", "\u00e9", "\u0661",
]


@PROPERTY_SETTINGS
@given(
    rows=st.integers(1, 6),
    dim=st.integers(1, 4),
    header=st.booleans(),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "insert", "replace", "duplicate line", "drop line", "blank line"]),
            st.integers(0, 100),
            st.integers(0, 100),
            st.sampled_from(JUNK),
        ),
        max_size=4,
    ),
)
def test_broken_rows_are_read_by_the_documented_rules_or_refused(rows, dim, header, edits):
    rng = np.random.default_rng(rows * 10 + dim)
    lines = [[f"w{i}", *(f"{value:.4f}" for value in rng.normal(size=dim))] for i in range(rows)]
    for operation, line_index, token_index, junk in edits:
        line = lines[line_index % len(lines)] if lines else None
        if operation == "delete" and line:
            del line[token_index % len(line)]
        elif operation == "insert" and line is not None:
            line.insert(token_index % (len(line) + 1), junk)
        elif operation == "replace" and line:
            line[token_index % len(line)] = junk
        elif operation == "duplicate line" and line is not None:
            lines.insert(line_index % len(lines), list(line))
        elif operation == "drop line" and lines:
            del lines[line_index % len(lines)]
        elif operation == "blank line":
            lines.insert(line_index % (len(lines) + 1), [])
    text = "".join(" ".join(line) + "\n" for line in lines)
    if header:
        text = f"{rows} {dim}\n" + text
    data = text.encode("utf-8")

    result = check_property(data, "broken.txt")
    expected = reference_read(data)
    if expected is None:
        assert result is None
    else:
        assert result is not None and result.words == expected[0]
        np.testing.assert_array_equal(result.vectors, expected[1])


@PROPERTY_SETTINGS
@given(
    words=st.lists(
        # No NUL (metadata is text) and no byte-order mark (at the start it is read as one).
        st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\ufeff"), max_size=20)
        .filter(bool),
        min_size=1,
        max_size=20,
    ),
    dim=st.integers(1, 5),
    data=st.data(),
)
def test_projector_tsv_round_trips_float32_exactly(words, dim, data):
    vectors = data.draw(
        hnp.arrays(np.float32, (len(words), dim), elements=st.floats(width=32, allow_nan=False, allow_infinity=False))
    )
    vectors_tsv, metadata_tsv = to_projector_tsv(words, vectors)
    result = read_vectors(vectors_tsv, "vectors.tsv", metadata=metadata_tsv)
    cleaned = [word.replace("\t", " ").replace("\r", " ").replace("\n", " ") for word in words]
    first = {}
    for index, word in enumerate(cleaned):
        first.setdefault(word, index)
    assert result.words == list(first)
    np.testing.assert_array_equal(result.vectors, vectors[list(first.values())])


# --- coordinates ------------------------------------------------------------------------------


def test_coordinates_in_two_and_three_dimensions():
    points = read_coordinates(b"Label,X,Y,group\nking,1.5,2,royal\nqueen,-1,0.25,royal\n", "points.csv")
    assert points.words == ["king", "queen"]
    np.testing.assert_array_equal(points.coords, [[1.5, 2], [-1, 0.25]])
    assert points.coords.dtype == np.float64 and points.metadata.to_dict("list") == {"group": ["royal", "royal"]}
    space = read_coordinates(b"x\ty\tz\tname\n1\t2\t3\tking\n4\t5\t6\tking\n", "points.tsv")
    assert space.coords.shape == (2, 3) and space.words == ["king", "king"]  # every point kept
    assert any("repeat" in note for note in space.notes)
    numbered = read_coordinates(b"id,x,y\n10,1,2\n11,3,4\n", "points.csv")
    assert numbered.words == ["1", "2"] and numbered.metadata["id"].tolist() == ["10", "11"]


def test_coordinates_csv_reads_back_unchanged():
    words = ["king", "a, \"quoted\" word", "=1+1", "\u05e9\u05dc\u05d5\u05dd", "king"]
    coords = np.array([[0.1, -2e-300], [1 / 3, 5], [7, 8], [9, 10], [11, 12]])
    points = read_coordinates(vectorfiles.to_coordinates_csv(words, coords, ["g", "", "h", "g", "g"]), "points.csv")
    assert points.words == words and points.metadata["group"].tolist() == ["g", "", "h", "g", "g"]
    np.testing.assert_array_equal(points.coords, coords)
    space = read_coordinates(vectorfiles.to_coordinates_csv(["a"], np.ones((1, 3))), "space.csv")
    assert space.coords.shape == (1, 3) and space.metadata is None


def test_coordinates_without_y_or_with_bad_numbers_are_refused():
    for data, name, category, line in [
        (b"word,x\nking,1\n", "noy.csv", "header", 1),
        (b"word,x,y\nking,1,2\nqueen,abc,2\n", "bad.csv", "not-a-number", 3),
        (b"word,x,y\nking,1,2\n\nqueen,nan,2\n", "nan.csv", "non-finite", 4),
        (b"word,x,y\nking,1,2,3\n", "ragged.csv", "ragged", 2),
        (b"", "empty.csv", "empty", None),
        (b"word,x,y\n", "headeronly.csv", "no-vectors", None),
        (b"word,x,y\nk\x00,1,2\n", "nul.csv", "binary", 2),
    ]:
        with pytest.raises(VectorFileError) as caught:
            read_coordinates(data, name)
        assert caught.value.category == category and name in str(caught.value)
        if line is not None:
            assert f"line {line}:" in str(caught.value)


@PROPERTY_SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=500), st.text(alphabet="xyzw,\t\n0123456789.-nai\"", max_size=200).map(str.encode)
    ),
    filename=st.sampled_from(["p.csv", "p.tsv", "p.txt", "p.csv.gz", "p.zip", "p.json"]),
)
def test_random_coordinate_files_give_points_or_a_vector_file_error(data, filename):
    try:
        points = read_coordinates(data, filename)
    except VectorFileError as error:
        assert error.category in CATEGORIES and filename in str(error)
        return
    assert points.coords.shape == (len(points.words), points.coords.shape[1]) and points.coords.shape[1] in (2, 3)
    assert np.isfinite(points.coords).all()
