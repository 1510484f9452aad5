"""Speed and memory figures, each against a baseline measured in the same run.

Run: python bench/benchmark.py  (takes a few minutes; uses a temporary cache folder
so training and compiling are measured cold, as on a fresh machine).

Printed figures:
- start-up: seconds from a fresh process to the default chart's coordinates, against
  a fresh process that only imports numpy; and whether torch or umap were imported.
- memory: resident memory after loading GloVe, against the process before loading it.
- UMAP: first fit in a fresh process (compiling) against a second fit in that process,
  and a fresh process reusing numba's disk cache against the same second fit.
- training: Word2Vec skip-gram trained from scratch against reloading the saved vectors.
- projection: UMAP and t-SNE on 2,000 GloVe words against PCA on the same words.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_snippet(code: str, cache: str) -> dict:
    """Run ``code`` in a fresh Python process; it prints one JSON object as its last line."""
    env = {**os.environ, "EMBEDDING_EXPLORER_CACHE": cache, "NUMBA_CACHE_DIR": f"{cache}/numba",
           "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    output = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, env=env,
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


BASELINE_STARTUP = """
import time; t = time.perf_counter()
import numpy, json
print(json.dumps({"seconds": time.perf_counter() - t}))
"""

DEFAULT_CHART = """
import time; t = time.perf_counter()
import json, sys, resource
import embedders, wordlists
from projection import project
words = wordlists.load_preset(wordlists.DEFAULT_PRESET, lowercase=True)
glove = embedders.get("glove")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = glove.embed(words.items)
coords = project(result.vectors, "pca", 2)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": time.perf_counter() - t, "rss_before_mb": before / 1024, "rss_after_mb": after / 1024,
                  "torch": "torch" in sys.modules, "umap": "umap" in sys.modules}))
"""

UMAP_FITS = """
import time, json, numpy as np
from projection import project
points = np.random.default_rng(0).normal(size=(200, 50))
t = time.perf_counter(); project(points, "umap", 2, seed=0); first = time.perf_counter() - t
t = time.perf_counter(); project(points, "umap", 2, seed=1); second = time.perf_counter() - t
print(json.dumps({"first": first, "second": second}))
"""

TRAIN_AND_RELOAD = """
import time, json
from embedders.word2vec_skipgram import Word2VecSkipGramEmbedder
from embedders.corpus import bundled_corpus
bundled_corpus()  # tokenizing is measured apart from training
t = time.perf_counter(); Word2VecSkipGramEmbedder().load(); trained = time.perf_counter() - t
t = time.perf_counter(); Word2VecSkipGramEmbedder().load(); reloaded = time.perf_counter() - t
print(json.dumps({"trained": trained, "reloaded": reloaded}))
"""

PROJECTIONS = """
import time, json
import embedders
from projection import project
glove = embedders.get("glove"); glove.load()
vectors = glove.keyed_vectors.vectors[1000:3000]  # 2,000 common words, skipping punctuation
project(vectors[:50], "umap", 2)  # compile first: this measures fitting, not compiling
seconds = {}
for method in ["pca", "umap", "tsne"]:
    t = time.perf_counter(); project(vectors, method, 2, seed=0); seconds[method] = time.perf_counter() - t
print(json.dumps(seconds))
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        baseline = run_snippet(BASELINE_STARTUP, cache)
        chart = run_snippet(DEFAULT_CHART, cache)
        print(f"start-up to default chart: {chart['seconds']:.2f} s, "
              f"{chart['seconds'] / baseline['seconds']:.0f}x a bare numpy import ({baseline['seconds']:.2f} s); "
              f"torch imported: {chart['torch']}, umap imported: {chart['umap']}")
        print(f"memory with GloVe loaded: {chart['rss_after_mb']:.0f} MB peak, "
              f"{chart['rss_after_mb'] / chart['rss_before_mb']:.2f}x the process before loading ({chart['rss_before_mb']:.0f} MB)")

        cold = run_snippet(UMAP_FITS, cache)
        warm = run_snippet(UMAP_FITS, cache)
        print(f"UMAP first fit, fresh process, cold cache: {cold['first']:.1f} s = {cold['first'] / cold['second']:.0f}x a later fit ({cold['second']:.2f} s)")
        print(f"UMAP first fit, fresh process, numba disk cache: {warm['first']:.1f} s = {warm['first'] / warm['second']:.0f}x a later fit "
              f"({warm['first'] / cold['first']:.2f}x the cold first fit)")

        training = run_snippet(TRAIN_AND_RELOAD, cache)
        print(f"Word2Vec skip-gram: trained in {training['trained']:.1f} s, reloaded from the cache in {training['reloaded']:.2f} s "
              f"({training['trained'] / training['reloaded']:.0f}x faster to reuse)")

        seconds = run_snippet(PROJECTIONS, cache)
        print(f"projection of 2,000 GloVe words: PCA {seconds['pca']:.2f} s; UMAP {seconds['umap']:.1f} s "
              f"({seconds['umap'] / seconds['pca']:.0f}x PCA); t-SNE {seconds['tsne']:.1f} s ({seconds['tsne'] / seconds['pca']:.0f}x PCA)")


if __name__ == "__main__":
    main()
