"""The app as a user feels it, in headless Chromium, next to a one-chart hello app in the same run.

Run: python bench/browser.py [--smoke] [--json bench/browser.json]   (about 5 minutes)

- server start -> first chart, cold (empty cache folder, first start of the run) and warm,
  for the app and for a hello Streamlit app drawing one Plotly chart;
- a new session's first chart on a warm server, and 10 sessions opened at once;
- how much the background UMAP warm-up delays a session opened while it runs;
- the 5,000-word walk: upload -> PCA chart -> UMAP -> t-SNE -> 3-D, twice in two sessions (the
  first UMAP above 4,096 points on a warmed-up server, then a steady-state one): seconds to each
  chart and until the page has settled (its script idle: distortion numbers and all);
- the 100,000-word walk: a GloVe-format vectors file of 100,000 GloVe words uploaded in the sidebar
  (its words drawn at once: the preset with them), then its own words as the list ("My vectors"), then
  UMAP and UMAP 3-D: seconds to each chart and until settled, next to the issue's targets;
- server memory with GloVe, MiniLM and Word2Vec skip-gram loaded (the Streamlit process, and
  apart the UMAP worker's own memory), its peak, and its growth per extra open session.
``--smoke`` runs every kind of step once, with 2 sessions, 300 words and a vectors file of 2,000,
so the test suite keeps this working.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.load import tree_rss_mb  # noqa: E402
from tests.e2e.app_server import CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT_MS, Server, running_server  # noqa: E402

HELLO_APP = """
import plotly.express as px
import streamlit as st

st.plotly_chart(px.scatter(x=[1, 2, 3], y=[1, 3, 2], title="hello"))
"""
CHART = ".js-plotly-plot"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: True once the main chart's title holds ``title`` and its traces hold at least ``points`` words.
CHART_READY = """([title, points]) => {
    const plot = document.querySelector('.js-plotly-plot');
    if (!plot || !plot.layout || !plot.data) return false;
    const text = (plot.layout.title && plot.layout.title.text) || '';
    const words = plot.data.reduce((sum, trace) => sum + (trace.customdata || []).length, 0);
    return text.includes(title) && words >= points;
}"""


def server_env(cache: Path) -> dict:
    return {**os.environ, "EMBEDDING_EXPLORER_CACHE": str(cache), "NUMBA_CACHE_DIR": str(cache / "numba"),
            "HF_HUB_OFFLINE": "1"}


@contextmanager
def peak_rss(server: Server):
    """Samples the server tree's memory every 0.1 s; yields a dict whose "peak_mb" grows."""
    process, result, stop = psutil.Process(server.process.pid), {"peak_mb": 0.0}, threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            result["peak_mb"] = max(result["peak_mb"], tree_rss_mb(process))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join()


async def open_session(browser, url: str):
    """Open a new session (a fresh browser context); returns it and the seconds until its chart is visible."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    started = time.perf_counter()
    await page.goto(url)
    await page.locator(CHART).first.wait_for(state="visible")
    seconds = time.perf_counter() - started
    await page.wait_for_selector(IDLE)
    return context, seconds


async def first_chart(browser, url: str) -> float:
    """Seconds until a new session's chart is visible; the session is closed afterwards."""
    context, seconds = await open_session(browser, url)
    await context.close()
    return seconds


async def start_to_first_chart(browser, script: str, cwd: Path, env: dict) -> tuple[float, float]:
    """Seconds from launching the server to the first session's chart; and that session alone."""
    started = time.perf_counter()
    with running_server(script, cwd, env) as server:
        session = await first_chart(browser, server.url)
        return time.perf_counter() - started, session


async def sessions_at_once(browser, url: str, count: int) -> float:
    """Seconds until ``count`` sessions opened at the same moment all show their chart."""
    started = time.perf_counter()
    await asyncio.gather(*(first_chart(browser, url) for _ in range(count)))
    return time.perf_counter() - started


#: Sessions opened one after another while the UMAP worker warms up, at most (their median counts).
WARMUP_SESSIONS = 3


async def first_charts_during_warmup(browser, url: str) -> list[float]:
    """Seconds until the chart of sessions opened one after another while the sidebar says UMAP is
    compiling (at most ``WARMUP_SESSIONS``; at least one, even if the warm-up ended meanwhile)."""
    seconds: list[float] = []
    while len(seconds) < WARMUP_SESSIONS:
        context, session_seconds = await open_session(browser, url)
        compiling = await context.pages[0].get_by_text("UMAP is compiling").count() > 0
        await context.close()
        if compiling or not seconds:
            seconds.append(session_seconds)
        if not compiling:
            break
    return seconds


