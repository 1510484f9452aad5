"""How much of each page's picture a person sees without scrolling, at projector and laptop sizes.

Run: python bench/first_screen.py [--pages explore,compare] [--screenshots DIR] [--json FILE]

Opens every main page from its link in headless Chromium (a new session each), waits until the
script is idle, and prints, per window size, where the picture starts and how many pixels of it
are visible. The targets of issue 16: 1280 x 720 with presentation mode at least 300 px,
1440 x 900 without it at least 450 px. Screenshots (the first screen only) go to --screenshots.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.browser import server_env  # noqa: E402
from links.pages import PAGE_NAMES  # noqa: E402
from tests.e2e.app_server import (  # noqa: E402
    STEP_TIMEOUT_MS,
    launch_browser,
    picture_on_first_screen,
    running_server,
    wait_until_idle,
)

#: (label, width, height, presentation mode), with the target of visible picture pixels.
WINDOWS = (("projector", 1280, 720, True, 300), ("laptop", 1440, 900, False, 450), ("desktop", 1920, 1080, False, 450),
           ("narrow", 600, 900, False, 0))


def measure(url: str, pages: list[str], screenshots: Path | None) -> list[dict]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for label, width, height, present, target in WINDOWS:
            for name in pages:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.set_default_timeout(STEP_TIMEOUT_MS)
                try:
                    page.goto(f"{url}/?page={name}" + ("&present=1" if present else ""))
                    wait_until_idle(page)
                    page.wait_for_timeout(1500)  # let Plotly finish laying out
                    wait_until_idle(page)
                    seen = picture_on_first_screen(page)
                except PlaywrightError as error:  # one page's failure is a row of the table, not the end
                    seen = {"top": None, "visible": 0, "error": str(error).splitlines()[0]}
                errors = page.locator("[data-testid='stException']").count()
                rows.append({"window": label, "size": f"{width}x{height}", "page": name, **seen, "target": target,
                             "exceptions": errors})
                if screenshots:
                    page.screenshot(path=str(screenshots / f"{name}-{label}.png"))
                context.close()
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(PAGE_NAMES))
    parser.add_argument("--screenshots", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cache", type=Path, help="the app's cache folder (default: a new temporary one)")
    args = parser.parse_args()
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    cache = args.cache or Path(tempfile.mkdtemp(prefix="first-screen-"))
    with running_server(env=server_env(cache)) as server:
        rows = measure(server.url, args.pages.split(","), args.screenshots)
    for row in rows:
        verdict = "ok" if row["visible"] >= row["target"] else "SHORT"
        print(f"{row['window']:9} {row['page']:12} top {row['top']!s:>5} px  visible {row['visible']:4} px  "
              f"(target {row['target']}) {verdict}" + (f"  {row['exceptions']} exceptions" if row["exceptions"] else "")
              + (f"  {row['error']}" if row.get("error") else ""))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
