"""Build an atlas: embed every item, index it, project it, cluster it and write its points (``atlas.folder``).

Each step's fingerprint chains the input's digest with every parameter that step and the steps before it
use. A step whose fingerprint and output files are already in the folder is skipped, so a second run of
the same command does nothing and a run stopped half-way resumes: the embed step even resumes shard by
shard. The heavy work per batch (embedding, UMAP's ``transform``, assigning clusters) runs on the engine's
workers (``atlas.engine``); fitting on the sample and FAISS's index run in this process.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import platform
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from atlas.engine import Engine, dask_engine
from atlas.folder import (
    CLUSTERS,
    EMBED_FOLDER,
    FORMAT_VERSION,
    INDEX,
    POINT_COLUMNS,
    POINTS,
    PROJECTION,
    AtlasError,
    read_record,
    write_record,
)
from atlas.inputs import AtlasInput, file_digest, read_table, read_vectors_file
from common.files import temporary_path, write_atomically
from common.fingerprints import fingerprint
from common.progress import Progress
from common.vectors import exact_neighbours, unit_rows
from settings import cache_is_read_only

STEPS = ("embed", "index", "project", "cluster", "points")
#: The method name of an atlas built from a vectors file: nothing is embedded, queries look words up.
VECTORS_METHOD = "vectors"
#: Up to this many items the index is exact (every vector compared); above it HNSW.
EXACT_INDEX_UP_TO = 50_000
#: Queries of the index's recall@10 measurement, and of the projection's trustworthiness (k = 10).
RECALL_QUERIES = 1000
TRUSTWORTHINESS_SAMPLE = 2000
QUALITY_K = 10
#: Names shown per cluster are its most central items (``analysis.clusters.central_name``).
MAX_DEFAULT_CLUSTERS = 40


@dataclass(frozen=True)
class BuildSettings:
    """What an atlas is built with: everything here enters the steps' fingerprints."""

    method: str
    text_column: str = "text"
    #: "words", "sentences" or "auto" (sentences when most items have several words).
    items: str = "auto"
    #: UMAP, PCA and k-means are fitted on a random sample of this many items, then applied to every item.
    sample: int = 50_000
    #: k-means clusters (None: by size, see ``default_clusters``).
    clusters: int | None = None
    seed: int = 0
    #: Items per embedding batch, and points per ``transform`` / assignment batch.
    batch_size: int = 2_000
    transform_batch: int = 20_000


def default_clusters(n: int) -> int:
    """About a quarter of the square root of the item count: 10 for 1,500 items, 40 (the most) from 25,600."""
    return int(np.clip(round(np.sqrt(n) / 4), 2, MAX_DEFAULT_CLUSTERS))


StepProgress = Callable[[str], Progress]


