"""The Fine-tuning page under AppTest: the before map first, then fine-tuning in one session, unseen by another."""

import numpy as np
import pytest

from tests.app_runner import chart_specs, plotly_array, run_app

PAGE = "pages/fine_tuning.py"
pytestmark = pytest.mark.slow  # loads MiniLM and fine-tunes it


def points(spec: dict, axis: str = "x") -> dict[str, tuple[float, float]]:
    """Hover text -> (x, y) of the marker traces drawn on ``axis`` (the left map is "x", the right "x2")."""
    found = {}
    for trace in spec["data"]:
        if trace.get("mode") == "markers" and trace.get("customdata") and trace.get("xaxis", "x") == axis:
            for text, x, y in zip(trace["customdata"], plotly_array(trace["x"]), plotly_array(trace["y"])):
                found[text] = (float(x), float(y))
    return found


def test_the_page_opens_on_the_held_out_map_and_says_how_to_add_a_corpus():
    app = run_app(PAGE)
    assert not app.exception
    [spec] = chart_specs(app)
    assert "Before: 41 held-out items" in spec["layout"]["title"]["text"]
    assert len(points(spec)) == 41
    assert any(button.label == "Fine-tune" for button in app.button)
    assert any("Trains on 61 items and holds out 41" in caption.value for caption in app.caption)
    assert any("Training corpus" in info.value for info in app.info)  # the Word2Vec section without a corpus


def test_fine_tuning_moves_the_map_in_one_session_only():
    tuned = run_app(PAGE)
    before = points(chart_specs(tuned)[0])
    tuned.button(key="finetune_button").click().run()
    assert not tuned.exception
    [spec] = chart_specs(tuned)
    left, right = points(spec, "x"), points(spec, "x2")
    assert set(left) == set(right) == set(before) and len(left) == 41
    assert len([a for a in spec["layout"]["annotations"] if a.get("showarrow")]) == 41
    moved = np.array([np.subtract(right[text], left[text]) for text in left])
    assert np.linalg.norm(moved, axis=1).max() > 0
    metrics = {metric.label: metric for metric in tuned.metric}
    assert "k-NN accuracy on held-out items" in metrics and "Silhouette by label (cosine)" in metrics
    assert any("Trained on 61 items, held out 41" in caption.value for caption in tuned.caption)
    assert len(tuned.dataframe) >= 1  # accuracy by label

    other = run_app(PAGE)  # another session: the shared MiniLM, untouched
    [spec] = chart_specs(other)
    assert "Before" in spec["layout"]["title"]["text"]
    again = points(spec)
    assert np.allclose([again[text] for text in before], [before[text] for text in before], atol=1e-4)


def test_the_story_can_show_the_compact_view():
    from streamlit.testing.v1 import AppTest

    def story_step():
        from ui.fine_tuning import draw_before_after

        draw_before_after(400, key="story_finetune")

    app = AppTest.from_function(story_step, default_timeout=300)
    app.run()
    assert not app.exception
    [spec] = chart_specs(app)
    assert "Before: 41 held-out items" in spec["layout"]["title"]["text"]
    assert [button.label for button in app.button] == ["Fine-tune"]
