"""Browser fixtures: one real app server and one headless Chromium per test session."""

import contextlib
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.app_server import STEP_TIMEOUT_MS, launch_browser, running_app, server_log, wait_until_idle

#: How much of the app server's log a failed browser test reports.
LOG_LINES_ON_FAILURE = 80
#: And how many characters of the page's text (its end: where the running part is).
PAGE_TEXT_ON_FAILURE = 3000

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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test reports the text its page showed and the end of its app server's log: a page
    that never went idle (seen once in CI, not reproduced) is otherwise a bare timeout."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if report.failed and hasattr(item, "funcargs") else None
    if page is not None and not page.is_closed():
        try:
            shown = page.locator("[data-testid='stMain']").inner_text(timeout=5_000)
        except Exception as error:  # the report must not fail on a page that is gone
            shown = f"(could not read the page: {error})"
        report.sections.append(("what the page showed", shown[-PAGE_TEXT_ON_FAILURE:]))
        screenshot = Path(tempfile.gettempdir()) / f"failed-{re.sub(r'[^A-Za-z0-9_.-]+', '_', item.name)}.png"
        with contextlib.suppress(Exception):  # as above: the report must not fail on a page that is gone
            page.screenshot(path=screenshot, full_page=True)
            report.sections.append(("screenshot", str(screenshot)))
    url = item.funcargs.get("app_url") if hasattr(item, "funcargs") else None
    if report.failed and url:
        log = server_log(urlsplit(url).port)
        if log.exists():
            lines = log.read_text(errors="replace").splitlines()[-LOG_LINES_ON_FAILURE:]
            report.sections.append((f"app server log {log} (last {len(lines)} lines)", "\n".join(lines)))
