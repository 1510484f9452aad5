"""Uploaded word-vector files, read safely: words and a float32 matrix, or a reason.

Reads word2vec text and binary, GloVe text, fastText ``.vec``, the TensorFlow
Embedding Projector's ``vectors.tsv`` + ``metadata.tsv`` pair, any of them plain
or inside ``.gz``, ``.bz2`` or ``.zip``, and CSV/TSV files of precomputed 2-D or
3-D coordinates. Every problem becomes a ``VectorFileError`` whose message names
the file, the line (where one applies) and what is wrong.

What this package never does, because uploads are untrusted: unpickle anything
(loading a pickle runs code), trust a header's counts or a zip's declared sizes
before checking them against the limits and the bytes present, decompress
without a cap, or broadcast a short row (gensim's ``load_word2vec_format`` does
that, and accepts NaN, so it is not used here).

Text is read in blocks of a few megabytes. pandas' C parser reads a block in
one call; when it complains or its result does not check out (a missing or
extra number, a non-number, NaN), the block is read again line by line in
Python, which names the first bad line. The line-by-line reading is the
definition: pandas only speeds up blocks it agrees with.

Real files are not always UTF-8: a word's bytes that are not become U+FFFD, as
gensim's ``load_word2vec_format(..., unicode_errors="replace")`` reads them, and a
note names the lines (in word2vec binary, the words' positions); words that became
equal only so are told apart from words the file repeats. A Projector metadata.tsv
is read the same way; a coordinates file that is not UTF-8 is read as
Windows-1252, as word lists are. NUL bytes and UTF-16 stay refused.

The modules, each importing only those above it:

- ``base``: ``VectorFileError``, ``VectorLimits``, ``VectorSet``, a file to read, message helpers;
- ``archives``: unpacking .gz, .bz2 and .zip with caps, refusing pickles;
- ``text``: encoding checks, lines and fields, and the block reader of text vectors files;
- ``projector``: the Embedding Projector's vectors.tsv + metadata.tsv, read and written;
- ``formats``: ``read_vectors``, which tells the format apart, and the word2vec family (text, binary,
  GloVe, fastText ``.vec``, word TSV);
- ``coordinates``: ``read_coordinates`` and ``to_coordinates_csv``.
"""

from inputs.vectorfiles.archives import PICKLE_EXTENSIONS, UNSUPPORTED_ARCHIVE_EXTENSIONS
from inputs.vectorfiles.base import CATEGORIES, VectorFileError, VectorLimits, VectorSet
from inputs.vectorfiles.coordinates import (
    COORDINATE_LIMITS,
    COORDINATE_WORD_COLUMNS,
    MAX_COORDINATE_ROWS,
    CoordinateSet,
    read_coordinates,
    to_coordinates_csv,
)
from inputs.vectorfiles.formats import TEXT_EXTENSIONS, read_vectors
from inputs.vectorfiles.projector import METADATA_WORD_COLUMNS, to_projector_tsv

__all__ = [
    "CATEGORIES",
    "COORDINATE_LIMITS",
    "COORDINATE_WORD_COLUMNS",
    "MAX_COORDINATE_ROWS",
    "METADATA_WORD_COLUMNS",
    "PICKLE_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "UNSUPPORTED_ARCHIVE_EXTENSIONS",
    "CoordinateSet",
    "VectorFileError",
    "VectorLimits",
    "VectorSet",
    "read_coordinates",
    "read_vectors",
    "to_coordinates_csv",
    "to_projector_tsv",
]
