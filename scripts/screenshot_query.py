"""Take docs/screenshot-query.png: the query page of ``kg serve`` (``/query``) with a named query's answer drawn.

Starts ``kg serve`` on a free loopback port, opens the page in Debian's Chromium through Playwright (every request to
another host aborted) at the address of a named query (model-profile of the content model, on its graph view: the
address holds what is on screen), waits for the view to be drawn (the graph to settle), and stops the server.
``--address`` shows another answer (the part after ``/query?lang=…&``), ``--width`` another window:

    .venv/bin/python scripts/screenshot_query.py [--lang en|zh] [--output docs/screenshot-query.png]
    .venv/bin/python scripts/screenshot_query.py --lang zh --width 760 --address 'name=market-size&view=chart' \
        --output /tmp/chart-zh-760.png
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The address shown, after ``/query?lang=…&``: a named query with its value, on the graph view.
ADDRESS = "name=model-profile&model=content&view=graph"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    """``kg serve`` on ``port``, once it answers."""
    kg = str(Path(sys.executable).parent / "kg")
    process = subprocess.Popen([kg, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            if process.poll() is not None:
                told = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"kg serve exited: {told}") from None
            time.sleep(0.25)
    os.kill(process.pid, signal.SIGTERM)
    raise SystemExit("kg serve did not answer within 60 s")


def screenshot(base: str, output: Path, lang: str, address: str = ADDRESS, width: int = 1280) -> None:
    """Open the query page at ``base`` on ``address`` in a window ``width`` pixels wide, wait for its view to be drawn,
    and save the whole page as ``output``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": width, "height": 1000}, device_scale_factor=1)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page = context.new_page()  # a new context: nothing stored, the address alone says what to show
        page.goto(f"{base}/query?lang={lang}&{address}")
        page.wait_for_selector("body[data-ready='true']", state="attached")
        page.wait_for_selector("body[data-drawn]", state="attached", timeout=60_000)
        if page.evaluate("document.body.dataset.drawn") == "graph":
            page.wait_for_selector(".kg-graph-view[data-drawn='true']", state="attached", timeout=60_000)
            page.evaluate("() => window.kgQuery.graph().network.fit({animation: false})")
        page.wait_for_selector(".kg-views[data-drawn='true'], .yasr_results table, .kg-graph-view", state="attached")
        page.wait_for_timeout(500)
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(output), full_page=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshot-query.png")
    parser.add_argument("--address", default=ADDRESS, help="what to show, after /query?lang=…&")
    parser.add_argument("--width", type=int, default=1280, help="the window's width in pixels")
    args = parser.parse_args()
    port = free_port()
    server = start_server(port)
    try:
        screenshot(f"http://127.0.0.1:{port}", args.output, args.lang, args.address, args.width)
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(args.output)


if __name__ == "__main__":
    main()
