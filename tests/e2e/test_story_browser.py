"""The Story page in a real browser, as a teacher walks a class through it with the Next button."""

import re
import time

import pytest
from playwright.sync_api import expect

from story import STEPS
from tests.e2e.app_server import STEP_TIMEOUT_MS, chart_text, chart_title, chart_words, wait_until_idle

pytestmark = pytest.mark.browser

SHOWN = ".js-plotly-plot, [data-testid='stImage'], .token-chips"


def open_story(page) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Story").click()
    wait_until_idle(page)


def button(page, label: str):
    return page.locator("[data-testid='stButton']").filter(has_text=label).locator("button")


def test_next_walks_through_every_step_and_each_shows_its_live_view(page):
    open_story(page)
    seconds = {}
    for number, step in enumerate(STEPS, start=1):
        if number > 1:
            started = time.monotonic()
            button(page, "Next").click()
            wait_until_idle(page)
            page.locator("[data-testid='stMain'] h3").filter(has_text=step.title).wait_for()
            page.locator(SHOWN).first.wait_for()
            seconds[step.key] = time.monotonic() - started
        page.locator(SHOWN).first.wait_for()  # the first step's view too: it may arrive after the page is idle
        assert page.get_by_text(f"Step {number} of {len(STEPS)}").is_visible()
        assert page.locator(SHOWN).count() >= 1, step.key
        assert page.locator("[data-testid='stException']").count() == 0, step.key
        assert page.locator("[data-testid='stAlertContentError']").count() == 0, step.key
    assert button(page, "Next").is_disabled()
    print("Browser seconds from Next to the step's view:", {key: round(value, 1) for key, value in seconds.items()})


def test_explore_this_yourself_opens_the_full_page_in_the_steps_state(page):
    open_story(page)
    number = next(i for i, step in enumerate(STEPS, start=1) if step.key == "fasttext")
    page.locator("[data-testid='stSelectbox']").filter(has_text="Step").click()
    page.locator("[role='option']").filter(has_text=STEPS[number - 1].title).click()
    wait_until_idle(page)
    link = page.get_by_role("link", name="Explore this yourself").first
    # On a busy machine the step's rerun may start after the idle check: wait for its link.
    expect(link).to_have_attribute("href", re.compile("method=fasttext"), timeout=STEP_TIMEOUT_MS)
    explore = page.context.new_page()  # a new tab is a new session: it reads the link's parameters
    explore.goto(link.evaluate("a => a.href"))
    wait_until_idle(explore)
    explore.locator("[data-testid='stMain'] h3").filter(has_text="Explore an embedding").wait_for()
    expect(explore.get_by_role("textbox", name="Find a word")).to_have_value("kingliness", timeout=STEP_TIMEOUT_MS)
    explore.locator(".js-plotly-plot .gtitle").first.wait_for()
    assert chart_title(explore) == "FastText · PCA · 2D"
    assert "kingliness" in chart_text(explore)  # found words are always labelled
    assert {"kingliness", "riverbank"} <= chart_words(explore)  # the typed words, not the sidebar's preset
    assert explore.locator("[data-testid='stException']").count() == 0
    explore.close()


def test_a_link_to_a_step_past_the_end_opens_the_last_step(page, app_url):
    page.goto(f"{app_url}/?page=story&step=40&present=1")  # a reload is a new session: it reads the link
    wait_until_idle(page)
    page.locator("[data-testid='stMain'] h3").filter(has_text=STEPS[-1].title).wait_for()
    assert page.get_by_text(f"Step {len(STEPS)} of {len(STEPS)}").is_visible()
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