def build_atlas(source: Path, out: Path, settings: BuildSettings, *, vectors_file: bool = False,
                address: str | None = None, workers: int | None = None,
                progress_for: StepProgress = lambda step: lambda fraction, message: None) -> dict[str, Any]:
    """Build (or resume, or find complete) the atlas of ``source`` in ``out`` and return its record.

    ``source`` is a table (``read_table``: its ``settings.text_column`` and metadata) or, with
    ``vectors_file``, a vectors file. ``address`` names a running Dask scheduler (default: a local cluster of
    ``workers`` processes, started only when a step needs it). ``progress_for(step)`` gives each step's
    progress callback. Raises ``AtlasInputError`` for an unreadable input.
    """
    if cache_is_read_only():
        raise AtlasError("EMBEDDING_EXPLORER_CACHE_READ_ONLY is set, so nothing would be written: unset it to build.")
    started = time.perf_counter()
    source, out = Path(source), Path(out)
    items = read_vectors_file(source) if vectors_file else read_table(source, settings.text_column)
    digest = file_digest(source)
    out.mkdir(parents=True, exist_ok=True)
    method = VECTORS_METHOD if vectors_file else settings.method
    kind = _items_kind(items, settings.items, vectors_file)
    record = _start_record(out, source, digest, items, settings, method, kind)
    with contextlib.ExitStack() as stack:
        engines: list[Engine] = []

        def engine() -> Engine:  # started on first use: a second run that skips every step starts none
            if not engines:
                engines.append(stack.enter_context(dask_engine(address, workers)))
                record["engine"] = engines[0].describe()
            return engines[0]

        run = functools.partial(_run_step, out, record, progress_for)
        embed_key = fingerprint("embed", digest, method, kind, settings.text_column, settings.batch_size)
        shards = [_shard_paths(out, embed_key, number)[0] for number in range(_batches(len(items), settings.batch_size))]
        embedded = run("embed", embed_key, shards, lambda p: _embed(out, embed_key, items, method, kind, settings, engine, p))
        rows, vectors = _read_shards(out, embed_key, len(items), settings.batch_size)
        if len(rows) == 0:
            raise AtlasError(f"No item of {source.name} got a vector from {method}: there is nothing to map.")
        sample = _sample(len(rows), settings.sample, settings.seed)
        index_key = fingerprint("index", embed_key, EXACT_INDEX_UP_TO)
        run("index", index_key, [out / INDEX], lambda p: _index(out, vectors, p))
        project_key = fingerprint("project", embed_key, settings.sample, settings.seed, settings.transform_batch)
        run("project", project_key, [out / PROJECTION],
            lambda p: _project(out, vectors, sample, settings, engine, p))
        clusters = settings.clusters or default_clusters(len(rows))
        cluster_key = fingerprint("cluster", embed_key, settings.sample, settings.seed, clusters)
        texts = [items.texts[row] for row in rows]
        run("cluster", cluster_key, [out / CLUSTERS],
            lambda p: _cluster(out, vectors, texts, sample, clusters, settings, engine, p))
        points_key = fingerprint("points", project_key, cluster_key, index_key)
        run("points", points_key, [out / POINTS], lambda p: _points(out, rows, texts, items, record, p))
    record["counts"] = {"items": len(items), "embedded": len(rows), "missing": len(items) - len(rows),
                        "sample": len(sample)}
    record["missing_examples"] = embedded.get("missing_examples", [])
    record["complete"] = True
    record["seconds"] = round(time.perf_counter() - started, 2)
    write_record(out, record)
    return record


def _items_kind(items: AtlasInput, wanted: str, vectors_file: bool) -> str:
    from inputs.wordlists import looks_like_sentences

    if wanted not in ("auto", "words", "sentences"):
        raise ValueError(f"items must be auto, words or sentences, not {wanted!r}.")
    if vectors_file:
        return "words"
    if wanted != "auto":
        return wanted
    return "sentences" if looks_like_sentences(items.texts[:10_000]) else "words"


def _start_record(out: Path, source: Path, digest: str, items: AtlasInput, settings: BuildSettings, method: str,
                  kind: str) -> dict[str, Any]:
    """The folder's record when it was built from the same input, else a new one (its steps then all run)."""
    try:
        record = read_record(out)
    except AtlasError:
        record = {}
    if record.get("input", {}).get("digest") != digest:
        record = {"format": FORMAT_VERSION, "steps": {}}
    record.update({
        "format": FORMAT_VERSION, "complete": False,
        "built_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "input": {"file": source.name, "digest": digest, "rows": len(items),
                  "text_column": None if items.vectors is not None else settings.text_column,
                  "metadata_columns": [str(column) for column in items.metadata.columns],
                  "kind": "vectors file" if items.vectors is not None else "table"},
        "parameters": {**asdict(settings), "method": method, "items": kind},
        "versions": _versions(),
    })
    write_record(out, record)
    return record


def _run_step(out: Path, record: dict[str, Any], progress_for: StepProgress, name: str, key: str,
              outputs: list[Path], step: Callable[[Progress], dict[str, Any]]) -> dict[str, Any]:
    """Run one step unless the record has it done with this fingerprint and its outputs exist; record it."""
    progress = progress_for(name)
    done = record["steps"].get(name)
    if done and done.get("fingerprint") == key and all(path.exists() for path in outputs):
        done["skipped"] = True
        progress(1.0, f"{name}: done already (same inputs and parameters), skipped")
        write_record(out, record)
        return done
    started = time.perf_counter()
    details = step(progress)
    record["steps"][name] = {"fingerprint": key, "seconds": round(time.perf_counter() - started, 2),
                             "skipped": False, **details}
    write_record(out, record)
    return record["steps"][name]


