"""Pictures of the pages a person browses, as ``kg serve`` shows them, for the README and docs/browse.md:
``docs/browse-home.png`` (suggestions for 拼多), ``browse-search.png``, ``browse-facets.png``, ``browse-overview.png``
and ``browse-timeline.png``.

Starts ``kg serve`` on a free loopback port and opens each page in Debian's Chromium at 1366×900 (through Playwright,
every request to another host aborted). Run it from the checkout::

    .venv/bin/python scripts/screenshot_browse.py [--lang zh]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from screenshot_node import CHROMIUM, ROOT, kg_serve

#: Each picture: its file, the address (with the language appended), and what to do before the picture is taken.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("browse-home.png", "/", "type"),
    ("browse-search.png", "/search?q=拼多", ""),
    ("browse-facets.png", "/browse?model=content&class=enterprise", ""),
    ("browse-overview.png", "/overview", ""),
    ("browse-timeline.png", "/timeline?model=content", ""),
)


def take(base: str, lang: str, folder: Path) -> list[Path]:
    """Save a picture of each page of ``PAGES`` in ``lang`` into ``folder``."""
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 900}, device_scale_factor=1)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        page = context.new_page()
        for name, path, action in PAGES:
            joiner = "&" if "?" in path else "?"
            page.goto(f"{base}{path}{joiner}lang={lang}")
            page.wait_for_load_state("networkidle")
            if action == "type":
                _suggest(page, "拼多")
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder / name))
            saved.append(folder / name)
        browser.close()
    return saved


def _suggest(page: Any, text: str) -> None:
    """Type ``text`` into the search box and wait for its suggestions."""
    box = page.locator("input[type=search]").first
    box.click()
    box.type(text, delay=50)
    page.wait_for_selector("[role=option]", timeout=10_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="zh", choices=["en", "zh"])
    parser.add_argument("--folder", type=Path, default=ROOT / "docs")
    options = parser.parse_args()
    with kg_serve() as base:
        for path in take(base, options.lang, options.folder):
            print(path)


if __name__ == "__main__":
    main()
