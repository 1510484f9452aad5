"""New items on a drawn map, the query on Search's map, and Compare's animation, in a real browser."""

import pytest

from tests.e2e.app_server import choose, steady_reading, wait_until_idle

pytestmark = pytest.mark.browser

#: The first UMAP on a server may wait for the worker's compile; the animation trains two methods once.
SLOW_STEP_MS = 240_000

#: The map's own points (every trace but the placed one), as drawn: [trace name, x, y] per trace. Read from
#: ``_fullData``: ``data`` holds numeric arrays as Plotly's base64 specs.
MAP_POINTS = """plot => plot._fullData.filter(t => t.name !== 'placed (new)' && t.customdata)
                               .map(t => [t.name, Array.from(t.x), Array.from(t.y)])"""
PLACED = "plot => Array.from((plot._fullData.find(t => t.name === 'placed (new)') || {customdata: []}).customdata)"


def open_page(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).click()
    wait_until_idle(page)


def pick(page, option: str) -> None:
    """Press a segmented control's button (projection, view)."""
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text=option).first.click()
    wait_until_idle(page, timeout_ms=SLOW_STEP_MS)


def place(page, items: str) -> None:
    box = page.get_by_role("textbox", name="Place new items")
    box.fill(items)
    box.press("Control+Enter")  # a text area sends its value on Ctrl+Enter (or when it loses focus)
    wait_until_idle(page, timeout_ms=SLOW_STEP_MS)


@pytest.mark.parametrize("projection", ["PCA", "UMAP", "t-SNE"])
def test_placed_words_join_the_map_as_stars_and_nothing_else_moves(page, projection):
    if projection != "PCA":
        pick(page, projection)
        page.locator(".js-plotly-plot .gtitle").filter(has_text=projection).wait_for(timeout=SLOW_STEP_MS)
    chart = page.locator(".js-plotly-plot").first
    before, title_before = steady_reading(page, MAP_POINTS), chart.locator(".gtitle").text_content()
    place(page, "emperor\nduchess\nqqzzxxv")
    page.get_by_text("existing points do not move").wait_for()
    assert sorted(steady_reading(page, PLACED)) == ["duchess", "emperor"]
    after = steady_reading(page, MAP_POINTS)
    # the list's points stay where they were (the titles tell which map each reading saw, should they differ)
    assert after == before, (title_before, chart.locator(".gtitle").text_content())
    assert sum(len(x) for _, x, _ in after) > 10
    assert chart.locator("path.point[d*='L']").count() > 0  # stars are drawn as paths with corners
    assert page.get_by_text("qqzzxxv").first.is_visible()  # the unknown word is named, not placed
    assert projection in chart.locator(".gtitle").text_content()
    assert page.locator("[data-testid='stException']").count() == 0


def test_nothing_is_placed_until_something_is_typed(page):
    chart = page.locator(".js-plotly-plot").first
    assert chart.evaluate(PLACED) == []
    assert page.get_by_text("existing points do not move").count() == 0


def test_search_places_its_query_on_the_items_umap_map(page):
    choose(page, "Preset", "Sentences topics")
    open_page(page, "Similarity search")
    scope = page.get_by_text("Your list", exact=False).first
    scope.click()
    wait_until_idle(page)
    box = page.get_by_label("Query")
    box.fill("Where can I keep my money safe?")
    box.press("Enter")
    wait_until_idle(page, timeout_ms=SLOW_STEP_MS)
    pick(page, "UMAP")
    page.locator(".js-plotly-plot .gtitle").filter(has_text="UMAP").wait_for(timeout=SLOW_STEP_MS)
    chart = page.locator(".js-plotly-plot").first
    assert chart.evaluate("plot => plot._fullData.filter(t => t.name === 'query').map(t => t.x.length)") == [1]
    assert page.get_by_text("placed on the items' UMAP map").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_compare_animates_from_method_to_method_with_play_and_a_slider(page):
    open_page(page, "Compare methods")
    pick(page, "Animation")
    chart = page.locator(".js-plotly-plot").first
    chart.locator(".slider-container").wait_for(timeout=SLOW_STEP_MS)
    wait_until_idle(page, timeout_ms=SLOW_STEP_MS)
    chart = page.locator(".js-plotly-plot").first
    frames = chart.evaluate("plot => plot._transitionData._frames.map(f => f.name)")
    assert frames == ["One-hot", "TF-IDF vectors", "Word2Vec skip-gram", "GloVe 6B 50d", "FastText",
                      "MiniLM (sentence-transformers)"]
    assert chart.locator(".updatemenu-button").filter(has_text="Play").count() == 1
    first_x = chart.evaluate("plot => Array.from(plot._fullData[0].x)")
    chart.locator(".updatemenu-button").filter(has_text="Play").click()
    page.wait_for_function("""([plot, x]) => JSON.stringify(Array.from(plot._fullData[0].x)) !== JSON.stringify(x)""",
                           arg=[chart.element_handle(), first_x], timeout=30_000)  # the points moved
    assert page.locator("[data-testid='stException']").count() == 0
