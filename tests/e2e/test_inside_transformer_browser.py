"""Inside the transformer in a real browser: token chips, the context chart and the attention heatmap."""

import pytest

from tests.e2e.app_server import wait_until_idle

pytestmark = pytest.mark.browser


#: The two tokenizers' chips side by side: MiniLM's WordPiece, GPT-4's cl100k BPE.
WORDPIECE = ".st-key-wordpiece_chips .token-chip"
GPT = ".st-key-gpt_chips .token-chip"


def open_page(page):
    page.locator("[data-testid='stSidebarNav'] a", has_text="Inside the transformer").click()
    wait_until_idle(page)


def open_view(page, name: str):
    """Switch the page's view (a segmented control beside the picture)."""
    page.locator("[data-testid='stButtonGroup'] button", has_text=name).click()
    wait_until_idle(page)


def test_a_person_sees_tokens_context_and_attention(page):
    open_page(page)

    chips = page.locator(WORDPIECE)
    chips.first.wait_for()
    texts = chips.all_inner_texts()
    assert any(text.startswith("##bed") for text in texts)
    assert texts[0].startswith("[CLS]") and "101" in texts[0]
    gpt = page.locator(GPT)  # GPT-4's pieces of the same text, beside WordPiece's
    assert gpt.count() >= 1 and not any(text.startswith("##") for text in gpt.all_inner_texts())
    assert page.get_by_text(f"GPT-4 · byte-level BPE (cl100k_base): {gpt.count()} tokens").is_visible()

    page.get_by_role("button", name="A sentence of rare words").click()
    wait_until_idle(page)
    assert any(text.startswith("##kka") for text in page.locator(WORDPIECE).all_inner_texts())
    assert page.locator(".token-unknown").count() >= 1  # rare words GloVe does not know, in the plain split

    page.get_by_role("button", name="Emoji, accents, non-Latin").click()
    wait_until_idle(page)
    # The kangaroo and 東 are cut between their bytes: purple chips showing hex, beside WordPiece's [UNK].
    byte_chips = page.locator(f"{GPT}.token-bytes")
    assert byte_chips.count() >= 2
    assert all(text.startswith(("<", "␣<")) for text in byte_chips.all_inner_texts())
    assert "[UNK]" in " ".join(page.locator(WORDPIECE).all_inner_texts())

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


def test_a_class_watches_a_bpe_learn_t_plus_h_then_more(page):
    open_page(page)
    open_view(page, "4 · BPE, learned step by step")
    words = page.locator(".st-key-bpe_words_chips .token-chip")
    words.first.wait_for()
    assert page.get_by_text("Merge 1 of").is_visible()
    merged = page.locator(".st-key-bpe_words_chips .token-merged").all_inner_texts()
    assert merged and all(text.startswith("th") for text in merged)  # "t" + "h" became "th" in weather, the, …
    chart = page.locator(".js-plotly-plot", has_text="times each pair occurred")
    assert chart.locator(".point, path.point, .bars path").count() >= 10

    before = len(words.all_inner_texts())
    for merge in (2, 3, 4):
        page.get_by_role("button", name="Next").click()
        # On a busy machine the rerun may start after wait_until_idle's grace: wait for the merge it draws.
        page.get_by_text(f"Merge {merge} of").wait_for()
        wait_until_idle(page)
    assert page.get_by_text("Merge 4 of").is_visible()
    assert len(page.locator(".st-key-bpe_words_chips .token-chip").all_inner_texts()) < before
    history = page.locator(".st-key-bpe_history")
    assert history.get_by_text("its characters").is_visible()
    assert history.get_by_text("merge 1: t + h").is_visible()

    words_box = page.get_by_label("Words to cut", exact=True)
    words_box.fill("<i>then</i>")
    words_box.press("Enter")
    wait_until_idle(page)
    assert page.locator(".st-key-bpe_words_chips i").count() == 0  # the markup stayed text
    assert page.locator(".st-key-bpe_words_chips .token-unknown").count() >= 1
