"""Speed and quality at real sizes, each figure next to a baseline measured in the same run.

Run: python bench/scale.py [--smoke] [--json bench/scale.json]

- UMAP 2-D and 3-D on 10,000 and 50,000 GloVe words (ours: shared exact graph, fewer epochs)
  against umap-learn's defaults on the same words: seconds and trustworthiness (k = 10, on a
  sample of 2,000). umap-learn's first fit compiles pynndescent; a warm-up fit before the
  timed ones keeps compile time out of both.
- t-SNE 2-D on 5,000 and 10,000 words (ours: openTSNE over the shared graph) against
  scikit-learn's default TSNE.
- the neighbour graph itself: FAISS exact against HNSW, with HNSW's recall.
- PCA on 100,000 words; neighbours and an analogy over GloVe's 400,000 words, against a bare
  numpy dot product over the same matrix.
``--smoke`` runs every step on a few hundred words so the test suite keeps this script working.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import embedders  # noqa: E402
from projection import neighbour_graph, run_projection  # noqa: E402
from projection.distortion import trustworthiness  # noqa: E402
from projection.reducers import sample_rows  # noqa: E402

TRUST_K = 10
TRUST_SAMPLE = 2000


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def trust(vectors: np.ndarray, coords: np.ndarray) -> float:
    rows = sample_rows(len(vectors), TRUST_SAMPLE)
    return trustworthiness(vectors[rows], coords[rows], min(TRUST_K, (len(rows) - 1) // 2 - 1))


def umap_figures(vectors: np.ndarray, dims: int) -> dict:
    import umap

    graph, graph_seconds = timed(neighbour_graph, vectors, 15)
    ours, seconds = timed(run_projection, vectors, "umap", dims, graph=graph)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, their_seconds = timed(umap.UMAP(n_components=dims, metric="cosine", random_state=0).fit_transform, vectors)
    return {"seconds": graph_seconds + seconds, "trustworthiness": trust(vectors, ours.coords),
            "default_seconds": their_seconds, "default_trustworthiness": trust(vectors, theirs)}


def tsne_figures(vectors: np.ndarray) -> dict:
    from sklearn.manifold import TSNE

    ours, seconds = timed(run_projection, vectors, "tsne", 2)
    theirs, their_seconds = timed(TSNE(2, random_state=0, perplexity=min(30.0, (len(vectors) - 1) / 3)).fit_transform, vectors)
    return {"seconds": seconds, "trustworthiness": trust(vectors, ours.coords),
            "default_seconds": their_seconds, "default_trustworthiness": trust(vectors, theirs)}


def graph_figures(vectors: np.ndarray) -> dict:
    exact, exact_seconds = timed(neighbour_graph, vectors, 15)
    approximate, hnsw_seconds = timed(neighbour_graph, vectors, 15, exact_work=0)
    recall = np.mean([len(set(a) & set(b)) / 15 for a, b in zip(exact.indices, approximate.indices)])
    return {"exact_seconds": exact_seconds, "hnsw_seconds": hnsw_seconds, "hnsw_recall_at_15": float(recall)}


def vocabulary_figures(glove) -> dict:
    unit = glove.keyed_vectors.get_normed_vectors()
    queries = ["king", "paris", "computer", "river", "music"]
    _, numpy_seconds = timed(lambda: [np.argpartition(-(unit @ unit[glove.keyed_vectors.key_to_index[q]]), 11)[:11] for q in queries])
    _, neighbour_seconds = timed(lambda: [glove.neighbours(q, 10) for q in queries])
    _, analogy_seconds = timed(lambda: [glove.keyed_vectors.most_similar(positive=["woman", q], negative=["man"], topn=10)
                                        for q in queries])
    per = len(queries)
    return {"neighbours_ms": 1000 * neighbour_seconds / per, "analogy_ms": 1000 * analogy_seconds / per,
            "numpy_dot_ms": 1000 * numpy_seconds / per, "words": len(unit)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check that the script runs")
    parser.add_argument("--json", type=Path, default=Path(__file__).with_name("scale.json"))
    args = parser.parse_args(argv)
    umap_sizes, tsne_sizes, pca_size = ([300], [300], 1000) if args.smoke else ([10_000, 50_000], [5_000, 10_000], 100_000)

    glove = embedders.get("glove")
    glove.load()
    words = glove.keyed_vectors.vectors
    first = lambda n: np.asarray(words[1000 : 1000 + n])  # skip the punctuation at the top  # noqa: E731

    import umap  # warm both UMAP paths so that compile time stays out of the timed fits

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        umap.UMAP(metric="cosine").fit_transform(first(5000 if not args.smoke else 300))
    run_projection(first(300), "umap", 2)

    figures: dict = {"umap": {}, "tsne": {}}
    for n in umap_sizes:
        for dims in (2, 3):
            f = figures["umap"][f"{n}x{dims}d"] = umap_figures(first(n), dims)
            print(f"UMAP {dims}-D, {n:,} words: {f['seconds']:.1f} s = {f['seconds'] / f['default_seconds']:.2f} x umap-learn's "
                  f"defaults ({f['default_seconds']:.1f} s); trustworthiness {f['trustworthiness']:.3f} against "
                  f"{f['default_trustworthiness']:.3f}", flush=True)
    for n in tsne_sizes:
        f = figures["tsne"][str(n)] = tsne_figures(first(n))
        print(f"t-SNE 2-D, {n:,} words: {f['seconds']:.1f} s = {f['seconds'] / f['default_seconds']:.2f} x scikit-learn's "
              f"default ({f['default_seconds']:.1f} s); trustworthiness {f['trustworthiness']:.3f} against "
              f"{f['default_trustworthiness']:.3f}", flush=True)
    f = figures["graph"] = graph_figures(first(umap_sizes[-1]))
    print(f"Neighbour graph, {umap_sizes[-1]:,} words, k = 15: exact {f['exact_seconds']:.1f} s, HNSW "
          f"{f['hnsw_seconds']:.1f} s at recall {f['hnsw_recall_at_15']:.3f}", flush=True)
    _, pca_seconds = timed(run_projection, first(pca_size), "pca", 2)
    _, copy_seconds = timed(np.array, first(pca_size) * 1.0)
    figures["pca"] = {"words": pca_size, "seconds": pca_seconds, "copy_seconds": copy_seconds}
    print(f"PCA on {pca_size:,} words: {pca_seconds:.2f} s (copying the matrix once: {copy_seconds:.3f} s)")
    f = figures["vocabulary"] = vocabulary_figures(glove)
    print(f"Over {f['words']:,} GloVe words: neighbours {f['neighbours_ms']:.1f} ms, an analogy {f['analogy_ms']:.1f} ms "
          f"(a bare numpy dot product and partition: {f['numpy_dot_ms']:.1f} ms)")
    args.json.write_text(json.dumps(figures, indent=2))
    print(f"Figures written to {args.json}")
    return figures


if __name__ == "__main__":
    main()
