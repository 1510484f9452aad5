"""Density of many points: numpy-binned Plotly heatmap against datashader and Plotly's own density traces.

Run: python bench/density.py [--sizes 100000 500000 1000000] [--browser] [--png-dir DIR] [--json FILE]

For each size, on a synthetic 2-D landscape (clusters of many sizes and shapes over a thin
background, like a UMAP of a vocabulary), every option builds the density layer of a figure:

- ``heatmap``: ``charts.density.density_trace`` (counts binned here with numpy, one uint8 array);
- ``datashader``: rasterised server-side with datashader to a PNG placed as a Plotly layout image
  (only when datashader is installed: it is not a dependency of the app; install it in a separate
  virtual environment to run this option);
- ``histogram2d`` / ``histogram2dcontour``: Plotly's own traces, which receive every point and bin
  in the browser;
- ``markers``: every point as a WebGL marker, what the app drew before (one blob at 500,000);
- ``chart``: the app's own ``charts.scatter.scatter_chart`` (density + a sample of markers + labels).

``--upload`` also runs the app and times Your coordinates from choosing a file to its chart drawn.

It prints JSON: build seconds (coordinates to figure), figure JSON size (``len(fig.to_json())``)
and, with ``--browser``, the seconds headless Chromium takes to draw the figure from its HTML
(next to a one-point figure drawn in the same run, the floor), saving a PNG per figure with
``--png-dir``. Datashader's first call in a fresh process (numba compiling) is timed separately.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charts.density import CELL_PX, density_trace  # noqa: E402
from charts.labels import ASSUMED_WIDTH, plot_area  # noqa: E402
from charts.scatter import scatter_chart  # noqa: E402

HEIGHT = 620
MARGIN = dict(l=10, r=10, t=10, b=10)
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def landscape(n: int, seed: int = 0) -> np.ndarray:
    """``n`` 2-D points: 60 clusters of very different sizes and shapes plus a 5 % background."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform([-20, -12], [20, 12], size=(60, 2))
    weights = rng.dirichlet(np.full(60, 0.6))
    clustered = int(n * 0.95)
    which = rng.choice(60, size=clustered, p=weights)
    scales = rng.uniform(0.2, 1.6, size=(60, 2))
    angles = rng.uniform(0, np.pi, size=60)
    local = rng.normal(size=(clustered, 2)) * scales[which]
    cos, sin = np.cos(angles[which]), np.sin(angles[which])
    rotated = np.column_stack([local[:, 0] * cos - local[:, 1] * sin, local[:, 0] * sin + local[:, 1] * cos])
    background = rng.uniform([-24, -15], [24, 15], size=(n - clustered, 2))
    return np.concatenate([centres[which] + rotated, background])


def bounds(xy: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    low, high = xy.min(axis=0), xy.max(axis=0)
    pad = 0.05 * (high - low)
    return (float(low[0] - pad[0]), float(high[0] + pad[0])), (float(low[1] - pad[1]), float(high[1] + pad[1]))


def _layout(figure: go.Figure, x_range, y_range) -> go.Figure:
    figure.update_layout(height=HEIGHT, margin=MARGIN, showlegend=False,
                         xaxis=dict(range=list(x_range), showticklabels=False, zeroline=False),
                         yaxis=dict(range=list(y_range), showticklabels=False, zeroline=False, scaleanchor="x"))
    return figure


def heatmap_figure(xy: np.ndarray) -> go.Figure:
    x_range, y_range = bounds(xy)
    area = plot_area(ASSUMED_WIDTH, HEIGHT, MARGIN)
    return _layout(go.Figure(density_trace(xy, x_range, y_range, area)), x_range, y_range)


def datashader_figure(xy: np.ndarray) -> go.Figure:
    import datashader as ds
    import datashader.transfer_functions as tf
    import pandas as pd

    x_range, y_range = bounds(xy)
    area = plot_area(ASSUMED_WIDTH, HEIGHT, MARGIN)
    canvas = ds.Canvas(plot_width=int(area[0] / CELL_PX), plot_height=int(area[1] / CELL_PX),
                       x_range=x_range, y_range=y_range)
    counts = canvas.points(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), "x", "y")
    image = tf.shade(counts, cmap=["#ececec", "#303030"], how="log").to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    source = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    figure = go.Figure(go.Scatter(x=list(x_range), y=list(y_range), mode="markers", marker=dict(opacity=0),
                                  hoverinfo="skip"))
    figure.add_layout_image(source=source, xref="x", yref="y", x=x_range[0], y=y_range[1],
                            sizex=x_range[1] - x_range[0], sizey=y_range[1] - y_range[0], sizing="stretch",
                            layer="below")
    return _layout(figure, x_range, y_range)


