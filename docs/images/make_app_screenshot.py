"""Take the screenshot of `socialcap serve` in the README (docs/images/app.png).

The same fictional Sam as the other pictures (make_images.py), in a fresh SQLite
store, served by the real command and photographed in Debian's Chromium.
Run from the repository root:  python docs/images/make_app_screenshot.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import socialcap as sc

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from make_images import cohort  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = str(Path(folder) / "maps.db")
        sc.write_cohort(cohort(), store)
        server = subprocess.Popen([sys.executable, "-m", "socialcap", "serve", store, "--no-browser"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            address = next(m.group(0) for line in server.stdout
                           if (m := re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"])
                page = browser.new_page(viewport={"width": 1360, "height": 860})
                page.goto(address)
                page.wait_for_selector("body[data-ready=yes]")
                page.select_option("#person", "P01")
                page.wait_for_selector("#markers .marker")
                page.locator("#markers .marker:has(text.name:text-is('Mrs Patel'))").click()
                page.wait_for_selector("body[data-state=idle]")
                page.mouse.wheel(0, -5000)
                page.wait_for_timeout(300)
                page.screenshot(path=str(HERE / "app.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
