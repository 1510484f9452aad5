"""Where the map lies, in a real browser: the map coloured by neighbourhood kept, and lines from a found word
to its true nearest neighbours."""

import pytest

from tests.e2e.app_server import wait_until_idle

pytestmark = pytest.mark.browser

#: The first chart's marker traces coloured on a scale, and its line traces, as Plotly holds them.
#: Numpy arrays reach Plotly as {dtype, bdata}, which it decodes into ``_inputArray``.
TRACES = """plot => {
    const values = v => Array.from(v && v._inputArray ? v._inputArray : (v || []));
    return {
        coloured: plot.data.filter(t => t.marker && t.marker.colorscale).map(t => ({
            words: values(t.customdata), colours: values(t.marker.color)})),
        lines: plot.data.filter(t => t.mode === 'lines').map(t => ({dash: t.line.dash, x: values(t.x), y: values(t.y)})),
    };
}"""
#: The map shows a colour bar (the colouring is on).
COLOUR_BAR = "() => document.querySelector('.js-plotly-plot .colorbar') !== null"


def colour_by_kept_and_find(page, word: str) -> None:
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text="Neighbourhood kept").click()
    wait_until_idle(page)
    page.wait_for_function(COLOUR_BAR)
    box = page.get_by_label("Find a word", exact=True).and_(page.locator("input"))
    box.fill(word)
    box.press("Enter")
    wait_until_idle(page)
    page.wait_for_function(COLOUR_BAR)
    page.get_by_text("Lines from the found word").wait_for()


def test_the_map_is_coloured_by_neighbourhood_kept_with_a_colour_bar_and_hover(page):
    page.wait_for_selector(".js-plotly-plot")
    colour_by_kept_and_find(page, "king")
    plot = page.locator(".js-plotly-plot").first
    traces = plot.evaluate(TRACES)
    assert len(traces["coloured"]) == 1
    coloured = traces["coloured"][0]
    assert {"king", "queen", "building"} <= set(coloured["words"])
    assert all(0 <= value <= 1 for value in coloured["colours"]) and len(set(coloured["colours"])) > 1
    assert "neighbourhood kept" in plot.locator(".colorbar").text_content()
    # Hovering the found word (the diamond) shows its share of neighbours kept.
    king = coloured["words"].index("king")
    marker = plot.locator(".scatterlayer .trace").first.locator("path.point").nth(king)
    marker.hover(force=True)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot .hoverlayer .hovertext') !== null")
    hover = plot.locator(".hoverlayer .hovertext").first.text_content()
    assert hover.startswith("king") and f"neighbourhood kept {coloured['colours'][king]:.2f}" in hover
    assert page.locator("[data-testid='stException']").count() == 0


def test_lines_are_drawn_from_a_found_word_to_its_true_neighbours(page):
    page.wait_for_selector(".js-plotly-plot")
    colour_by_kept_and_find(page, "king")
    traces = page.locator(".js-plotly-plot").first.evaluate(TRACES)
    segments = [(line["x"][i : i + 2], line["y"][i : i + 2]) for line in traces["lines"] for i in range(0, len(line["x"]), 3)]
    assert len(segments) == 5  # k = 5 true neighbours by default
    starts = {(x[0], y[0]) for x, y in segments}
    assert len(starts) == 1  # every line starts at the found word
    # The lines are on the screen (SVG paths), and the caption counts the neighbours the map kept near.
    assert page.locator(".js-plotly-plot .scatterlayer path.js-line").count() >= len(traces["lines"])
    caption = page.get_by_text("Lines from the found word to its 5 nearest neighbours").text_content()
    said = caption.split(": ")[1].split(" of them")[0]  # "3", or "all 5" when every line is solid
    near = 5 if said == "all 5" else int(said)
    assert near == sum(len(line["x"]) // 3 for line in traces["lines"] if line["dash"] == "solid")
    # Below the picture: the found word's neighbours with their rank on the map, and the worst-placed items.
    page.get_by_text("Where the map lies").first.wait_for()
    page.get_by_text("Worst-placed items").first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
