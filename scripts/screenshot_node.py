"""A picture of a node's page as ``kg serve`` shows it, for the README: ``docs/node-page.png``.

Starts ``kg serve`` on a free loopback port, opens the page of a node in Debian's Chromium (through Playwright, every
request to another host aborted), waits until the neighbourhood is drawn, and saves the picture. Run it from the
checkout::

    .venv/bin/python scripts/screenshot_node.py [--node content] [--lang en] [--output docs/node-page.png]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def kg_serve() -> Iterator[str]:
    """``kg serve`` (the built-in graph) on a free loopback port; yields its base URL, and stops it by its pid."""
    port = free_port()
    kg = Path(sys.executable).parent / "kg"
    process = subprocess.Popen([str(kg), "serve", "--port", str(port)], cwd=ROOT, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("kg serve did not start") from None
                time.sleep(0.25)
        yield base
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(30)


def node_page(base: str, node: str, lang: str, output: Path) -> Path:
    """Save a picture of the page of ``id:node`` in ``lang``, its drawing settled, to ``output``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 1180}, device_scale_factor=1)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        page = context.new_page()
        page.goto(f"{base}/id/{node}?lang={lang}")
        page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(output))
        browser.close()
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node", default="content", help="the local name of the node (id:NAME)")
    parser.add_argument("--lang", default="en", choices=["en", "zh"])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "node-page.png")
    options = parser.parse_args()
    with kg_serve() as base:
        print(node_page(base, options.node, options.lang, options.output))


if __name__ == "__main__":
    main()
