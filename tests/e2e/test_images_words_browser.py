"""Images and words in a real browser: the chart of images and words, then a search by a typed word."""

import pytest

from images.shared_space import DEFAULT_HELD_OUT, DIGIT_WORDS
from tests.e2e.app_server import wait_until_idle

pytestmark = pytest.mark.browser


def trace_names(page) -> list[str]:
    return page.locator(".js-plotly-plot").first.evaluate("plot => plot.data.map(t => t.name)")


def search(page, word: str) -> None:
    box = page.get_by_label("Search the images by a word", exact=True)
    box.fill(word)
    box.press("Enter")
    wait_until_idle(page)


def test_the_page_draws_images_and_words_and_searches_by_a_typed_word(page, app_url):
    page.goto(f"{app_url}/?page=images")
    wait_until_idle(page)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for()
    names = trace_names(page)
    assert {f"{digit} · held out" for digit in DEFAULT_HELD_OUT} <= set(names) and "words (GloVe)" in names
    assert chart.locator(".layer-above image").count() == 10  # the thumbnails are drawn, one per digit
    labels = set(chart.locator(".annotation-text").evaluate_all("els => els.map(e => e.textContent)"))
    assert set(DIGIT_WORDS) <= labels
    assert page.get_by_text("Zero-shot:").first.is_visible()

    word = DIGIT_WORDS[DEFAULT_HELD_OUT[0]]
    search(page, word)
    assert f"found for “{word}”" in trace_names(page)
    assert page.locator("[data-testid='stMain'] [data-testid='stImage'] img").count() >= 1  # the grid of hits

    search(page, "loop")
    assert "your word" in trace_names(page) and "found for “loop”" in trace_names(page)

    search(page, "zzqxvplugh")
    assert page.get_by_text("GloVe has no vector for “zzqxvplugh”").is_visible()
    assert not any(name.startswith("found") for name in trace_names(page))
    assert page.locator("[data-testid='stException']").count() == 0
