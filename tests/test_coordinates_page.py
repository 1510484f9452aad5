"""Your coordinates: an example before any file, density for a large file, labels placed for a projector."""

import numpy as np
import pandas as pd

from charts.presentation import SCALE
from tests.app_runner import chart_specs, run_app
from ui.state import PRESENTATION


def drawn_words(spec: dict) -> list[str]:
    return [word for trace in spec["data"] if trace["type"] != "heatmap" for word in trace.get("customdata", [])]


def test_the_page_draws_an_example_before_any_file_is_chosen():
    app = run_app("pages/coordinates.py")
    assert not app.exception
    (spec,) = chart_specs(app)
    assert "example-digits-pca.csv" in spec["layout"]["title"]["text"]
    assert len(drawn_words(spec)) == 1797 and len(spec["data"]) > 10  # every digit, one colour each
    assert any("An example until you choose a file" in info.value for info in app.info)


def test_a_large_file_draws_its_density_and_says_how_many_markers():
    rng = np.random.default_rng(0)
    n = 60_000
    frame = pd.DataFrame({"word": [f"w{i}" for i in range(n)], "x": rng.normal(size=n), "y": rng.normal(size=n)})
    app = run_app("pages/coordinates.py", state={PRESENTATION: True})
    app.file_uploader(key="coordinates_upload").set_value(("big.csv", frame.to_csv(index=False).encode(), "text/csv"))
    app.run()
    assert not app.exception
    (spec,) = chart_specs(app)
    assert spec["data"][0]["type"] == "heatmap" and spec["layout"]["meta"]["font_scale"] == SCALE
    markers = len(drawn_words(spec))
    assert markers < n and any(f"{n:,} points: the grey shading is their density; {markers:,} of them" in caption.value
                               for caption in app.caption)
