"""The browser benchmark runs end to end on tiny sizes, so that it cannot rot."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from settings import cache_dir

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


def test_browser_benchmark_smoke_run_writes_every_figure(tmp_path):
    out = tmp_path / "browser.json"
    # The tests' own cache folder, whose models are trained by now, keeps the run short; its own
    # process, as a user runs it, because the browser tests' Playwright holds this one's event loop.
    subprocess.run([sys.executable, "bench/browser.py", "--smoke", "--json", str(out), "--cache", str(cache_dir())],
                   cwd=REPO, check=True, timeout=900)
    figures = json.loads(out.read_text())
    for name in ("app_start_warm", "hello_start_warm", "app_first_chart",
                 "hello_first_chart", "app_first_chart_during_warmup", "app_sessions_at_once", "hello_sessions_at_once"):
        assert figures[f"{name}_seconds"] > 0, name
    walk = figures["walk_first"]
    steps = {"upload_to_pca", "umap", "tsne", "tsne_3d"}
    assert set(walk["chart"]) == set(walk["settled"]) == steps
    assert all(0 < walk["chart"][step] <= walk["settled"][step] for step in steps)
    vectors = figures["vectors_walk"]  # a vectors file uploaded in the sidebar, its words drawn, then UMAP
    assert set(vectors["chart"]) == {"upload", "pca", "umap"}
    assert vectors["upload_to_chart"] > vectors["chart"]["pca"] > 0
    assert figures["app_first_charts_during_warmup"] and all(s > 0 for s in figures["app_first_charts_during_warmup"])
    memory = figures["memory"]
    # GloVe alone is 400,000 x 50 float32 (80 MB); MiniLM and Word2Vec come on top.
    assert 400 < memory["server_mb"] <= memory["peak_mb"]
    assert memory["worker_mb"] > 0  # the UMAP worker process was found and counted