# --- embed ------------------------------------------------------------------------------------------------
def _shard_paths(out: Path, key: str, number: int) -> tuple[Path, Path]:
    stem = out / EMBED_FOLDER / f"{key[:16]}-{number:05d}"
    return stem.with_suffix(".vectors.npy"), stem.with_suffix(".rows.npy")


def _batches(count: int, size: int) -> int:
    return -(-count // size)


def _save_array(path: Path, array: np.ndarray) -> None:
    write_atomically(path, lambda file: np.save(file, array, allow_pickle=False))


def embed_batch(method: str, kind: str, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """On a worker: the vectors of the items of ``texts`` that ``method`` embeds, and their positions in it.

    ``embedders.get`` keeps one model per process, so a worker loads it on its first batch only.
    """
    import embedders

    embedder = embedders.get(method)
    result = embedder.embed_sentences(texts) if kind == "sentences" else embedder.embed(texts)
    # The result keeps input order and leaves out what has no vector: match it back to positions.
    positions, found = [], 0
    for position, text in enumerate(texts):
        if found < len(result.words) and result.words[found] == text:
            positions.append(position)
            found += 1
    return np.asarray(positions, dtype=np.int64), np.asarray(result.vectors, dtype=np.float32)


def _embed(out: Path, key: str, items: AtlasInput, method: str, kind: str, settings: BuildSettings,
           engine: Callable[[], Engine], progress: Progress) -> dict[str, Any]:
    (out / EMBED_FOLDER).mkdir(exist_ok=True)
    started = time.perf_counter()
    size = settings.batch_size
    batches = [(number, start) for number, start in enumerate(range(0, len(items), size))]
    todo = [(number, start) for number, start in batches if not _shard_paths(out, key, number)[0].exists()]
    resumed = len(batches) - len(todo)
    if items.vectors is not None:  # a vectors file: the vectors are given, stored as shards like embedded ones
        for number, start in todo:
            _write_shard(out, key, number, np.arange(start, min(start + size, len(items))),
                         items.vectors[start : start + size])
        progress(1.0, f"Stored {len(items):,} given vectors")
    elif todo:
        import embedders

        if embedders.get(method).trains_on_first_use:  # train once here, so that workers read the trained model
            progress(0.0, f"Training {embedders.title(method)} once before the workers load it…")
            embedders.get(method).load()
        batch_texts = [items.texts[start : start + size] for _, start in todo]
        for position, (found, vectors) in engine().run(functools.partial(embed_batch, method, kind), batch_texts,
                                                       progress, f"Embedding with {method}"):
            number, start = todo[position]
            _write_shard(out, key, number, found + start, vectors)
    rows, _ = _read_shards(out, key, len(items), size)
    for stale in (out / EMBED_FOLDER).glob("*.npy"):  # shards of an earlier input or batch size
        if not stale.name.startswith(f"{key[:16]}-"):
            stale.unlink()
    kept = np.zeros(len(items), dtype=bool)
    kept[rows] = True
    missing = [items.texts[i] for i in np.flatnonzero(~kept)[:10]]
    return {"batches": len(batches), "batches_resumed": resumed, "embedded": len(rows),
            "missing": int(len(items) - len(rows)), "missing_examples": missing,
            "items_per_second": round(len(todo) * size / max(time.perf_counter() - started, 1e-9), 1)}


def _write_shard(out: Path, key: str, number: int, rows: np.ndarray, vectors: np.ndarray) -> None:
    vectors_path, rows_path = _shard_paths(out, key, number)
    _save_array(rows_path, np.asarray(rows, dtype=np.int64))
    _save_array(vectors_path, np.ascontiguousarray(vectors, dtype=np.float32))  # last: its presence means done


def _read_shards(out: Path, key: str, count: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The input rows that got a vector, and their vectors, from every shard in order."""
    rows, vectors = [], []
    for number in range(_batches(count, size)):
        vectors_path, rows_path = _shard_paths(out, key, number)
        if not vectors_path.exists():
            raise AtlasError(f"The embed step's shard {vectors_path.name} is missing: run the build again.")
        rows.append(np.load(rows_path))
        vectors.append(np.load(vectors_path))
    if not vectors:
        return np.zeros(0, np.int64), np.zeros((0, 1), np.float32)
    return np.concatenate(rows), np.concatenate(vectors)


# --- index --------------------------------------------------------------------------------------------------
def _index(out: Path, vectors: np.ndarray, progress: Progress) -> dict[str, Any]:
    import faiss

    from retrieval.index import DEFAULT_SEARCH_DEPTH, IndexSettings, VectorIndex, recall_at_k

    settings = IndexSettings(kind="exact" if len(vectors) <= EXACT_INDEX_UP_TO else "hnsw")
    index = VectorIndex.build(vectors, settings, progress)
    with temporary_path(out / INDEX) as temporary:
        faiss.write_index(index.faiss_index, str(temporary))
    queries = _sample(len(vectors), RECALL_QUERIES, 1)
    unit = unit_rows(vectors, dtype=np.float32)
    k = min(QUALITY_K, len(vectors))
    _, truth = exact_neighbours(unit, unit[queries], k)
    found = index.search(unit[queries], k)
    return {"kind": settings.kind, "links": settings.links if settings.kind == "hnsw" else None,
            "build_depth": settings.build_depth if settings.kind == "hnsw" else None,
            "search_depth": DEFAULT_SEARCH_DEPTH if settings.kind == "hnsw" else None,
            "recall_at_10": round(recall_at_k(found.indices, truth), 4), "recall_queries": len(queries),
            "ms_per_query": round(found.seconds_per_query * 1000, 4)}


# --- project ------------------------------------------------------------------------------------------------
def transform_batch(reducer: Any, vectors: np.ndarray) -> np.ndarray:
    """On a worker: UMAP's ``transform`` of a batch by the model fitted on the sample."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(reducer.transform(vectors), dtype=np.float32)


def sample_then_transform(vectors: np.ndarray, sample: np.ndarray, settings: BuildSettings, engine: Callable[[], Engine],
                          progress: Progress) -> tuple[np.ndarray, dict[str, Any]]:
    """UMAP and PCA fitted on the ``sample`` rows of ``vectors``, then applied to every row (UMAP's ``transform`` in
    batches on the engine): ``[n x 4]`` float32 coordinates (UMAP x, y, PCA x, y) and what was done, measured."""
    from projection.distortion import trustworthiness
    from projection.placement import ExactSearch
    from projection.reducers import fit_metric, pca_model, umap_model

    n = len(vectors)
    fitted = np.ascontiguousarray(vectors[sample])
    started = time.perf_counter()
    progress(0.05, f"Fitting UMAP on a sample of {len(sample):,} of {n:,} items…")
    search = ExactSearch(fitted, fit_metric(fitted))  # the transformed points' neighbours among the sample
    reducer, notes = umap_model(fitted, 2, settings.seed, 15, 0.1, "cosine", None, search_index=search)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reducer.fit(fitted)
    fit_seconds = time.perf_counter() - started
    coords = np.zeros((n, 4), dtype=np.float32)
    coords[sample, :2] = reducer.embedding_
    others = np.setdiff1d(np.arange(n), sample)
    started = time.perf_counter()
    if len(others):
        shared = engine().share(reducer)
        size = settings.transform_batch
        batches = [others[start : start + size] for start in range(0, len(others), size)]
        for number, placed in engine().run(transform_batch, [vectors[rows] for rows in batches], progress,
                                           "Placing the other items by UMAP's transform", shared):
            coords[batches[number], :2] = placed
    transform_seconds = time.perf_counter() - started
    pca = pca_model(fitted, 2).fit(fitted)
    coords[:, 2:] = pca.transform(vectors)
    quality_rows = _sample(n, TRUSTWORTHINESS_SAMPLE, 2)
    k = QUALITY_K if len(quality_rows) > 2 * QUALITY_K else max(1, len(quality_rows) // 2 - 1)
    measured: dict[str, float | None] = {}
    for name, columns in (("umap", slice(0, 2)), ("pca", slice(2, 4))):
        try:
            measured[name] = round(trustworthiness(vectors[quality_rows], coords[quality_rows, columns], k), 4)
        except ValueError:  # too few items to measure
            measured[name] = None
    return coords, {"fitted_on": len(sample), "transformed": int(len(others)), "fit_seconds": round(fit_seconds, 2),
                    "transform_seconds": round(transform_seconds, 2), "trustworthiness_umap": measured["umap"],
                    "trustworthiness_pca": measured["pca"], "trustworthiness_sample": len(quality_rows),
                    "trustworthiness_k": k, "notes": notes}


def _project(out: Path, vectors: np.ndarray, sample: np.ndarray, settings: BuildSettings,
             engine: Callable[[], Engine], progress: Progress) -> dict[str, Any]:
    coords, details = sample_then_transform(vectors, sample, settings, engine, progress)
    _save_array(out / PROJECTION, coords)
    return details


# --- cluster ------------------------------------------------------------------------------------------------
def assign_batch(centroids: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """On a worker: each vector's nearest centroid (cosine: centroids are unit rows)."""
    return np.argmax(unit_rows(vectors, dtype=np.float32) @ centroids.T, axis=1).astype(np.int32)


def _cluster(out: Path, vectors: np.ndarray, texts: list[str], sample: np.ndarray, clusters: int,
             settings: BuildSettings, engine: Callable[[], Engine], progress: Progress) -> dict[str, Any]:
    import faiss

    from analysis.clusters import central_name

    fitted = np.ascontiguousarray(unit_rows(vectors[sample], dtype=np.float32))
    k = max(1, min(clusters, len(fitted)))
    progress(0.05, f"k-means ({k} clusters) on the sample of {len(sample):,}…")
    kmeans = faiss.Kmeans(fitted.shape[1], k, niter=20, seed=settings.seed + 1, spherical=True)
    kmeans.train(fitted)
    centroids = unit_rows(np.asarray(kmeans.centroids), dtype=np.float32)
    labels = np.zeros(len(vectors), dtype=np.int32)
    size = settings.transform_batch
    starts = list(range(0, len(vectors), size))
    for number, assigned in engine().run(assign_batch, [vectors[start : start + size] for start in starts],
                                         progress, "Assigning every item to its cluster", engine().share(centroids)):
        labels[starts[number] : starts[number] + len(assigned)] = assigned
    unit = unit_rows(vectors, dtype=np.float32)
    names = {int(label): central_name(unit, texts, labels == label) for label in np.unique(labels)}
    _save_array(out / CLUSTERS, labels)
    return {"k": k, "fitted_on": len(sample), "names": {str(label): name for label, name in names.items()},
            "sizes": {str(label): int(count) for label, count in zip(*np.unique(labels, return_counts=True))}}


# --- points -------------------------------------------------------------------------------------------------
def _points(out: Path, rows: np.ndarray, texts: list[str], items: AtlasInput, record: dict[str, Any],
            progress: Progress) -> dict[str, Any]:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    coords = np.load(out / PROJECTION)
    labels = np.load(out / CLUSTERS)
    names = record["steps"]["cluster"]["names"]
    frame = pd.DataFrame({"id": rows, "text": texts, "x": coords[:, 0], "y": coords[:, 1], "pca_x": coords[:, 2],
                          "pca_y": coords[:, 3], "cluster": labels,
                          "cluster_name": [names[str(label)] for label in labels]})
    metadata = items.metadata.iloc[rows].reset_index(drop=True)
    # An input column called like one of ours keeps its values under another name.
    metadata.columns = [f"input_{column}" if column in POINT_COLUMNS else column for column in metadata.columns]
    frame = pd.concat([frame, metadata], axis=1)
    with temporary_path(out / POINTS) as temporary:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), temporary)
    progress(1.0, f"Wrote {len(frame):,} points")
    return {"rows": len(frame), "columns": list(map(str, frame.columns))}


# --- helpers ------------------------------------------------------------------------------------------------
def _sample(n: int, size: int, seed: int) -> np.ndarray:
    from projection.reducers import sample_rows

    return sample_rows(n, size, seed)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("numpy", "faiss-cpu", "umap-learn", "scikit-learn", "dask", "distributed",
                    "sentence-transformers", "gensim"):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    return found
