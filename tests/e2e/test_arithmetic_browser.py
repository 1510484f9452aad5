"""The word arithmetic page in a real browser: the analogy chart's labels and the heatmap."""

import pytest

from tests.e2e.app_server import wait_until_idle

pytestmark = pytest.mark.browser

ANALOGY_CHART = ".js-plotly-plot:has(text:text-is('PCA 1'))"


def open_arithmetic(page) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text="Word arithmetic").click()
    wait_until_idle(page)
    page.locator(ANALOGY_CHART).wait_for()


def chart_labels(page, selector: str) -> list[str]:
    return page.locator(f"{selector} text").all_text_contents()


def test_analogy_chart_shows_its_four_words_and_the_heatmap_is_drawn(page):
    open_arithmetic(page)
    labels = chart_labels(page, ANALOGY_CHART)
    for word in ("man", "king", "woman", "queen"):
        assert word in labels
    assert "b − a + c" in labels
    assert page.locator(f"{ANALOGY_CHART} .annotation").count() == 2  # the arrows a → b and c → answer
    heatmap = page.locator(".js-plotly-plot:has(.heatmaplayer image)")
    heatmap.wait_for()
    assert "cosine" in chart_labels(page, ".js-plotly-plot:has(.heatmaplayer image)")
    assert "queen" in heatmap.locator(".xtick text").all_text_contents()


def test_choosing_a_preset_redraws_the_analogy(page):
    open_arithmetic(page)
    page.locator("[data-testid='stSelectbox']", has_text="Analogy").click()
    page.locator("[role='option']", has_text="paris : france").click()
    wait_until_idle(page)
    labels = chart_labels(page, ANALOGY_CHART)
    for word in ("paris", "france", "tokyo", "japan"):
        assert word in labels
    assert "france − paris + tokyo ≈ japan" in page.locator(f"{ANALOGY_CHART} .gtitle").text_content()
    assert page.locator("[data-testid='stCode']", has_text="france − paris + tokyo ≈ japan").is_visible()
