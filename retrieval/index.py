"""A vector index for similarity search: the retrieval step of retrieval-augmented generation.

FAISS over unit vectors, so that inner product is cosine similarity: exact search
(``IndexFlatIP``, every vector compared) or HNSW (``IndexHNSWFlat``, a graph walked
greedily: far fewer comparisons, a few neighbours missed). Indexes are written with
``faiss.write_index`` (a plain file, not a pickle) and read back on later starts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common.files import temporary_path
from common.fingerprints import fingerprint
from common.progress import Progress, no_progress
from common.vectors import flat_index, unit_rows

INDEX_KINDS = {"exact": "Exact (compare with every vector)", "hnsw": "HNSW (approximate graph search)"}
#: HNSW defaults: links per node (M), candidate list while building and while searching.
DEFAULT_LINKS = 16
DEFAULT_BUILD_DEPTH = 40
DEFAULT_SEARCH_DEPTH = 64
#: Upper bounds of M and of efConstruction / efSearch: beyond them an index only grows slower.
MAX_LINKS = 128
MAX_DEPTH = 4096
#: Vectors added per step while building, for the progress bar.
ADD_BATCH = 20_000
#: efSearch values tried by ``efsearch_sweep``.
SWEEP_DEPTHS = (8, 16, 32, 64, 128, 256, 512)


@dataclass(frozen=True)
class IndexSettings:
    """Which index to build: ``kind`` "exact" or "hnsw", and HNSW's M and efConstruction."""

    kind: str = "hnsw"
    links: int = DEFAULT_LINKS
    build_depth: int = DEFAULT_BUILD_DEPTH

    def __post_init__(self) -> None:
        if self.kind not in INDEX_KINDS:
            raise ValueError(f"Unknown index kind {self.kind!r}; choose one of: {', '.join(INDEX_KINDS)}.")
        if not 2 <= self.links <= MAX_LINKS:
            raise ValueError(f"M (links per node) must be between 2 and {MAX_LINKS}; got {self.links}.")
        if not 1 <= self.build_depth <= MAX_DEPTH:
            raise ValueError(f"efConstruction must be between 1 and {MAX_DEPTH}; got {self.build_depth}.")

    def file_name(self, name: str, vectors: np.ndarray) -> str:
        """A file name that changes with everything the index depends on: these settings and the vectors'
        content (a retrained model of the same vocabulary size gets its own file, never the old index)."""
        rows, dimension = vectors.shape
        about = f"{rows}x{dimension}-{fingerprint(vectors)[:16]}"
        if self.kind == "exact":
            return f"{name}-exact-{about}.faiss"
        return f"{name}-hnsw-M{self.links}-efc{self.build_depth}-{about}.faiss"


@dataclass(frozen=True)
class SearchResult:
    """Row ``i`` holds the ``k`` best matches of query ``i``, best first, with cosine similarities."""

    indices: np.ndarray
    similarities: np.ndarray
    seconds_per_query: float


class VectorIndex:
    """A FAISS index over the unit-length rows of a matrix."""

    def __init__(self, faiss_index, settings: IndexSettings, build_seconds: float, note: str = "") -> None:
        self.faiss_index = faiss_index
        self.settings = settings
        self.build_seconds = build_seconds
        #: What happened to a saved index that could not be used (rebuilt), for the user; "" otherwise.
        self.note = note

    def __len__(self) -> int:
        return self.faiss_index.ntotal

    @classmethod
    def build(cls, vectors: np.ndarray, settings: IndexSettings = IndexSettings(),
              progress: Progress = no_progress) -> VectorIndex:
        """Index ``vectors`` (any length; zero rows match nothing), reporting progress while adding."""
        import faiss

        unit = np.ascontiguousarray(unit_rows(vectors, dtype=np.float32))
        dimension = unit.shape[1]
        if settings.kind == "exact":
            index = flat_index(dimension)
        else:  # IndexSettings allows only the two kinds
            index = faiss.IndexHNSWFlat(dimension, settings.links, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = settings.build_depth
        started = time.perf_counter()
        for start in range(0, len(unit), ADD_BATCH):
            progress(start / max(len(unit), 1), f"Indexing {start:,} of {len(unit):,} vectors…")
            index.add(unit[start : start + ADD_BATCH])
        progress(1.0, f"Indexed {len(unit):,} vectors.")
        return cls(index, settings, time.perf_counter() - started)

    @classmethod
    def load_or_build(cls, folder: Path, name: str, vectors: np.ndarray, settings: IndexSettings = IndexSettings(),
                      progress: Progress = no_progress) -> VectorIndex:
        """The index saved in ``folder`` for these settings and vectors, or a new one, built and saved there.

        For shared vectors only (a model's vocabulary): an upload's index must not reach the disk.
        """
        import faiss

        path = Path(folder) / settings.file_name(name, vectors)
        note = ""
        if path.exists():
            started = time.perf_counter()
            try:
                index = faiss.read_index(str(path))
            except RuntimeError:  # FAISS raises this for a truncated or foreign file
                index = None
            if index is not None and index.ntotal == len(vectors) and index.d == vectors.shape[1]:
                return cls(index, settings, time.perf_counter() - started)
            note = f"The saved index {path.name} was damaged or did not match the vectors, so it was rebuilt."
        built = cls.build(vectors, settings, progress)
        with temporary_path(path) as temporary:  # a reader never sees a half-written file
            faiss.write_index(built.faiss_index, str(temporary))
        built.note = note
        return built

    def search(self, queries: np.ndarray, k: int, search_depth: int = DEFAULT_SEARCH_DEPTH) -> SearchResult:
        """The ``k`` rows most similar (cosine) to each query; HNSW walks ``search_depth`` candidates (efSearch)."""
        import faiss

        if not 1 <= search_depth <= MAX_DEPTH:
            raise ValueError(f"efSearch must be between 1 and {MAX_DEPTH}; got {search_depth}.")
        queries = np.ascontiguousarray(unit_rows(np.atleast_2d(queries), dtype=np.float32))
        k = max(1, min(k, len(self)))
        # faiss's bundled stubs (1.15) leave out SearchParametersHNSW, which the module has
        hnsw = faiss.SearchParametersHNSW  # type: ignore[attr-defined]
        parameters = hnsw(efSearch=max(search_depth, k)) if self.settings.kind == "hnsw" else None
        started = time.perf_counter()
        similarities, indices = self.faiss_index.search(queries, k, params=parameters)
        seconds = (time.perf_counter() - started) / len(queries)
        return SearchResult(indices, similarities, seconds)


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """The share of the true ``k`` nearest (rows of ``truth``) that ``found`` also returned, averaged over rows."""
    found, truth = np.atleast_2d(found), np.atleast_2d(truth)
    hits = [len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth)]
    return float(np.sum(hits) / truth.size)


