"""Explore with an uploaded list of 5,000 words, in a real browser."""

import pytest

from tests.e2e.app_server import upload, wait_until_idle

pytestmark = pytest.mark.browser


def test_five_thousand_uploaded_words_draw_a_webgl_chart_with_readable_labels(page, glove):
    words = [w for w in glove.keyed_vectors.index_to_key[1000:8000] if w.isalpha()][:5000]
    page.get_by_text("Upload a file").click()
    wait_until_idle(page)
    # By its label: the vectors uploader is in the sidebar too, and may be the first while the run redraws.
    upload(page, "A .txt, .csv or .tsv file", "words.txt", "\n".join(words).encode())
    wait_until_idle(page)
    page.locator("[data-testid='stSidebar']").get_by_text("5,000 items").wait_for()

    page.locator(".js-plotly-plot .gl-container canvas").first.wait_for()  # markers drawn with WebGL
    page.get_by_text("Labels on 100 of 5,000 points").wait_for()
    traces = page.locator(".js-plotly-plot").first.evaluate(
        "plot => plot.data.map(t => ({type: t.type, words: t.customdata || [], text: t.text || []}))"
    )
    hover_words = {word for trace in traces if trace["type"] == "scattergl" for word in trace["words"]}
    assert hover_words == set(words)  # every point shows its word on hover
    labels = [text for trace in traces if trace["type"] == "scatter" for text in trace["text"]]
    assert 0 < len(labels) <= 100

    target = words[1234]
    box = page.get_by_role("textbox", name="Find a word")
    box.fill(target)
    box.press("Enter")
    wait_until_idle(page)
    labels = page.locator(".js-plotly-plot").first.evaluate(
        "plot => plot.data.filter(t => t.type === 'scatter').flatMap(t => t.text)"
    )
    assert f"<b>{target}</b>" in labels  # highlighted, in bold
    x_range = page.locator(".js-plotly-plot").first.evaluate("plot => plot.layout.xaxis.range")
    assert x_range is not None  # the chart is zoomed onto the word
    assert page.locator("[data-testid='stException']").count() == 0
