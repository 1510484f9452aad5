"""Similarity search and the trade-off page in a real browser, as a class uses them."""

import pytest

from tests.e2e.app_server import choose, wait_until_idle

pytestmark = pytest.mark.browser


def open_page(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).click()
    wait_until_idle(page)


def test_a_typed_query_lists_its_results_and_is_drawn_as_its_own_marker(page):
    choose(page, "Preset", "Sentences topics")
    open_page(page, "Similarity search")
    box = page.get_by_label("Query")
    box.fill("Where can I keep my money safe?")
    box.press("Enter")
    wait_until_idle(page)
    tables = page.locator("[data-testid='stDataFrame']")
    tables.first.wait_for()  # count() does not wait: the results may still be on their way
    assert tables.count() == 1  # exact search: one table, not two alike
    chart = page.locator(".js-plotly-plot").first
    legend = set(chart.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)"))
    assert {"query", "found"} <= legend
    assert chart.locator(".scatterlayer .trace").last.locator("path.point").count() == 1  # one star: the query
    assert "Where can I keep my money safe?" in page.locator("[data-testid='stMain'] [data-testid='stCode']").inner_text()
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_trade_off_page_opens_on_a_chart_without_a_click(page):
    open_page(page, "What precision costs")
    wait_until_idle(page, timeout_ms=180_000)  # a machine that never measured measures the cheapest by itself
    page.locator(".js-plotly-plot").first.wait_for(timeout=180_000)
    assert page.get_by_text("measured on").first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
