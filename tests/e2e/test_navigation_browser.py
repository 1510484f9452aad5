"""Every page is reachable, by the sidebar and by its own address."""

import pytest

from tests.e2e.app_server import STEP_TIMEOUT_MS, running_app, wait_until_idle

pytestmark = pytest.mark.browser

PAGE_TITLES = ["Explore", "Compare methods", "Word arithmetic", "Inside the transformer", "Similarity search",
               "What precision costs", "Your coordinates", "Story"]


def test_a_page_address_as_a_fresh_servers_first_request_gets_the_whole_app(browser):
    # Its own server: the shared one has already answered "/", which hides the problem.
    with running_app() as url:
        page = browser.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(f"{url}/arithmetic")
        wait_until_idle(page)
        page.locator("[data-testid='stMain'] h3").filter(has_text="Word arithmetic").wait_for()  # the frame's heading
        navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert all(title in navigation for title in PAGE_TITLES)
        assert page.locator("[data-testid='stSidebar']").get_by_text("Word list").is_visible()
        page.close()


def test_the_sidebar_links_reach_every_page(page):
    for title in PAGE_TITLES[1:]:
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).click()
        wait_until_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stSidebar']").get_by_text("Word list").is_visible()
