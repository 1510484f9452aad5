"""Save screenshots of the running app into docs/ for the README.

Run: python scripts/take_screenshots.py   (needs the test requirements and Debian chromium,
which scripts/test.sh installs). It starts the real app the way the browser tests do.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.app_server import launch_browser, picture_on_first_screen, running_app, wait_until_idle  # noqa: E402

#: (page name in a link, file name); each is taken once its picture is steady on the first screen.
PAGES = [
    ("explore", "explore.png"),
    ("compare", "compare.png"),
    ("arithmetic", "arithmetic.png"),
    ("transformer", "inside_transformer.png"),
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    docs = REPO / "docs"
    docs.mkdir(exist_ok=True)
    with running_app() as url, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_page(viewport={"width": 1440, "height": 900})  # a laptop's screen
        page.set_default_timeout(300_000)
        for name, file_name in PAGES:
            page.goto(f"{url}/?page={name}")
            wait_until_idle(page)
            picture_on_first_screen(page)
            page.screenshot(path=str(docs / file_name))
            print(f"saved docs/{file_name}")
        browser.close()


if __name__ == "__main__":
    main()
