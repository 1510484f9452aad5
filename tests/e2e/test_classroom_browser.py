"""Shared links, presentation mode and selections in a real browser, as a classroom uses them."""

import re

import pytest

from tests.e2e.app_server import STEP_TIMEOUT_MS, chart_text, chart_title, choose, steady_reading, wait_until_idle

pytestmark = pytest.mark.browser


def label_font_size(page) -> float:
    sizes = page.locator(".js-plotly-plot g.textpoint text").evaluate_all(
        "els => els.map(e => parseFloat(e.style.fontSize))")
    return max(sizes)


def test_a_shared_link_opens_the_same_3d_umap_of_that_method(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(f"{app_url}/?method=word2vec-skipgram&projection=umap&dims=3&seed=3")
    wait_until_idle(page, timeout_ms=180_000)  # the first UMAP on a server waits for its compile
    page.locator(".js-plotly-plot .gtitle").filter(has_text="UMAP").wait_for(timeout=180_000)
    assert chart_title(page) == "Word2Vec skip-gram · UMAP · 3D"
    assert page.locator(".js-plotly-plot .gl-container, .js-plotly-plot canvas").count() >= 1  # a WebGL 3-D scene
    assert re.search(r"seed=3", page.url) and re.search(r"dims=3", page.url)  # the link stays in the address bar
    page.close()


def test_changing_the_method_changes_the_link(page):
    choose(page, "Embedding method", "FastText")
    page.wait_for_url(re.compile(r"method=fasttext"))


def test_presentation_mode_enlarges_the_charts_text(page):
    page.locator(".js-plotly-plot g.textpoint text").first.wait_for()
    before = label_font_size(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stCheckbox']").filter(
        has_text="Presentation mode").locator("label").click()
    wait_until_idle(page)
    assert label_font_size(page) > 1.5 * before
    assert re.search(r"present=1", page.url)


#: The first chart's drag mode ("select" once its box-select button is pressed).
DRAG_MODE = "plot => plot._fullLayout.dragmode"


def test_a_box_selection_on_explore_lists_what_it_holds(page):
    page.locator(".js-plotly-plot g.textpoint text").first.wait_for()
    steady_reading(page, "plot => plot._fullData.length")  # drawn, and no rerun redrawing it under the drag
    page.locator(".js-plotly-plot .modebar-btn[data-val='select']").first.click(force=True)
    assert steady_reading(page, DRAG_MODE) == "select"
    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + 5, area["y"] + 5)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] - 5, area["y"] + area["height"] - 5, steps=10)
    page.mouse.up()
    wait_until_idle(page)
    page.get_by_text("16 selected").wait_for()  # the whole map: every word of the default preset
    page.locator("[data-testid='stDataFrame']").first.wait_for()  # the table of the selection
    page.get_by_role("button", name="Remove these").wait_for()
    assert {"king", "queen"} <= chart_text(page)