def without_query(found: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Each query's results minus the query itself (it is its own nearest), cut to ``k``.

    Search for ``k + 1`` first: an approximate index may miss the query, and then its ``k + 1`` results all count.
    """
    return np.array([[i for i in row if i != query][:k] for row, query in zip(found, rows)])


@dataclass(frozen=True)
class SweepPoint:
    """HNSW searched with efSearch ``depth``: recall@k against exact search, and milliseconds per query."""

    depth: int
    recall: float
    ms_per_query: float


def efsearch_sweep(vectors: np.ndarray, settings: IndexSettings = IndexSettings(),
                   depths: Sequence[int] = SWEEP_DEPTHS, queries: int = 200, k: int = 10, seed: int = 0,
                   index: VectorIndex | None = None, progress: Progress = no_progress) -> list[SweepPoint]:
    """Recall@k and time per query of an HNSW index at each efSearch in ``depths``.

    ``queries`` random rows of ``vectors`` are the queries; each one's own row is left out of its
    results and of the exact ones. Queries are timed one at a time, as a user searches (a batch
    would spread over the cores). FAISS walks at least ``k + 1`` candidates, so smaller depths are
    reported as ``k + 1``, once. ``index``: an HNSW index of these vectors already built (e.g. the
    shared one); otherwise one is built with ``settings``.
    """
    if index is None:
        if settings.kind != "hnsw":
            raise ValueError("efSearch is a setting of HNSW indexes; the settings ask for an exact one.")
        index = VectorIndex.build(vectors, settings, progress)
    elif index.settings.kind != "hnsw" or len(index) != len(vectors):
        raise ValueError("The index given is not an HNSW index of these vectors.")
    rows = _query_rows(len(vectors), queries, seed)
    k = max(1, min(k, len(vectors) - 1))
    exact = VectorIndex.build(vectors, IndexSettings("exact"))
    truth = without_query(exact.search(vectors[rows], k + 1).indices, rows, k)
    effective = sorted({max(depth, k + 1) for depth in depths})
    points = []
    for number, depth in enumerate(effective):
        progress(number / len(effective), f"Searching with efSearch {depth}…")
        found, seconds = _one_query_at_a_time(index, vectors[rows], k + 1, depth)
        points.append(SweepPoint(depth, recall_at_k(without_query(found, rows, k), truth), 1000 * seconds))
    progress(1.0, "Done.")
    return points


def exact_ms_per_query(vectors: np.ndarray, queries: int = 200, k: int = 10, seed: int = 0,
                       index: VectorIndex | None = None) -> float:
    """Milliseconds per query of exact search over ``vectors``, on the rows ``efsearch_sweep`` uses as queries."""
    if index is None:
        index = VectorIndex.build(vectors, IndexSettings("exact"))
    elif index.settings.kind != "exact" or len(index) != len(vectors):
        raise ValueError("The index given is not an exact index of these vectors.")
    rows = _query_rows(len(vectors), queries, seed)
    return 1000 * _one_query_at_a_time(index, vectors[rows], min(k, len(vectors) - 1) + 1)[1]


def _query_rows(rows: int, queries: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).choice(rows, size=min(queries, rows), replace=False)


def _one_query_at_a_time(index: VectorIndex, queries: np.ndarray, k: int,
                         search_depth: int = DEFAULT_SEARCH_DEPTH) -> tuple[np.ndarray, float]:
    """The results of each query searched alone, and the mean seconds per query."""
    results = [index.search(query, k, search_depth) for query in queries]
    return np.vstack([result.indices for result in results]), float(np.mean([r.seconds_per_query for r in results]))


_shared: dict[tuple[str, IndexSettings, str], VectorIndex] = {}
_shared_lock = threading.Lock()


def shared_index(name: str, vectors: np.ndarray, settings: IndexSettings = IndexSettings(),
                 progress: Progress = no_progress) -> VectorIndex:
    """The index of a shared model's vocabulary (``name``, e.g. "glove"): built once per server, saved
    in the cache folder and read back on later starts. Never for an upload, which is one session's."""
    from settings import cache_dir

    key = (name, settings, fingerprint(vectors))
    with _shared_lock:  # one build at a time: two sessions asking at once share it
        if key not in _shared:
            _shared[key] = VectorIndex.load_or_build(cache_dir() / "indexes", name, vectors, settings, progress)
        return _shared[key]
