"""The Explore page in a real browser, as a person uses it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.app_server import STEP_TIMEOUT_MS, chart_text, chart_title, chart_words, choose, upload, wait_until_idle

pytestmark = pytest.mark.browser


def test_default_chart_shows_king_queen_and_building(page):
    # Under load Plotly may draw the frame before its labels: wait for what is expected, then check it.
    expect(page.locator(".js-plotly-plot .gtitle")).to_have_text("GloVe 6B 50d · PCA · 2D", timeout=STEP_TIMEOUT_MS)
    for word in ("king", "queen", "building"):
        label = page.locator(".js-plotly-plot g.textpoint text").filter(has_text=re.compile(f"^{word}$"))
        expect(label.first).to_be_attached(timeout=STEP_TIMEOUT_MS)
    assert {"king", "queen", "building"} <= chart_text(page)


def test_switching_method_and_projection_changes_the_chart(page):
    page.wait_for_selector(".js-plotly-plot")
    before = page.locator(".js-plotly-plot").first.inner_html()
    choose(page, "Embedding method", "One-hot")
    assert chart_title(page) == "One-hot · PCA · 2D"
    after_method = page.locator(".js-plotly-plot").first.inner_html()
    assert after_method != before
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text="t-SNE").click()
    wait_until_idle(page)
    assert chart_title(page) == "One-hot · t-SNE · 2D"
    assert page.locator(".js-plotly-plot").first.inner_html() != after_method
    assert {"king", "queen", "building"} <= chart_words(page)


def test_a_one_word_list_gives_a_message_not_a_traceback(page):
    page.get_by_text("Type a list").click()
    wait_until_idle(page)
    box = page.locator("[data-testid='stSidebar'] textarea")
    box.fill("king")
    box.press("Control+Enter")  # apply the text area
    wait_until_idle(page)
    page.get_by_text("add more words").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert chart_text(page) == {"king"}


def test_user_markup_is_shown_as_text(page):
    page.get_by_text("Type a list").click()
    wait_until_idle(page)
    box = page.locator("[data-testid='stSidebar'] textarea")
    box.fill("<b>king</b>\n**queen**\nxyzzy<i>plugh</i>")
    box.press("Control+Enter")
    wait_until_idle(page)
    page.get_by_text("not in GloVe 6B 50d's vocabulary").wait_for()
    # The missing items appear literally, tags and asterisks included, and no <b>/<i> was created from them.
    assert page.get_by_text("<b>king</b>, **queen**, xyzzy<i>plugh</i>").is_visible()
    assert page.locator("[data-testid='stMain'] b, [data-testid='stMain'] i").count() == 0


def test_an_uploaded_csv_word_list_is_drawn_with_its_groups(page):
    page.get_by_text("Upload a file").click()
    wait_until_idle(page)
    csv = b"word,group\ncat,animal\ndog,animal\nhorse,animal\ncar,vehicle\ntruck,vehicle\nbus,vehicle\n"
    upload(page, "A .txt, .csv or .tsv file", "animals.csv", csv)
    wait_until_idle(page)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot g.textpoint text').length === 6")
    assert chart_text(page) == {"cat", "dog", "horse", "car", "truck", "bus"}
    legend = page.locator(".js-plotly-plot .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert legend == ["animal", "vehicle"]


def test_word2vec_trains_on_an_uploaded_corpus(page):
    from embedders.corpus import bundled_corpus

    text = "\n\n".join(" ".join(doc) for doc in bundled_corpus().documents[:4]).encode()
    page.get_by_text("Training corpus").click()
    upload(page, "Your own corpus", "my-articles.txt", text)
    wait_until_idle(page)
    page.get_by_text("my-articles.txt: ").first.wait_for()
    choose(page, "Embedding method", "Word2Vec skip-gram")
    page.get_by_text("Trained on your own corpus").wait_for()
    # The loading box goes once the model is trained: the chart takes its place.
    page.locator(".js-plotly-plot .gtitle", has_text="Word2Vec skip-gram").wait_for()
    assert chart_title(page) == "Word2Vec skip-gram · PCA · 2D"
    assert page.locator("[data-testid='stException']").count() == 0
