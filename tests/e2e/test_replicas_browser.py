"""Two replicas behind HAProxy on one warmed cache folder: each browser stays on its replica, sees its own
upload and never another's, sessions spread over both, and no replica writes to the shared folder."""

import asyncio
import json
import shutil
import subprocess
import sys

import pytest

from bench.load import ProtocolSession
from deploy.replicas import STICKY_COOKIE, running_replicas, tracebacks_in_logs
from deploy.warm import warm_cache
from settings import cache_dir
from tests.e2e.app_server import REPO, STEP_TIMEOUT_MS, chart_text, free_ports, run_async, upload, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def snapshot(folder):
    """Every file of a folder with its size and modification time."""
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def warmed_folder(tmp_path_factory):
    """A copy of the test cache after `python -m deploy warm`'s work, so that other tests writing the
    shared cache meanwhile cannot blur what the replicas write."""
    warm_cache(say=lambda _line: None)
    copy = tmp_path_factory.mktemp("replicas") / "cache"
    shutil.copytree(cache_dir(), copy)
    return copy, snapshot(copy)


@pytest.fixture(scope="module")
def deployment(warmed_folder, tmp_path_factory):
    folder, _ = warmed_folder
    with running_replicas(2, free_ports(3), folder, tmp_path_factory.mktemp("logs")) as running:
        yield running


def test_each_replica_was_warm_before_it_reported_healthy(deployment):
    for number in (1, 2):
        log = (deployment.logs / f"replica-{number}.log").read_text(encoding="utf-8")
        assert "Replica warm in" in log


def test_sessions_spread_over_both_replicas_and_every_page_opens(deployment):
    async def open_pages():
        sessions = [ProtocolSession(deployment.url, f"page={page}", timeout=300)
                    for page in ("explore", "compare", "search", "story")]
        for session in sessions:  # one after the other, as students arrive: leastconn alternates
            await session.open()
        runs = await asyncio.gather(*(session.run() for session in sessions))
        for session in sessions:
            await session.close()
        return runs, [session.cookies for session in sessions]

    runs, cookies = run_async(open_pages())
    assert [run.error for run in runs] == [None] * 4
    assert {f"{STICKY_COOKIE}=replica1", f"{STICKY_COOKIE}=replica2"} == set(cookies)


def test_each_browser_sees_its_own_upload_on_its_own_replica(browser, deployment):
    lists = {"animals": ["cat", "dog", "horse", "cow"], "tools": ["hammer", "saw", "drill", "wrench"]}
    pages, contexts = {}, []
    for name, words in lists.items():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(deployment.url)
        wait_until_idle(page)
        page.get_by_text("Upload a file").click()
        wait_until_idle(page)
        upload(page, "A .txt, .csv or .tsv file", f"{name}.txt", "\n".join(words).encode())
        wait_until_idle(page)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot g.textpoint text').length === 4")
        pages[name] = page
    try:
        for name, page in pages.items():
            assert chart_text(page) == set(lists[name])
        replicas = [next(cookie["value"] for cookie in context.cookies() if cookie["name"] == STICKY_COOKIE)
                    for context in contexts]
        assert sorted(replicas) == ["replica1", "replica2"]
    finally:
        for context in contexts:
            context.close()


def test_the_capacity_bench_runs_on_the_warmed_folder(warmed_folder, tmp_path):
    """bench/capacity.py end to end, tiny: one replica, two sessions, one round of the start comparison."""
    folder, _ = warmed_folder
    figures = tmp_path / "capacity.json"
    command = [sys.executable, "bench/capacity.py", "--sessions", "2", "--replicas", "1", "--start-repeats", "1",
               "--cache", str(folder), "--json", str(figures)]
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, f"capacity.py failed:\n{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}"
    result = json.loads(figures.read_text(encoding="utf-8"))
    (run,) = result["loads"]
    assert run["replicas"] == 1 and run["sessions"] == 2 and run["errors"] == 0 and run["tracebacks_in_logs"] == 0
    assert run["p50_s"] > 0 and run["cores_busy"]["servers"] > 0
    assert set(result["start"]["median_first_chart_s"]) == {"replica", "streamlit_run_app", "hello_app"}


def test_no_replica_wrote_to_the_shared_folder_or_logged_a_traceback(warmed_folder, deployment):
    folder, before = warmed_folder
    assert snapshot(folder) == before
    assert tracebacks_in_logs(deployment.logs) == 0
