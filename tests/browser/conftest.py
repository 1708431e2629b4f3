"""Fixtures for the real-browser tests: the default build served under a sub-path.

GitHub Pages serves a project site under /<repository>/, so the site is served
from 127.0.0.1 under SUB_PATH and nothing outside it exists: a link or asset
that assumes the site root breaks here as it would there. Chromium is Debian's
(Playwright cannot download its own browser here); CHROMIUM overrides the path.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.visit import Site

SUB_PATH = "/inside-tinycnn/"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless in a container: no sandbox, no GPU, and no traffic of the browser's own
# (updates, sync, field trials) that would mix with the page's requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Each page's request count and bytes on a cold load, printed after the tests.
PAGE_WEIGHTS = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    weights = terminalreporter.config.stash.get(PAGE_WEIGHTS, [])
    if weights:
        terminalreporter.write_sep("-", "page weight (cold load)")
        for line in weights:
            terminalreporter.write_line(line)


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serve the site folder under SUB_PATH only; everything else is 404."""

    def send_head(self) -> BinaryIO | None:
        if not self.path.startswith(SUB_PATH):
            self.send_error(404, "outside the site's sub-path")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(SUB_PATH))

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: failed requests are reported by the tests themselves


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[Site]:
    """Serve a built site folder on a free local port, under SUB_PATH."""
    handler = functools.partial(SubPathHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(folder, f"http://127.0.0.1:{server.server_port}{SUB_PATH}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(default_project) -> Iterator[Site]:
    with serve(default_project.site) as site:
        yield site


@pytest.fixture(scope="session")
def served_tiny_site(tiny_project) -> Iterator[Site]:
    """The tiny preset's site: quick to build, for tests of page behaviour."""
    with serve(tiny_project.site) as site:
        yield site


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
