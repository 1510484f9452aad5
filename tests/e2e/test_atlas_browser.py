"""The Atlas page in a real browser: an atlas built by the real pipeline, opened, zoomed into and searched."""

import os
import re

import pytest
from playwright.sync_api import expect

from atlas.build import BuildSettings, build_atlas
from tests.atlas_inputs import write_words_table
from tests.e2e.app_server import STEP_TIMEOUT_MS, chart_text, picture_on_first_screen, running_server, wait_until_idle

pytestmark = pytest.mark.browser

TITLE = re.compile(r"words · UMAP · ([\d,]+) of 1,998 items")


@pytest.fixture(scope="module")
def atlas_app(spawnable_main, tmp_path_factory):
    """An app server whose atlas folder holds one atlas of 2,000 words (1,998 of them GloVe's)."""
    root = tmp_path_factory.mktemp("atlases")
    table = write_words_table(tmp_path_factory.mktemp("input") / "words.csv")
    build_atlas(table, root / "words", BuildSettings(method="glove", items="words", sample=1000), workers=2)
    with running_server(env={**os.environ, "EMBEDDING_EXPLORER_ATLASES": str(root)}) as server:
        yield server.url


def open_page(browser, url: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(url)
    wait_until_idle(page)
    return context, page


def shown_items(page) -> int:
    title = page.locator(".js-plotly-plot .gtitle").first
    expect(title).to_have_text(TITLE, timeout=STEP_TIMEOUT_MS)
    shown = TITLE.search(title.text_content() or "")
    assert shown is not None
    return int(shown.group(1).replace(",", ""))


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 1440, "height": 900}])
def test_the_map_is_on_the_first_screen(browser, atlas_app, viewport):
    context, page = open_page(browser, f"{atlas_app}/?page=atlas&present=1", viewport)
    assert shown_items(page) == 1998
    seen = picture_on_first_screen(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert seen["top"] is not None and 0 <= seen["top"] < viewport["height"] and seen["visible"] >= 300, seen
    names = page.locator(".js-plotly-plot g.textpoint text").evaluate_all("els => els.map(e => e.textContent)")
    assert len(names) >= 3  # cluster names drawn on the map
    context.close()


def test_a_box_zooms_into_a_region_and_a_query_is_found_on_the_map(browser, atlas_app):
    context, page = open_page(browser, f"{atlas_app}/?page=atlas", {"width": 1400, "height": 1000})
    assert shown_items(page) == 1998
    page.locator(".js-plotly-plot .modebar-btn[data-val='select']").first.click(force=True)
    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + area["width"] * 0.3, area["y"] + area["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.7, area["y"] + area["height"] * 0.7, steps=10)
    page.mouse.up()
    wait_until_idle(page)
    page.get_by_role("button", name="Show the whole map").wait_for()
    assert 0 < shown_items(page) < 1998

    page.get_by_role("button", name="Show the whole map").click()
    wait_until_idle(page)
    assert shown_items(page) == 1998
    query = page.get_by_role("textbox", name="Search by meaning")
    query.fill("queen")
    query.press("Enter")
    wait_until_idle(page)
    page.get_by_text("Nearest to “queen”").wait_for()
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for()
    assert "queen" in chart_text(page)  # the results are labelled on the map
    assert page.locator("[data-testid='stException']").count() == 0
    context.close()


def test_a_link_naming_a_path_opens_the_latest_atlas_with_a_note(browser, atlas_app):
    context, page = open_page(browser, f"{atlas_app}/?page=atlas&atlas=..%2F..%2Fetc", {"width": 1400, "height": 1000})
    page.get_by_text("This link holds settings the app cannot use").wait_for()
    assert shown_items(page) == 1998
    context.close()


#: The screen position of the first marker whose hover text is the given one (Plotly's own axis mapping).
MARKER_POSITION = """(text) => {
    const plot = document.querySelector('.js-plotly-plot');
    const layout = plot._fullLayout, box = plot.getBoundingClientRect();
    for (const trace of plot._fullData) {  // decoded arrays (plot.data may hold them base64-encoded)
        const i = Array.from(trace.customdata || []).indexOf(text);
        if (i >= 0) return {x: box.left + layout.xaxis._offset + layout.xaxis.l2p(trace.x[i]),
                            y: box.top + layout.yaxis._offset + layout.yaxis.l2p(trace.y[i])};
    }
    return null;
}"""


def test_a_click_on_a_marker_lists_its_neighbours(browser, atlas_app):
    context, page = open_page(browser, f"{atlas_app}/?page=atlas", {"width": 1400, "height": 1000})
    find = page.get_by_role("textbox", name="Find a text")
    find.fill("queen")
    find.press("Enter")
    wait_until_idle(page)
    assert "queen" in chart_text(page)
    position = page.evaluate(MARKER_POSITION, "queen")
    assert position is not None
    page.mouse.click(position["x"], position["y"])
    wait_until_idle(page)
    page.get_by_text("Nearest neighbours of the clicked item").wait_for()
    labels = chart_text(page)
    assert "queen" in labels and len(labels & {"king", "princess", "prince"}) >= 1  # its neighbours, labelled
    context.close()
