"""The scale benchmark runs end to end on tiny sizes, so that it cannot rot."""

import json

import pytest

from bench.scale import main


@pytest.mark.slow
def test_scale_benchmark_smoke_run_writes_every_figure(glove, tmp_path):
    out = tmp_path / "scale.json"
    figures = main(["--smoke", "--json", str(out)])
    assert json.loads(out.read_text()) == json.loads(json.dumps(figures))
    for run in [*figures["umap"].values(), *figures["tsne"].values()]:
        assert run["seconds"] > 0 and run["default_seconds"] > 0
        assert 0.5 < run["trustworthiness"] <= 1 and 0.5 < run["default_trustworthiness"] <= 1
    assert set(figures["umap"]) == {"300x2d", "300x3d"}
    assert 0.9 < figures["graph"]["hnsw_recall_at_15"] <= 1
    assert figures["vocabulary"]["words"] == 400_000 and figures["vocabulary"]["neighbours_ms"] > 0