async def median_first_chart(browser, url: str, repeats: int) -> float:
    return statistics.median([await first_chart(browser, url) for _ in range(repeats)])


async def umap_ready(browser, url: str) -> None:
    """Wait until the sidebar says the UMAP worker has warmed up."""
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    await page.goto(url)
    await page.get_by_text("UMAP is ready").wait_for()
    await context.close()


class Steps:
    """Steps of one session: each an action, then the seconds until its chart and until the page settled."""

    def __init__(self, page) -> None:
        self.page = page
        self.chart: dict[str, float] = {}
        self.settled: dict[str, float] = {}

    async def step(self, name: str, action, chart_title: str, points: int) -> None:
        """``action``, then wait for a chart titled ``chart_title`` with ``points`` words, then for the script
        to finish (what follows the chart: distortion numbers, neighbours)."""
        started = time.perf_counter()
        await action()
        await self.page.wait_for_function(CHART_READY, arg=[chart_title, points], timeout=STEP_TIMEOUT_MS)
        self.chart[name] = time.perf_counter() - started
        await self.page.wait_for_timeout(300)
        await self.page.wait_for_selector(IDLE)
        self.settled[name] = time.perf_counter() - started - 0.3  # the pause is not the app's

    def figures(self) -> dict:
        return {"chart": self.chart, "settled": self.settled}

    def line(self) -> str:
        return ", ".join(f"{name} {self.chart[name]:.1f} s (settled {self.settled[name]:.1f} s)" for name in self.chart)


async def walk(browser, url: str, words_file: Path, words: int, title: str) -> dict:
    """Upload a word list on Explore, then switch to UMAP, t-SNE and 3-D: seconds per step."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    await page.goto(url)
    await page.wait_for_selector(IDLE)
    await page.get_by_text("Upload a file").click()
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE)
    steps = Steps(page)
    uploader = page.locator("[data-testid='stSidebar'] [data-testid='stFileUploader'] input[type='file']").first
    buttons = page.locator("[data-testid='stButtonGroup'] button")
    await steps.step("upload_to_pca", lambda: uploader.set_input_files(str(words_file)), f"{title} · PCA · 2D", words)
    await steps.step("umap", lambda: buttons.filter(has_text="UMAP").click(), f"{title} · UMAP · 2D", words)
    await steps.step("tsne", lambda: buttons.filter(has_text="t-SNE").click(), f"{title} · t-SNE · 2D", words)
    await steps.step("tsne_3d", lambda: buttons.filter(has_text="3D").click(), f"{title} · t-SNE · 3D", 0)
    assert await page.locator("[data-testid='stException']").count() == 0
    await context.close()
    return steps.figures()


def write_glove_file(path: Path, words: int) -> None:
    """The first ``words`` GloVe words in GloVe's own text format (a word, then its 50 numbers; no header)."""
    import numpy as np

    import embedders

    keyed = embedders.get("glove").keyed_vectors
    vectors = np.asarray(keyed.vectors[:words])
    with path.open("w", encoding="utf-8") as file:
        for word, vector in zip(keyed.index_to_key[:words], vectors):
            file.write(word + " " + " ".join(f"{value:.5g}" for value in vector) + "\n")


#: The 100,000-word walk's targets (issue 16), in seconds.
VECTORS_TARGETS = {"pca": 10.0, "umap": 30.0, "settled_after_chart": 5.0}
#: Words a chart of the whole vectors file must hold at least (the preset drawn first holds fewer): large
#: charts may keep fewer markers than points (density), so not all of them.
WHOLE_FILE_POINTS = 1000


