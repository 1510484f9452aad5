"""Inside the transformer in a real browser: token chips, the context chart and the attention heatmap."""

import pytest

from tests.e2e.app_server import wait_until_idle

pytestmark = pytest.mark.browser


def open_page(page):
    page.locator("[data-testid='stSidebarNav'] a", has_text="Inside the transformer").click()
    wait_until_idle(page)


def open_view(page, name: str):
    """Switch the page's view (a segmented control beside the picture)."""
    page.locator("[data-testid='stButtonGroup'] button", has_text=name).click()
    wait_until_idle(page)


def test_a_person_sees_tokens_context_and_attention(page):
    open_page(page)

    chips = page.locator(".token-chip")
    chips.first.wait_for()
    texts = chips.all_inner_texts()
    assert any(text.startswith("##bed") for text in texts)
    assert texts[0].startswith("[CLS]") and "101" in texts[0]

    page.get_by_role("button", name="A sentence of rare words").click()
    wait_until_idle(page)
    assert any(text.startswith("##kka") for text in page.locator(".token-chip").all_inner_texts())
    assert page.locator(".token-unknown").count() >= 1  # rare words GloVe does not know, in the plain split

    textarea = page.get_by_label("Text to tokenize")
    textarea.fill("<b>bold</b> 🙂")
    textarea.press("Control+Enter")
    wait_until_idle(page)
    assert page.locator(".token-chips b").count() == 0  # the markup stayed text
    assert "[UNK]" in " ".join(page.locator(".token-chip").all_inner_texts())

    open_view(page, "2 · Context")
    context = page.locator(".js-plotly-plot", has_text="bank · after layer 6")
    context.wait_for()
    assert context.locator(".legendtext", has_text="river").count() == 1
    assert context.locator(".legendtext", has_text="money").count() == 1
    assert context.locator("g.point, path.point").count() == 6

    open_view(page, "3 · Attention")
    heatmap = page.locator(".js-plotly-plot", has_text="Layer 1, average of 12 heads")
    heatmap.wait_for()
    assert heatmap.locator(".heatmaplayer, image").count() >= 1
    assert "captain" in heatmap.locator(".xtick text").all_text_contents()

    page.locator("[data-testid='stSelectbox']", has_text="Head").click()
    page.get_by_role("option", name="5", exact=True).click()
    wait_until_idle(page)
    page.locator(".js-plotly-plot", has_text="Layer 1, head 5").wait_for()
