"""Browser fixtures: one real app server and one headless Chromium per test session."""

import pytest

from tests.e2e.app_server import STEP_TIMEOUT_MS, launch_browser, running_app, wait_until_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def app_url():
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser tab (new session) on the app, after its first run has finished."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(app_url)
    wait_until_idle(page)
    yield page
    context.close()
