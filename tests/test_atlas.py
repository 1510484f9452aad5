"""Atlases end to end on 2,000 items: the real local Dask cluster, real FAISS and real UMAP, and their refusals."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from atlas.build import STEPS, BuildSettings, build_atlas
from atlas.explore import Region, find_rows, neighbours, search
from atlas.folder import POINTS, RECORD, AtlasError, atlas_folder, list_atlases, open_atlas, read_record
from atlas.inputs import AtlasInputError
from links.view import from_query_params
from tests.atlas_inputs import UNKNOWN, glove_words, write_words_table

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("spawnable_main")]

REPO = Path(__file__).resolve().parents[1]
SETTINGS = BuildSettings(method="glove", items="words", sample=1000, batch_size=500, transform_batch=400)


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    return write_words_table(tmp_path_factory.mktemp("input") / "words.csv")


@pytest.fixture(scope="module")
def built(spawnable_main, table, tmp_path_factory) -> tuple[Path, dict, list[str]]:
    out = tmp_path_factory.mktemp("atlases") / "words"
    steps_seen: list[str] = []

    def progress_for(step: str):
        steps_seen.append(step)
        return lambda fraction, message: None

    record = build_atlas(table, out, SETTINGS, workers=2, progress_for=progress_for)
    return out, record, steps_seen


def test_a_build_embeds_indexes_projects_and_clusters_every_item(built):
    out, record, steps_seen = built
    assert steps_seen == list(STEPS)
    assert record["complete"] and record["engine"]["name"] == "dask" and record["engine"]["workers"] == 2
    assert record["counts"] == {"items": 2000, "embedded": 1998, "missing": 2, "sample": 1000}
    assert sorted(record["missing_examples"]) == sorted(UNKNOWN)
    steps = record["steps"]
    assert steps["embed"]["batches"] == 4 and not steps["embed"]["skipped"]
    assert steps["index"]["kind"] == "exact" and steps["index"]["recall_at_10"] == 1.0
    assert steps["project"]["fitted_on"] == 1000 and steps["project"]["transformed"] == 998
    # Fitted on half and transformed the rest, the map still keeps most neighbourhoods, better than PCA.
    assert steps["project"]["trustworthiness_umap"] > steps["project"]["trustworthiness_pca"] > 0.5
    atlas = open_atlas(out)
    assert len(atlas.points) == 1998 and atlas.metadata_columns == ["rank"]
    assert set(atlas.points["text"]) == set(glove_words(2000)) - set(UNKNOWN)
    assert np.isfinite(atlas.points[["x", "y", "pca_x", "pca_y"]].to_numpy()).all()
    names = steps["cluster"]["names"]
    assert len(names) == steps["cluster"]["k"] == atlas.points["cluster"].nunique()
    # Each name is made of its cluster's own most central items.
    for label, name in names.items():
        members = set(atlas.points.loc[atlas.points["cluster"] == int(label), "text"])
        assert set(name.split(" · ")) <= members


def test_a_query_and_a_click_search_the_original_space(built):
    atlas = open_atlas(built[0])
    hits = search(atlas, "king")
    texts = atlas.points["text"].to_numpy()
    assert texts[hits.rows[0]] == "king" and {"queen", "prince"} & set(texts[hits.rows[:10]])
    king = int(find_rows(atlas, "  KING ")[0])
    near = neighbours(atlas, king)
    assert king not in near.rows and len(near.rows) == 10
    assert np.all(np.diff(near.similarities) <= 1e-6)  # nearest first
    everything = Region((-1e9, 1e9), (-1e9, 1e9)).rows(atlas.points[["x", "y"]].to_numpy())
    assert len(everything) == len(atlas.points)


def test_a_second_run_skips_every_step_and_starts_no_engine(built, table):
    out, first, _ = built
    record = build_atlas(table, out, SETTINGS, workers=2)
    assert all(record["steps"][step]["skipped"] for step in STEPS)
    assert [record["steps"][s]["fingerprint"] for s in STEPS] == [first["steps"][s]["fingerprint"] for s in STEPS]
    # A changed parameter reruns only what depends on it: clusters, then the points.
    changed = build_atlas(table, out, BuildSettings(**{**SETTINGS.__dict__, "clusters": 3}), workers=2)
    assert [changed["steps"][s]["skipped"] for s in STEPS] == [True, True, True, False, False]
    assert changed["steps"]["cluster"]["k"] == 3
    build_atlas(table, out, SETTINGS, workers=2)  # back to the module's atlas for the other tests


def test_a_build_stopped_during_the_embed_step_resumes_shard_by_shard(table, tmp_path):
    out = tmp_path / "resumed"
    build_atlas(table, out, SETTINGS, workers=2)
    shards = sorted((out / "embed").glob("*.vectors.npy"))
    shards[1].unlink()  # as if the build had stopped before this shard was written
    (out / POINTS).unlink()
    record = build_atlas(table, out, SETTINGS, workers=2)
    assert record["steps"]["embed"]["batches_resumed"] == 3 and not record["steps"]["embed"]["skipped"]
    assert len(open_atlas(out).points) == 1998
    # Another batch size embeds again; the old shards go.
    build_atlas(table, out, BuildSettings(**{**SETTINGS.__dict__, "batch_size": 1000}), workers=2)
    assert len(list((out / "embed").glob("*.vectors.npy"))) == 2 and len(list((out / "embed").iterdir())) == 4


def test_an_interrupted_build_is_refused_and_then_resumes(table, tmp_path):
    """Ctrl-C (SIGINT) to ``python -m atlas build`` once its embed step is recorded; the same command resumes."""
    out = tmp_path / "interrupted"
    command = [sys.executable, "-m", "atlas", "build", str(table), "--text", "text", "--method", "glove",
               "--items", "words", "--sample", "1000", "--batch", "500", "--workers", "2", "--out", str(out)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if "embed" in read_record(out)["steps"]:
                break
        except AtlasError:
            pass
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    assert process.returncode != 0
    record = read_record(out)
    assert not record["complete"] and "points" not in record["steps"]
    with pytest.raises(AtlasError, match="did not finish"):
        open_atlas(out)
    info = subprocess.run([sys.executable, "-m", "atlas", "info", str(out)], cwd=REPO, capture_output=True, text=True)
    assert info.returncode == 1 and "not complete" in info.stderr and "resume" in info.stderr
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-2000:]
    record = read_record(out)
    assert record["complete"] and record["steps"]["embed"]["skipped"]
    assert "1,998 embedded" in finished.stdout


def test_a_truncated_points_file_or_a_missing_record_is_refused(built, tmp_path):
    out = tmp_path / "broken"
    subprocess.run(["cp", "-r", str(built[0]), str(out)], check=True)
    points = out / POINTS
    points.write_bytes(points.read_bytes()[: points.stat().st_size // 2])
    with pytest.raises(AtlasError, match="broken points.parquet"):
        open_atlas(out)
    info = subprocess.run([sys.executable, "-m", "atlas", "info", str(out)], cwd=REPO, capture_output=True, text=True)
    assert info.returncode == 1 and "points.parquet" in info.stderr
    (out / RECORD).unlink()
    with pytest.raises(AtlasError, match="has no atlas.json"):
        open_atlas(out)
    listed = {summary.name: summary for summary in list_atlases(tmp_path)}
    assert "atlas.json" in listed["broken"].problem


def test_a_link_names_an_atlas_by_its_folder_only(built):
    root = built[0].parent
    assert atlas_folder(root, "words") == built[0]
    for name in ("../words", "/etc", "..", "words/../words", "", "a\\b"):
        with pytest.raises(AtlasError):
            atlas_folder(root, name)
        view, notes = from_query_params({"page": "atlas", "atlas": name}, ["glove"], ["royalty_vs_buildings"])
        assert view.atlas == "" and (notes or name == "")
    view, notes = from_query_params({"page": "atlas", "atlas": "words"}, ["glove"], ["royalty_vs_buildings"])
    assert view.atlas == "words" and not notes
    assert view.to_query_params() == {"page": "atlas", "atlas": "words"}


def test_an_unreadable_input_is_refused_with_its_reason(tmp_path):
    table = tmp_path / "words.csv"
    table.write_text("word\nking\n", encoding="utf-8")
    with pytest.raises(AtlasInputError, match="no column 'text'; its columns: word"):
        build_atlas(table, tmp_path / "out", SETTINGS)
    with pytest.raises(AtlasInputError, match="must be"):
        build_atlas(tmp_path / "words.xlsx", tmp_path / "out", SETTINGS)


def test_an_atlas_of_a_vectors_file_searches_its_own_words(tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(300)]
    vectors = rng.normal(size=(300, 8)).astype(np.float32)
    path = tmp_path / "mine.vec"
    path.write_text("300 8\n" + "".join(f"{w} {' '.join(f'{x:.5f}' for x in v)}\n" for w, v in zip(words, vectors)),
                    encoding="utf-8")
    record = build_atlas(path, tmp_path / "mine", BuildSettings(method="vectors", sample=200), vectors_file=True,
                         workers=1)
    assert record["parameters"]["method"] == "vectors" and record["counts"]["embedded"] == 300
    atlas = open_atlas(tmp_path / "mine")
    hits = search(atlas, "w7")
    assert atlas.points["text"].to_numpy()[hits.rows[0]] == "w7"
    expected = np.argsort(-(vectors / np.linalg.norm(vectors, axis=1, keepdims=True)) @ (vectors[7] / np.linalg.norm(vectors[7])))
    assert list(atlas.points["id"].to_numpy()[hits.rows]) == list(expected[:10])
    assert json.loads((tmp_path / "mine" / RECORD).read_text())["input"]["kind"] == "vectors file"
    assert os.path.getsize(tmp_path / "mine" / POINTS) > 0


def test_the_same_build_runs_on_a_running_dask_cluster_given_its_address(table, tmp_path):
    """A scheduler and two workers started as a real cluster is (``dask scheduler``, ``dask worker``)."""
    from tests.e2e.app_server import free_port

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # the workers import this repository's code
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    processes = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--dashboard-address", ":0"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        record = build_atlas(table, tmp_path / "remote", SETTINGS, address=address)
        assert record["engine"]["address"] == address and record["engine"]["workers"] == 2
        assert len(open_atlas(tmp_path / "remote").points) == 1998
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)


def test_the_local_cluster_limits_its_workers_threads_and_leaves_this_process_alone():
    from atlas.engine import dask_engine

    before = dict(os.environ)
    with dask_engine(workers=2) as engine:
        assert dict(os.environ) == before  # Dask's nanny wrote its workers' thread limits here: undone
        seen = engine.client.run(lambda: (os.environ.get("NUMBA_NUM_THREADS"), os.environ.get("OMP_NUM_THREADS")))
    assert list(seen.values()) == [("1", "1"), ("1", "1")]
    assert dict(os.environ) == before