def histogram_figure(xy: np.ndarray, contour: bool) -> go.Figure:
    x_range, y_range = bounds(xy)
    trace = go.Histogram2dContour if contour else go.Histogram2d
    return _layout(go.Figure(trace(x=xy[:, 0], y=xy[:, 1], nbinsx=220, nbinsy=160, colorscale="Greys",
                                   showscale=False, hoverinfo="skip")), x_range, y_range)


def markers_figure(xy: np.ndarray) -> go.Figure:
    x_range, y_range = bounds(xy)
    return _layout(go.Figure(go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode="markers", marker=dict(size=6))),
                   x_range, y_range)


def chart_figure(xy: np.ndarray) -> go.Figure:
    words = [f"w{i}" for i in range(len(xy))]
    return scatter_chart(xy, words, height=HEIGHT).figure


OPTIONS = {
    "heatmap": heatmap_figure,
    "datashader": datashader_figure,
    "histogram2d": lambda xy: histogram_figure(xy, contour=False),
    "histogram2dcontour": lambda xy: histogram_figure(xy, contour=True),
    "markers": markers_figure,
    "chart": chart_figure,
}


def datashader_cold_seconds() -> float | None:
    """Import plus first rasterisation in a fresh interpreter: numba compiles datashader's kernels then."""
    script = ("import time; t = time.perf_counter(); import numpy as np, pandas as pd, datashader as ds, "
              "datashader.transfer_functions as tf; c = ds.Canvas(plot_width=200, plot_height=200); "
              "a = c.points(pd.DataFrame({'x': np.random.rand(1000), 'y': np.random.rand(1000)}), 'x', 'y'); "
              "tf.shade(a, how='log').to_pil(); print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return float(done.stdout.strip()) if done.returncode == 0 else None


def draw_seconds(figures: dict[str, go.Figure], png_dir: Path | None) -> dict[str, float]:
    """Seconds from opening each figure's HTML in headless Chromium to Plotly having drawn it."""
    import plotly.io as pio
    from playwright.sync_api import sync_playwright

    seconds = {}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        # The first page also warms the browser up: draw the floor once before timing anything.
        for name, figure in {"warm-up": figures["floor"], **figures}.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(pio.to_html(figure, include_plotlyjs=True, full_html=True,
                                        default_width=f"{ASSUMED_WIDTH}px", default_height=f"{HEIGHT}px",
                                        post_script="window.__drawn = performance.now();"))
            page = browser.new_page(viewport={"width": ASSUMED_WIDTH + 20, "height": HEIGHT + 20})
            started = time.perf_counter()
            page.goto(path.as_uri(), timeout=300_000)
            page.wait_for_function("window.__drawn !== undefined", timeout=300_000, polling=100)
            seconds[name] = round(time.perf_counter() - started, 2)
            if png_dir is not None and name != "warm-up":
                page.wait_for_timeout(300)
                page.screenshot(path=str(png_dir / f"{name}.png"))
            page.close()
        browser.close()
    return seconds


def coordinates_file(path: Path, n: int) -> Path:
    """A coordinates CSV of ``n`` landscape points (columns word, x, y, group), as Your coordinates reads it."""
    import pandas as pd

    xy = landscape(n, seed=1)
    pd.DataFrame({"word": [f"w{i}" for i in range(n)], "x": xy[:, 0], "y": xy[:, 1],
                  "group": np.where(xy[:, 1] > 0, "north", "south")}).to_csv(path, index=False)
    return path


def upload_seconds(sizes: list[int]) -> dict[str, dict[str, float]]:
    """Your coordinates in the real app (``streamlit run``, headless Chromium at 1440 x 900): seconds from
    choosing a file of each size to its chart drawn, and to the page settled. The first size is the floor."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.app_server import IDLE_APP, running_server

    chart_ready = """(title) => { const plot = document.querySelector('.js-plotly-plot');
        return !!(plot && plot._fullLayout && plot.layout.title && (plot.layout.title.text || '').includes(title)); }"""
    seconds = {}
    with tempfile.TemporaryDirectory() as folder, running_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(300_000)
        page.goto(f"{server.url}/coordinates")
        page.wait_for_selector(IDLE_APP)
        for attempt, n in enumerate(sizes):  # a new name each time: the chart is told apart by its title
            path = coordinates_file(Path(folder) / f"points-{n}-{attempt}.csv", n)
            started = time.perf_counter()
            page.locator(".st-key-coordinates_upload input[type='file']").set_input_files(str(path))
            page.wait_for_function(chart_ready, arg=f"{path.name} · 2D", polling=100)
            chart = time.perf_counter() - started
            page.wait_for_timeout(300)
            page.wait_for_selector(IDLE_APP)
            seconds[path.stem] = {"chart_seconds": round(chart, 2),
                                  "settled_seconds": round(time.perf_counter() - started - 0.3, 2),
                                  "file_mb": round(path.stat().st_size / 1e6, 1)}
            print(json.dumps({path.stem: seconds[path.stem]}), file=sys.stderr, flush=True)
        browser.close()
    return seconds


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 500_000, 1_000_000])
    parser.add_argument("--options", nargs="+", default=list(OPTIONS), choices=list(OPTIONS))
    parser.add_argument("--browser", action="store_true", help="also time drawing in headless Chromium")
    parser.add_argument("--png-dir", type=Path, help="with --browser: save a PNG of every figure here")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--upload", type=int, nargs="*", metavar="N",
                        help="also time Your coordinates in the real app, from choosing a file of N points to its "
                             "chart (the first N is the floor; e.g. --upload 1000 1000000)")
    args = parser.parse_args(argv)
    try:
        import datashader  # noqa: F401
        have_datashader = True
    except ImportError:
        have_datashader = False
    options = [name for name in args.options if name != "datashader" or have_datashader]
    if args.png_dir:
        args.png_dir.mkdir(parents=True, exist_ok=True)

    figures: dict = {"cores": __import__("os").cpu_count(), "datashader_installed": have_datashader, "sizes": {}}
    if have_datashader:
        figures["datashader_cold_seconds"] = datashader_cold_seconds()
        datashader_figure(landscape(1000))  # warm: numba compiles once per process
    for n in args.sizes:
        xy = landscape(n)
        row: dict = {}  # for the JSON: a dict per option, then the floor's draw seconds
        drawn: dict[str, go.Figure] = {}
        for name in options:
            started = time.perf_counter()
            figure = OPTIONS[name](xy)
            build = time.perf_counter() - started
            row[name] = {"build_seconds": round(build, 3), "json_mb": round(len(figure.to_json()) / 1e6, 2)}
            drawn[f"{name}_{n}"] = figure
        if args.browser:
            drawn["floor"] = _layout(go.Figure(go.Scatter(x=[0], y=[0])), (-1, 1), (-1, 1))
            seconds = draw_seconds(drawn, args.png_dir)
            for name in options:
                row[name]["draw_seconds"] = seconds[f"{name}_{n}"]
            row["floor_draw_seconds"] = seconds["floor"]
        figures["sizes"][str(n)] = row
        print(json.dumps({str(n): row}), file=sys.stderr, flush=True)
    if args.upload:
        figures["upload"] = upload_seconds(args.upload)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
