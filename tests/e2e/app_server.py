"""Start the real app with ``streamlit run`` and drive it with Debian's Chromium.

Used by the browser tests and by ``scripts/take_screenshots.py``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The network is closed: Chromium must not try its background services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE_APP = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: How long a browser step may take: on a fresh machine a page may first train Word2Vec and
#: FastText and load MiniLM (75 s measured on an idle 2-core machine, more while UMAP compiles).
STEP_TIMEOUT_MS = 300_000


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own: a test process whose browser tests started
    Playwright's sync API already has an event loop running in its main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free local ports (a balancer's, then its replicas')."""
    while True:
        first = free_port()
        with contextlib.ExitStack() as held:
            try:
                for port in range(first, first + count):
                    sock = held.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return first


def server_log(port: int) -> Path:
    """Where ``running_server`` writes the log of the server on ``port``."""
    return Path(tempfile.gettempdir()) / f"embedding-explorer-streamlit-{port}.log"


@dataclass(frozen=True)
class Server:
    """A running ``streamlit run`` process and its URL."""

    url: str
    process: subprocess.Popen


@contextlib.contextmanager
def running_server(script: str = "app.py", cwd: Path = REPO, env: dict | None = None,
                   timeout: float = 90) -> Iterator[Server]:
    """Run ``streamlit run script`` on a free local port until the context ends."""
    port = free_port()
    # The server's own log, for when a browser test fails.
    log = open(server_log(port), "w")  # noqa: SIM115 (closed after the server stops)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {process.returncode}")
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("streamlit did not become healthy")
            time.sleep(0.1)
        yield Server(url, process)
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        if process.poll() is None:
            process.kill()
        log.close()


@contextlib.contextmanager
def running_app(timeout: float = 90) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free local port; yields its URL."""
    with running_server(timeout=timeout) as server:
        yield server.url


def wait_until_idle(page, timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """Wait until the app's script has run to the end (and started, if a rerun is pending)."""
    page.wait_for_timeout(300)  # let a rerun triggered by the last action begin
    page.wait_for_selector(IDLE_APP, timeout=timeout_ms)


def upload(page, label: str, name: str, content: bytes) -> None:
    """Choose a file in the sidebar uploader labelled ``label``, as a person's file dialog would."""
    uploader = page.locator("[data-testid='stSidebar'] [data-testid='stFileUploader']").filter(has_text=label)
    uploader.locator("input[type='file']").set_input_files(files=[{"name": name, "mimeType": "text/plain", "buffer": content}])


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def chart_text(page) -> set[str]:
    """The point labels of the 2-D chart (SVG text, so read through textContent)."""
    return set(page.locator(".js-plotly-plot g.textpoint text").evaluate_all("els => els.map(e => e.textContent)"))


def chart_words(page) -> set[str]:
    """Every word of the first chart, labelled or not (its hover text)."""
    return set(page.locator(".js-plotly-plot").first.evaluate("plot => plot.data.flatMap(t => t.customdata || [])"))


def _steady(page, read, drawn, timeout_ms: int):
    """``read()`` once ``drawn(reading)`` and two readings half a second apart agree (or the last reading
    at ``timeout_ms``): charts finish drawing after the script went idle, and a rerun can redraw them."""
    deadline = time.monotonic() + timeout_ms / 1000
    before = None
    while True:
        seen = read()
        if (drawn(seen) and seen == before) or time.monotonic() > deadline:
            return seen
        before = seen
        page.wait_for_timeout(500)
        wait_until_idle(page)


def steady_reading(page, script: str, timeout_ms: int = 20_000):
    """``script`` evaluated on the first chart once it gives something and stays the same (seen in CI: a map
    read before its points had arrived, read as empty)."""
    chart = page.locator(".js-plotly-plot").first
    return _steady(page, lambda: chart.evaluate(script), bool, timeout_ms)


def chart_title(page) -> str:
    return page.locator(".js-plotly-plot .gtitle").text_content()


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``."""
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).click()
    page.locator("[role='option']").filter(has_text=option).first.click()
    wait_until_idle(page)


#: A page's picture: the charts, images and HTML views (tokens) more than a line tall in the frame's
#: picture container, from the top of the first to the bottom of the last (Compare's picture is a
#: grid of panels). Before that frame existed, the first such element of the main area counted.
PICTURE_ON_FIRST_SCREEN = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    const frame = main.querySelector(".st-key-picture");
    const visuals = [...(frame || main).querySelectorAll(
            ".js-plotly-plot, [data-testid='stImage'] img, [data-testid='stHtml']")]
        .map(e => e.getBoundingClientRect()).filter(box => box.height > 40);
    if (!visuals.length) return {top: null, visible: 0};
    const boxes = frame ? visuals : visuals.slice(0, 1);
    const top = Math.min(...boxes.map(b => b.top)), bottom = Math.max(...boxes.map(b => b.bottom));
    const visible = Math.max(0, Math.min(bottom, window.innerHeight) - Math.max(top, 0));
    return {top: Math.round(top), visible: Math.round(visible)};
}"""


def picture_on_first_screen(page, timeout_ms: int = 20_000) -> dict:
    """Where the page's picture starts (px from the window's top, None without one) and how many of its
    pixel rows are visible without scrolling, once two readings half a second apart agree.

    Charts finish drawing after the script is idle, and a rerun (the sidebar's UMAP status reruns the
    app once its warm-up ends) redraws the page: so wait, up to ``timeout_ms``, for a steady picture.
    """
    return _steady(page, lambda: page.evaluate(PICTURE_ON_FIRST_SCREEN), lambda seen: seen["top"] is not None,
                   timeout_ms)
