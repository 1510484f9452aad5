"""Warming: the cache folder prepared once for every replica, and each replica's process before it serves.

``warm_cache`` does, once, everything the app would otherwise do on a first visit and keep in the cache
folder: the bundled corpus and passages parsed, every method that trains on the corpus trained, the
presets' stored embeddings, the base Word2Vec of Fine-tuning, GloVe's search indexes and UMAP's numba
code compiled. Replicas then read that folder and write nothing to it (``EMBEDDING_EXPLORER_CACHE_READ_ONLY``).
It ends by writing ``warm.json`` there: what was prepared, how long each step took, and the versions.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from common.files import write_atomically
from common.progress import Progress, no_progress, part_of
from settings import cache_dir

WARM_RECORD = "warm.json"
#: The packages whose versions decide whether a warmed folder fits a replica (numba's code, the models).
VERSIONED_PACKAGES = ("streamlit", "numpy", "gensim", "umap-learn", "numba", "faiss-cpu", "sentence-transformers")


@dataclass(frozen=True)
class WarmStep:
    """One step of the warm-up: what it prepared and how long it took."""

    name: str
    seconds: float
    detail: str


def _corpus() -> str:
    from embedders.corpus import bundled_corpus

    corpus = bundled_corpus()
    return f"{corpus.token_count:,} tokens"


def _passages() -> str:
    from inputs.passages import wikipedia_passages

    return f"{len(wikipedia_passages()):,} passages"


def _trained_methods(progress: Progress) -> str:
    import embedders

    trained = [embedder for embedder in map(embedders.get, embedders.available()) if embedder.trains_on_first_use]
    for number, embedder in enumerate(trained):
        embedder.load(part_of(progress, number / len(trained), (number + 1) / len(trained)))
    return ", ".join(embedder.title for embedder in trained)


def _preset_embeddings(progress: Progress) -> str:
    import embedders
    from embedders.stored import embeddable_items, preset_embedding, worth_storing
    from inputs.wordlists import load_preset, preset_names

    stored = [(preset, embedder) for preset in map(load_preset, preset_names())
              for embedder in map(embedders.get, embedders.available())
              if worth_storing(embedder, embeddable_items(embedder, preset.items)[0])]
    for number, (preset, embedder) in enumerate(stored):
        report = part_of(progress, number / len(stored), (number + 1) / len(stored))
        embedder.load(report)
        preset_embedding(embedder, preset, report)
    return ", ".join(f"{preset.preset} by {embedder.title}" for preset, embedder in stored)


def _base_word2vec(progress: Progress) -> str:
    from finetuning.word2vec import base_model

    return f"{len(base_model(progress).wv.index_to_key):,} words"


def _search_indexes(progress: Progress) -> str:
    import embedders
    from retrieval import IndexSettings, shared_index

    vectors = embedders.get("glove").keyed_vectors.vectors
    for settings in (IndexSettings("exact"), IndexSettings("hnsw")):
        shared_index("glove", vectors, settings, progress)
    return f"GloVe's {len(vectors):,} words, exact and HNSW"


def _umap_compiled() -> str:
    from projection.umap_worker import warm_up

    warm_up()
    return "2-D, 3-D and placement"


def warm_cache(progress: Progress = no_progress, say: Callable[[str], None] = print) -> list[WarmStep]:
    """Prepare the cache folder for replicas (minutes the first time, seconds when it is warm already)."""
    steps: list[tuple[str, Callable[[Progress], str]]] = [
        ("The bundled corpus", lambda _: _corpus()),
        ("The Wikipedia passages", lambda _: _passages()),
        ("Methods trained on the corpus", _trained_methods),
        ("Stored embeddings of the presets", _preset_embeddings),
        ("The base Word2Vec of Fine-tuning", _base_word2vec),
        ("Search indexes", _search_indexes),
        ("UMAP's compiled code", lambda _: _umap_compiled()),
    ]
    done = []
    for number, (name, step) in enumerate(steps):
        started = time.perf_counter()
        detail = step(part_of(progress, number / len(steps), (number + 1) / len(steps)))
        done.append(WarmStep(name, round(time.perf_counter() - started, 1), detail))
        say(f"{name}: {detail} ({done[-1].seconds:.1f} s)")
    record = {"steps": [asdict(step) for step in done], "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
              "python": platform.python_version(), "versions": package_versions()}
    write_atomically(cache_dir() / WARM_RECORD, lambda file: file.write(json.dumps(record, indent=2).encode()))
    return done


def package_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in VERSIONED_PACKAGES}


def warm_record(folder: Path) -> dict | None:
    """What ``warm_cache`` recorded in ``folder``, or None when it was never warmed (or with other packages)."""
    try:
        record = json.loads((folder / WARM_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("versions") == package_versions() else None


def warm_process() -> None:
    """Import what a first page needs, read the default model (GloVe) into this process and start the UMAP
    worker's warm-up: a replica runs this before it accepts connections.

    The worker's warm-up (loading numba's compiled code, seconds with a warmed folder) goes on in the
    background: waiting for it would delay every replica's first chart for the sake of the first UMAP.
    """
    from sklearn.decomposition import PCA  # noqa: F401  (scikit-learn's import is the largest part)

    import charts  # noqa: F401
    import embedders
    from projection.umap_worker import umap_worker

    embedders.get("glove").load()
    umap_worker.start()