async def vectors_walk(browser, url: str, vectors_file: Path, words: int, three_d: bool = True) -> dict:
    """Upload a vectors file in the sidebar, draw its own words (PCA), then UMAP (and UMAP 3-D): seconds."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    await page.goto(url)
    await page.wait_for_selector(IDLE)
    title = f"Uploaded: {vectors_file.name}"
    section = page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(has_text="Your own vectors")
    await section.click()
    uploader = section.locator("input[type='file']").first
    buttons = page.locator("[data-testid='stButtonGroup'] button")
    whole = min(words, WHOLE_FILE_POINTS)
    steps = Steps(page)
    # Reading the file, then the list as it was (the preset) drawn with the file's vectors.
    await steps.step("upload", lambda: uploader.set_input_files(str(vectors_file)), f"{title} · PCA · 2D", 1)
    await steps.step("pca", lambda: page.get_by_text("My vectors", exact=True).click(), f"{title} · PCA · 2D", whole)
    await steps.step("umap", lambda: buttons.filter(has_text="UMAP").click(), f"{title} · UMAP · 2D", whole)
    if three_d:
        await steps.step("umap_3d", lambda: buttons.filter(has_text="3D").click(), f"{title} · UMAP · 3D", 0)
    assert await page.locator("[data-testid='stException']").count() == 0
    await context.close()
    figures = steps.figures()
    # From choosing the file to the chart of its words: reading it and the first page, then "My vectors".
    figures["upload_to_chart"] = steps.settled["upload"] + steps.chart["pca"]
    return figures


async def load_three_models(browser, url: str) -> None:
    """On Explore, draw the preset with GloVe (the default), then MiniLM, then Word2Vec skip-gram."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    await page.goto(url)
    await page.wait_for_selector(IDLE)
    for title in ("MiniLM (sentence-transformers)", "Word2Vec skip-gram"):
        await page.locator("[data-testid='stSelectbox']").filter(has_text="Embedding method").click()
        await page.locator("[role='option']").filter(has_text=title).first.click()
        await page.wait_for_function(CHART_READY, arg=[f"{title} · PCA · 2D", 1], timeout=STEP_TIMEOUT_MS)
        await page.wait_for_timeout(300)
        await page.wait_for_selector(IDLE)
    await context.close()


