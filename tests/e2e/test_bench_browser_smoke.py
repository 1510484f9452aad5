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
    assert set(walk) == {"upload_to_pca", "umap", "tsne", "tsne_3d"} and all(seconds > 0 for seconds in walk.values())
    memory = figures["memory"]
    # GloVe alone is 400,000 x 50 float32 (80 MB); MiniLM and Word2Vec come on top.
    assert 400 < memory["server_mb"] <= memory["peak_mb"]
    assert memory["worker_mb"] > 0  # the UMAP worker process was found and counted
