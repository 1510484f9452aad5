"""What the Atlas page asks of an opened atlas: a region's points, a text found, a query searched, neighbours."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from atlas.build import VECTORS_METHOD
from atlas.folder import Atlas

#: Results of a query and neighbours of an item.
RESULTS = 10


@dataclass(frozen=True)
class Region:
    """A rectangle of the map (x and y ranges): what a box selection zoomed into."""

    x: tuple[float, float]
    y: tuple[float, float]

    def rows(self, coords: np.ndarray) -> np.ndarray:
        """The rows of ``coords`` inside the rectangle."""
        inside = ((coords[:, 0] >= self.x[0]) & (coords[:, 0] <= self.x[1])
                  & (coords[:, 1] >= self.y[0]) & (coords[:, 1] <= self.y[1]))
        return np.flatnonzero(inside)


def map_coordinates(atlas: Atlas, projection: str = "umap") -> np.ndarray:
    """``[n x 2]`` float64 coordinates of every item on the UMAP or the PCA map."""
    columns = ["x", "y"] if projection == "umap" else ["pca_x", "pca_y"]
    return atlas.points[columns].to_numpy(dtype=np.float64)


def cluster_centres(atlas: Atlas, coords: np.ndarray, rows: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """Where each cluster's name goes (the median of its members' coordinates, among ``rows`` if given), and the
    names, the largest cluster first (it gets its label when two would overlap)."""
    labels = atlas.points["cluster"].to_numpy()
    if rows is not None:
        labels, coords = labels[rows], coords[rows]
    names = atlas.record["steps"]["cluster"]["names"]
    present, counts = np.unique(labels, return_counts=True)
    present = present[np.argsort(-counts, kind="stable")]
    centres = np.array([np.median(coords[labels == label], axis=0) for label in present]).reshape(-1, 2)
    return centres, [names[str(label)] for label in present]


def find_rows(atlas: Atlas, text: str) -> np.ndarray:
    """Rows whose text is ``text`` (ignoring case and surrounding spaces)."""
    wanted = text.strip().lower()
    if not wanted:
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(atlas.points["text"].str.lower().to_numpy() == wanted)


@dataclass(frozen=True)
class Hits:
    """Rows of the atlas nearest a query or an item (nearest first), their cosine similarity, and the time."""

    rows: np.ndarray
    similarities: np.ndarray
    milliseconds: float


class QueryError(ValueError):
    """A query cannot be searched (no vector for it), said in words."""


def query_vector(atlas: Atlas, query: str) -> np.ndarray:
    """The query embedded as the atlas's items were (the same method, as a word or a sentence).

    An atlas of a vectors file has no method: its query must be one of its own words.
    """
    if atlas.method == VECTORS_METHOD:
        rows = find_rows(atlas, query)
        if len(rows) == 0:
            raise QueryError(f"“{query}” is not a word of this vectors file, which is all it can search by.")
        return atlas.index().reconstruct(int(rows[0]))
    import embedders

    embedder = embedders.get(atlas.method)
    result = embedder.embed_sentences([query]) if atlas.sentences else embedder.embed([query])
    if len(result.vectors) == 0:
        raise QueryError(f"{embedders.title(atlas.method)} has no vector for “{query}”.")
    return result.vectors[0]


def load_method(atlas: Atlas) -> None:
    """Load the atlas's embedding method (once per process), so that a search's time is the search's own."""
    if atlas.method != VECTORS_METHOD:
        import embedders

        embedders.get(atlas.method).load()
    atlas.index()


def search(atlas: Atlas, query: str, k: int = RESULTS) -> Hits:
    """The ``k`` items nearest (cosine, in the original space, through the atlas's index) to the typed query."""
    load_method(atlas)
    started = time.perf_counter()
    vector = query_vector(atlas, query)
    return _search(atlas, vector, k, started)


def neighbours(atlas: Atlas, row: int, k: int = RESULTS) -> Hits:
    """The ``k`` nearest items of item ``row`` in the original space (itself left out)."""
    started = time.perf_counter()
    found = _search(atlas, atlas.index().reconstruct(int(row)), k + 1, started)
    keep = found.rows != row
    return Hits(found.rows[keep][:k], found.similarities[keep][:k], found.milliseconds)


def _search(atlas: Atlas, vector: np.ndarray, k: int, started: float) -> Hits:
    from retrieval.index import DEFAULT_SEARCH_DEPTH, IndexSettings, VectorIndex

    built = atlas.record["steps"]["index"]
    index = VectorIndex(atlas.index(), IndexSettings(kind=built["kind"]), build_seconds=0.0)
    found = index.search(vector, k, built.get("search_depth") or DEFAULT_SEARCH_DEPTH)
    keep = found.indices[0] >= 0  # FAISS pads with -1 when fewer items than k are found
    return Hits(found.indices[0][keep], found.similarities[0][keep], (time.perf_counter() - started) * 1000)
