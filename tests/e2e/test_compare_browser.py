"""The Compare page in a real browser: one chart per selected method, and a highlight in all of them."""

import pytest
from playwright.sync_api import expect

import embedders
from tests.e2e.app_server import choose, wait_until_idle

pytestmark = pytest.mark.browser

DEFAULT_METHODS = ["onehot", "tfidf", "word2vec-skipgram", "glove", "fasttext", "minilm"]


def open_compare(page) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text="Compare methods").click()
    # The heatmap comes last on the page: once it is drawn, every panel has been.
    page.locator(".js-plotly-plot .heatmaplayer").wait_for()
    wait_until_idle(page)


def panel_titles(page) -> list[str]:
    """Titles of the scatter panels as drawn (the heatmap has no title)."""
    return [title.text_content() for title in page.locator(".js-plotly-plot .gtitle").all()]


def test_one_chart_per_selected_method(page):
    open_compare(page)
    titles = [embedders.title(name) for name in DEFAULT_METHODS]
    assert sorted(panel_titles(page)) == sorted(titles)
    # Plus the heatmap of mean neighbour overlap.
    assert page.locator(".js-plotly-plot").count() == len(DEFAULT_METHODS) + 1
    assert page.locator(".js-plotly-plot .heatmaplayer").count() == 1

    page.locator("button[aria-label='Remove FastText']").click()
    wait_until_idle(page)
    expect(page.locator(".js-plotly-plot .gtitle", has_text="FastText")).to_have_count(0)
    wait_until_idle(page)
    assert sorted(panel_titles(page)) == sorted(title for title in titles if title != "FastText")
    assert page.locator(".js-plotly-plot").count() == len(DEFAULT_METHODS)


def test_highlighted_word_is_bold_in_every_panel(page):
    open_compare(page)
    assert page.locator(".js-plotly-plot tspan[style*='bold']", has_text="palace").count() == 0
    choose(page, "Highlight a word", "palace")
    bold = page.locator(".js-plotly-plot tspan[style*='bold']", has_text="palace")
    expect(bold).to_have_count(len(DEFAULT_METHODS))
