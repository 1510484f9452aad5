"""Save screenshots of the running app into docs/ for the README.

Run: python scripts/take_screenshots.py   (needs the test requirements and Debian chromium,
which scripts/test.sh installs). It starts the real app the way the browser tests do.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.app_server import launch_browser, running_app, wait_until_idle  # noqa: E402

#: (url path, file name, CSS selector that must be on screen before the picture is taken)
PAGES = [
    ("", "explore.png", ".js-plotly-plot"),
    ("compare", "compare.png", ".js-plotly-plot"),
    ("arithmetic", "arithmetic.png", ".js-plotly-plot"),
    ("inside_transformer", "inside_transformer.png", "[data-testid='stTabs']"),  # opens on the tokens tab
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    docs = REPO / "docs"
    docs.mkdir(exist_ok=True)
    with running_app() as url, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1250})
        page.set_default_timeout(300_000)
        for path, name, ready in PAGES:
            page.goto(f"{url}/{path}")
            wait_until_idle(page)
            page.wait_for_selector(ready)
            page.wait_for_timeout(1000)  # let Plotly finish its transition
            page.screenshot(path=str(docs / name))
            print(f"saved docs/{name}")
        browser.close()


if __name__ == "__main__":
    main()
