"""The atlas benchmark runs end to end on small sizes, so that it cannot rot."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from settings import cache_dir

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


def test_atlas_benchmark_smoke_run_writes_every_figure(tmp_path):
    out = tmp_path / "atlas.json"
    # Its own process, as a user runs it: the browser tests' Playwright holds this one's event loop.
    finished = subprocess.run([sys.executable, "bench/atlas.py", "--smoke", "--json", str(out)], cwd=REPO,
                              env={**os.environ, "EMBEDDING_EXPLORER_CACHE": str(cache_dir())},
                              capture_output=True, text=True, timeout=1200)
    assert finished.returncode == 0, finished.stderr[-3000:]
    figures = json.loads(out.read_text())
    engines = figures["engines"]
    assert engines["plain_loop"]["items_per_s"] > 0 and engines["dask"]["items_per_s"] > 0
    assert engines["dask"]["workers"] >= 1 and engines["dask"]["share_of_plain"] > 0
    projection = figures["projection"]
    assert projection["sample_fit_and_transform_s"] > 0 and projection["full_fit_s"] > 0
    assert 0.5 < projection["trustworthiness_sampled"] <= 1 and 0.5 < projection["trustworthiness_full"] <= 1
    atlas = figures["atlas"]
    assert atlas["items"] == 1465 and atlas["resumed_skipped"] == ["embed", "cluster"]
    page = figures["page"]
    assert page["first_chart_s"] > 0 and page["zoom_s"] > 0 and page["search_in_browser_s"] > 0
    assert page["hello_first_chart_s"] > 0 and page["search_ms_in_process"] > 0
