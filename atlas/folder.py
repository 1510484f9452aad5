"""An atlas folder: what ``python -m atlas build`` writes there, how it is read back, and how the app finds one.

::

    DIR/atlas.json        the record: inputs, parameters, counts, each step's fingerprint and time, engine, versions
    DIR/embed/*.npy       the embed step's float32 shards (and the input rows each one kept)
    DIR/index.faiss       the FAISS index of every embedded item (row i of the index is row i of points.parquet)
    DIR/projection.npy    UMAP and PCA coordinates of every embedded item
    DIR/clusters.npy      each embedded item's cluster
    DIR/points.parquet    id, text, x, y, pca_x, pca_y, cluster, cluster_name and the input's metadata columns

The record is rewritten (atomically) after every step, so a build stopped half-way resumes where it
stopped; it says ``"complete": true`` only once ``points.parquet`` is written. Readers refuse anything else
with an ``AtlasError`` naming what is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.files import write_atomically

FORMAT_VERSION = 1
RECORD = "atlas.json"
POINTS = "points.parquet"
INDEX = "index.faiss"
PROJECTION = "projection.npy"
CLUSTERS = "clusters.npy"
EMBED_FOLDER = "embed"
#: The columns every points.parquet has, before the input's own metadata columns.
POINT_COLUMNS = ("id", "text", "x", "y", "pca_x", "pca_y", "cluster", "cluster_name")


class AtlasError(ValueError):
    """A folder is not a complete atlas, or an atlas name is not acceptable; the message says why in words."""


def read_record(folder: Path) -> dict[str, Any]:
    """The record of the atlas in ``folder``; raises ``AtlasError`` when it is missing or not an atlas's."""
    path = Path(folder) / RECORD
    if not path.is_file():
        raise AtlasError(f"{Path(folder).name} is not an atlas: it has no {RECORD} (build it with python -m atlas build).")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AtlasError(f"{Path(folder).name}/{RECORD} cannot be read ({error}).") from error
    if not isinstance(record, dict) or record.get("format") != FORMAT_VERSION:
        raise AtlasError(f"{Path(folder).name}/{RECORD} is not an atlas record of format {FORMAT_VERSION}.")
    return record


def write_record(folder: Path, record: dict[str, Any]) -> None:
    """Write the record atomically: a reader sees the old record or the new one, never half of one."""
    text = json.dumps(record, indent=2, sort_keys=False, default=_plain)
    write_atomically(Path(folder) / RECORD, lambda file: file.write(text.encode("utf-8")))


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


@dataclass
class Atlas:
    """A complete atlas, read back: its folder, its record and its points (one row per embedded item)."""

    folder: Path
    record: dict[str, Any]
    points: pd.DataFrame
    _index: Any = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def method(self) -> str:
        """The registered embedding method, or "vectors" for an atlas of a vectors file."""
        return self.record["parameters"]["method"]

    @property
    def sentences(self) -> bool:
        """Whether items were embedded as sentences (a query is then embedded as one too)."""
        return self.record["parameters"]["items"] == "sentences"

    @property
    def metadata_columns(self) -> list[str]:
        return [column for column in self.points.columns if column not in POINT_COLUMNS]

    def index(self):
        """The FAISS index (read on first use): row i is row i of ``points``."""
        if self._index is None:
            import faiss

            self._index = faiss.read_index(str(self.folder / INDEX))
        return self._index


def missing_parts(folder: Path, record: dict[str, Any]) -> list[str]:
    """What a complete atlas needs and ``folder`` lacks, in words (empty: nothing)."""
    missing = []
    if not record.get("complete"):
        done = ", ".join(record.get("steps", {})) or "none"
        missing.append(f"its build did not finish (steps done: {done}; run the same build command again to resume)")
    for name in (POINTS, INDEX):
        if not (Path(folder) / name).is_file():
            missing.append(name)
    return missing


def open_atlas(folder: Path) -> Atlas:
    """The complete atlas in ``folder``, or an ``AtlasError`` naming what is missing or broken."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    record = read_record(folder)
    missing = missing_parts(folder, record)
    if missing:
        raise AtlasError(f"The atlas {folder.name} is not complete: missing {'; '.join(missing)}.")
    try:
        points = pq.read_table(folder / POINTS).to_pandas()
    except (OSError, pa.ArrowException) as error:
        raise AtlasError(f"The atlas {folder.name} has a broken {POINTS} ({error}); build it again.") from error
    expected = record["counts"]["embedded"]
    absent = [column for column in POINT_COLUMNS if column not in points.columns]
    if absent or len(points) != expected:
        raise AtlasError(f"The atlas {folder.name} has a {POINTS} that does not match its record ({len(points):,} "
                         f"rows for {expected:,} items{', columns ' + ', '.join(absent) + ' missing' if absent else ''}).")
    return Atlas(folder, record, points)


@dataclass(frozen=True)
class AtlasSummary:
    """One folder under the atlas folder, as listed: its name, when it was built, what it holds or what is wrong."""

    name: str
    built_at: str
    items: int
    method: str
    problem: str | None


def list_atlases(root: Path) -> list[AtlasSummary]:
    """The atlases under ``root``, the most recently built first; broken ones too, each with its problem."""
    summaries = []
    for folder in sorted(Path(root).iterdir()) if Path(root).is_dir() else []:
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        try:
            record = read_record(folder)
        except AtlasError as error:
            if (folder / POINTS).exists() or (folder / EMBED_FOLDER).exists():
                summaries.append(AtlasSummary(folder.name, "", 0, "", str(error)))
            continue
        missing = missing_parts(folder, record)
        summaries.append(AtlasSummary(
            folder.name, record.get("built_at", ""), int(record.get("counts", {}).get("embedded", 0)),
            str(record.get("parameters", {}).get("method", "")),
            f"not complete: missing {'; '.join(missing)}" if missing else None))
    return sorted(summaries, key=lambda summary: summary.built_at, reverse=True)


def atlas_folder(root: Path, name: str) -> Path:
    """The folder of the atlas called ``name`` under ``root``: a folder's name only, never a path.

    Raises ``AtlasError`` for a name with a separator, ``..``, an absolute path or no such atlas, so that a
    shared link can never point the app at a folder outside the atlas folder.
    """
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name or Path(name).is_absolute():
        raise AtlasError(f"{name!r} is not an atlas name: a link names an atlas by its folder name only.")
    folder = Path(root) / name
    if not folder.is_dir():
        raise AtlasError(f"There is no atlas called {name!r} in the atlas folder.")
    return folder
