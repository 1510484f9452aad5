"""What an atlas is built from: a table of texts (Parquet, CSV or JSONL) or a vectors file the app reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inputs.vectorfiles import VectorFileError, VectorLimits, read_vectors

TABLE_FORMATS = {".parquet": "Parquet", ".csv": "CSV", ".jsonl": "JSON lines", ".ndjson": "JSON lines"}
#: An atlas's vectors file may be far larger than an upload to the app (GloVe 6B 300d is about 1 GB as text).
ATLAS_VECTOR_LIMITS = VectorLimits(max_bytes=4 * 2**30, max_rows=5_000_000)


class AtlasInputError(ValueError):
    """The input cannot be read as an atlas's items; the message says why and what to do."""


@dataclass
class AtlasInput:
    """The items of an atlas: their texts, their metadata (one row each, or no columns), and given vectors."""

    texts: list[str]
    metadata: pd.DataFrame
    #: float32 ``[n x d]`` when the input is a vectors file (nothing to embed), else None.
    vectors: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.texts)


def file_digest(path: Path) -> str:
    """A digest of the file's bytes, read in blocks (the input's fingerprint in the atlas's record)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def read_table(path: Path, text_column: str) -> AtlasInput:
    """The texts of ``text_column`` and every other column as metadata; raises ``AtlasInputError`` saying why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise AtlasInputError(f"{path.name}: a table must be {', '.join(TABLE_FORMATS)} (or use --vectors FILE).")
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_json(path, lines=True, dtype=False)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise AtlasInputError(f"{path.name} cannot be read as {TABLE_FORMATS[suffix]}: {error}") from error
    if text_column not in frame.columns:
        raise AtlasInputError(f"{path.name} has no column {text_column!r}; its columns: "
                              f"{', '.join(map(str, frame.columns))}.")
    texts = frame[text_column].fillna("").astype(str).str.strip().tolist()
    metadata = frame.drop(columns=[text_column]).reset_index(drop=True)
    metadata.columns = [str(column) for column in metadata.columns]
    return AtlasInput(texts, metadata)


def read_vectors_file(path: Path) -> AtlasInput:
    """The words and vectors of a vectors file in any format the app reads (with its metadata, if any)."""
    path = Path(path)
    try:
        vector_set = read_vectors(path.read_bytes(), path.name, limits=ATLAS_VECTOR_LIMITS)
    except (OSError, VectorFileError) as error:
        raise AtlasInputError(f"{path.name} cannot be read as vectors: {error}") from error
    metadata = vector_set.metadata if vector_set.metadata is not None else pd.DataFrame(index=range(len(vector_set)))
    return AtlasInput(list(vector_set.words), metadata.reset_index(drop=True), vector_set.vectors)
