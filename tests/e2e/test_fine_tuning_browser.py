"""The Fine-tuning page in a real browser: the before map, then "Fine-tune", then both maps and the numbers."""

import pytest

from tests.e2e.app_server import STEP_TIMEOUT_MS, wait_until_idle

pytestmark = pytest.mark.browser


def test_a_person_fine_tunes_and_sees_before_after_and_numbers(page):
    page.locator("[data-testid='stSidebarNav'] a", has_text="Fine-tuning").click()
    wait_until_idle(page)
    before = page.locator(".js-plotly-plot", has_text="Before: 41 held-out items")
    before.wait_for()
    assert before.locator(".legendtext", has_text="finance").count() == 1
    assert page.get_by_text("Trains on 61 items and holds out 41").count() == 1

    page.get_by_role("button", name="Fine-tune").click()
    wait_until_idle(page, STEP_TIMEOUT_MS)
    maps = page.locator(".js-plotly-plot", has_text="After fine-tuning (aligned onto before)")
    maps.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert maps.locator("g.annotation").count() >= 41  # an arrow per held-out item (plus the two titles)
    metrics = page.locator("[data-testid='stMetric']")
    assert metrics.filter(has_text="k-NN accuracy on held-out items").count() == 1
    assert metrics.filter(has_text="Silhouette by label").count() == 1
    assert page.get_by_text("Trained on 61 items, held out 41", exact=False).count() == 1
