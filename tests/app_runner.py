"""Run the app under streamlit's AppTest (no browser), from any test file.

AppTest quirk (streamlit 1.67): with ``st.navigation``, only a first run on the
default page executes ``app.py``; later runs, and a first run after
``switch_page``, execute the page file alone. So ``run_app`` always runs the
default page first (drawing the sidebar), and sidebar widgets are set through
``state``, which seeds ``st.session_state`` by widget key before that run.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def run_app(page: str | None = None, state: dict | None = None, timeout: float = 300) -> AppTest:
    """The app after its first run, on ``page`` (e.g. "pages/compare.py") or the default page.

    ``state`` maps widget keys to values, e.g. ``{"word_list_source": "Type a list",
    "word_list_text": "king\\nqueen"}``.
    """
    app = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (state or {}).items():
        app.session_state[key] = value
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    return app


def typed_list(text: str) -> dict:
    """``run_app`` state for a word list typed into the sidebar."""
    return {"word_list_source": "Type a list", "word_list_text": text}


def chart_specs(app: AppTest) -> list[dict]:
    """The Plotly figure specs of every chart on the page."""
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def plotly_array(data) -> np.ndarray:
    """A numeric array from a Plotly spec: a list, or ``{"dtype", "bdata"[, "shape"]}`` for numpy arrays."""
    if isinstance(data, dict):
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        return array.reshape([int(n) for n in str(data["shape"]).split(",")]) if "shape" in data else array
    return np.asarray(data)
