"""bench/load.py against real servers: the app (3 sessions, Explore then UMAP) and a page that fails."""

import json
import subprocess
import sys

import pytest

from bench.load import MAX_SESSIONS, ProtocolSession, load
from tests.e2e.app_server import REPO, run_async, running_server

pytestmark = pytest.mark.slow

FAILING_APP = """
import plotly.express as px
import streamlit as st

st.plotly_chart(px.scatter(x=[1, 2], y=[2, 1]))
raise ValueError("the page broke")
"""


@pytest.fixture(scope="module")
def app_server():
    with running_server() as server:
        yield server


def test_three_sessions_open_explore_and_switch_to_umap(app_server):
    command = [sys.executable, "bench/load.py", "--sessions", "3", "--url", app_server.url, "--ramp", "1"]
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    figures = json.loads(finished.stdout)
    assert finished.returncode == 0, figures["error_messages"]
    assert figures["sessions"] == 3 and figures["errors"] == 0
    assert 0 < figures["p50_s"] <= figures["p95_s"] <= figures["max_s"]
    assert 0 < figures["switch_times"]["p50_s"] <= figures["switch_times"]["max_s"]
    port = str(int(app_server.url.rsplit(":", 1)[1]))
    assert figures["server_memory_mb_after"][port] > 100  # the Streamlit process with GloVe read


def test_a_session_sees_the_umap_chart_the_switch_asked_for(app_server):
    async def session_titles():
        session = ProtocolSession(app_server.url, "page=explore", timeout=300)
        await session.open()
        opened = await session.run()
        switched = await session.choose("Projection", "UMAP")
        missing = await session.choose("Projection", "No such method")
        await session.close()
        return opened, switched, missing

    opened, switched, missing = run_async(session_titles())
    assert opened.error is None and "PCA" in opened.chart_titles[0]
    assert switched.error is None and "UMAP" in switched.chart_titles[0]
    assert "no control 'Projection' with the option 'No such method'" in missing.error


def test_an_exception_on_the_page_is_an_error(tmp_path):
    (tmp_path / "failing.py").write_text(FAILING_APP, encoding="utf-8")
    with running_server("failing.py", cwd=tmp_path) as server:
        figures = run_async(load(server.url, 2, switch="none", timeout=60))
    assert figures["errors"] == 2
    assert figures["error_messages"] == ["ValueError: the page broke"]


def test_the_load_is_bounded():
    with pytest.raises(ValueError, match="between 1 and"):
        run_async(load("http://127.0.0.1:9", MAX_SESSIONS + 1))
    with pytest.raises(ValueError, match="ramp"):
        run_async(load("http://127.0.0.1:9", 1, ramp=10_000))