async def measure(smoke: bool, cache: Path | None) -> dict:
    from playwright.async_api import async_playwright

    import embedders

    sessions, repeats, word_count = (2, 1, 300) if smoke else (10, 5, 5000)
    vector_words = 2000 if smoke else 100_000
    glove = embedders.get("glove")
    glove.load()
    words = [w for w in glove.keyed_vectors.index_to_key[1000:8000] if w.isalpha()][:word_count]
    figures: dict = {"sessions": sessions, "words": word_count, "vector_words": vector_words}
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        (folder / "hello_app.py").write_text(HELLO_APP)
        words_file = folder / "words.txt"
        words_file.write_text("\n".join(words))
        vectors_file = folder / f"glove-{vector_words}.txt"
        write_glove_file(vectors_file, vector_words)
        env = server_env(cache or folder / "cache")
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for run in ("warm",) if smoke else ("cold", "warm"):
                for name, script, cwd in (("hello", "hello_app.py", folder), ("app", "app.py", REPO)):
                    total, _ = await start_to_first_chart(browser, script, cwd, env)
                    figures[f"{name}_start_{run}_seconds"] = total
                print(f"server start -> first chart, {run}: app {figures[f'app_start_{run}_seconds']:.1f} s, "
                      f"hello app {figures[f'hello_start_{run}_seconds']:.1f} s "
                      f"({figures[f'app_start_{run}_seconds'] / figures[f'hello_start_{run}_seconds']:.2f} x)", flush=True)

            with running_server("hello_app.py", folder, env) as hello:
                await first_chart(browser, hello.url)
                figures["hello_first_chart_seconds"] = await median_first_chart(browser, hello.url, repeats)
                figures["hello_sessions_at_once_seconds"] = await sessions_at_once(browser, hello.url, sessions)

            with running_server("app.py", REPO, env) as app:
                figures["app_first_session_seconds"] = await first_chart(browser, app.url)
                # The first session's run starts the UMAP worker's warm-up: open more sessions now.
                during = await first_charts_during_warmup(browser, app.url)
                figures["app_first_charts_during_warmup"] = during
                figures["app_first_chart_during_warmup_seconds"] = statistics.median(during)
                await umap_ready(browser, app.url)
                figures["app_first_chart_seconds"] = await median_first_chart(browser, app.url, repeats)
                figures["app_sessions_at_once_seconds"] = await sessions_at_once(browser, app.url, sessions)
                figures["warmup_delay_seconds"] = (figures["app_first_chart_during_warmup_seconds"]
                                                   - figures["app_first_chart_seconds"])
                print(f"a new session's first chart on a warm server: {figures['app_first_chart_seconds']:.2f} s = "
                      f"{figures['app_first_chart_seconds'] / figures['hello_first_chart_seconds']:.2f} x the hello app "
                      f"({figures['hello_first_chart_seconds']:.2f} s); while UMAP warms up: "
                      f"{figures['app_first_chart_during_warmup_seconds']:.2f} s, median of {len(during)} "
                      f"(delay {figures['warmup_delay_seconds']:+.2f} s; target at most +1 s)", flush=True)
                print(f"{sessions} sessions at once: {figures['app_sessions_at_once_seconds']:.1f} s = "
                      f"{figures['app_sessions_at_once_seconds'] / figures['hello_sessions_at_once_seconds']:.2f} x "
                      f"the hello app ({figures['hello_sessions_at_once_seconds']:.1f} s)", flush=True)

                for name in ("walk_first",) if smoke else ("walk_first", "walk_steady"):
                    figures[name] = await walk(browser, app.url, words_file, word_count, glove.title)
                    print(f"{word_count:,}-word walk ({name.removeprefix('walk_')}): " + ", ".join(
                        f"{step} {seconds:.1f} s (settled {figures[name]['settled'][step]:.1f} s)"
                        for step, seconds in figures[name]["chart"].items()), flush=True)
                if "walk_steady" in figures:
                    print(f"first UMAP of {word_count:,} words on a warmed-up server: "
                          f"{figures['walk_first']['chart']['umap'] / figures['walk_steady']['chart']['umap']:.2f} "
                          "x a later one; targets for a settled page: PCA 3 s, UMAP 5 s, t-SNE 12 s, 3-D 10 s",
                          flush=True)

                server = psutil.Process(app.process.pid)
                with peak_rss(app) as peak:
                    await load_three_models(browser, app.url)
                    loaded_mb = server.memory_info().rss / 2**20
                    extra = await asyncio.gather(*(open_session(browser, app.url) for _ in range(sessions)))
                    after_mb = server.memory_info().rss / 2**20  # with the extra sessions still open
                    for context, _ in extra:
                        await context.close()
                # The worker's unique memory: what it adds, not the libraries it shares with the server.
                worker_mb = sum(child.memory_full_info().uss for child in server.children(recursive=True)) / 2**20
                figures["memory"] = {"server_mb": loaded_mb, "worker_mb": worker_mb, "peak_mb": peak["peak_mb"],
                                     "per_session_mb": (after_mb - loaded_mb) / sessions}
                print(f"server memory with GloVe, MiniLM and Word2Vec loaded: {loaded_mb:.0f} MB, plus the UMAP worker's "
                      f"own {worker_mb:.0f} MB (peak of both {peak['peak_mb']:.0f} MB); "
                      f"{figures['memory']['per_session_mb']:+.1f} MB per extra session", flush=True)

                # Last: its session holds the file's vectors, which the memory figures above leave out.
                walked = figures["vectors_walk"] = await vectors_walk(browser, app.url, vectors_file, vector_words,
                                                                      three_d=not smoke)
                chart, settled = walked["chart"], walked["settled"]
                print(f"{vector_words:,}-word vectors file: upload -> chart of its words {walked['upload_to_chart']:.1f} s "
                      f"(target {VECTORS_TARGETS['pca']:.0f} s; reading it and the first page "
                      f"{settled['upload']:.1f} s, then its words {chart['pca']:.1f} s), settled "
                      f"{settled['pca'] - chart['pca']:.1f} s after the chart (target {VECTORS_TARGETS['settled_after_chart']:.0f} s); "
                      f"UMAP {chart['umap']:.1f} s (target {VECTORS_TARGETS['umap']:.0f} s), settled "
                      f"{settled['umap'] - chart['umap']:.1f} s after"
                      + (f"; UMAP 3-D {chart['umap_3d']:.1f} s" if "umap_3d" in chart else ""), flush=True)
            await browser.close()
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2 sessions and 300 words, to check the script works")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "browser.json")
    parser.add_argument("--cache", type=Path, default=None,
                        help="the app's cache folder (trained models, compiled code); default: a new empty one, "
                             "so that the cold start is cold")
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args.smoke, args.cache))
    args.json.write_text(json.dumps(figures, indent=2))
    print(f"Figures written to {args.json}")
    return figures


if __name__ == "__main__":
    main()
