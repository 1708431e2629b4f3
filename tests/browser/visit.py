"""Load one page in Chromium and record what a reader's browser would see.

A visit opens the page in a fresh context (a cold cache, as for a first-time
reader), scrolls to the bottom so lazy images load, and records every request,
every console and page error, the images that failed, the horizontal overflow
and the page's links. The tests then assert on the records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Request

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Screen:
    name: str
    viewport: dict[str, int]
    color_scheme: str  # the reader's system preference; Material's palette may follow it
    is_mobile: bool = False


# The phone also prefers dark, so axe checks the dark palette and its figure variants.
SCREENS = [Screen("desktop", DESKTOP, "light"), Screen("phone", PHONE, "dark", is_mobile=True)]
AXE = Axe()  # axe-core, shipped inside the package: nothing is fetched


@dataclass(frozen=True)
class Site:
    folder: Path
    url: str  # ends with the sub-path's slash

    @cached_property
    def pages(self) -> list[str]:
        """Each page's path under the site, as a reader's link names it ("", "en/")."""
        folders = (
            html.parent.relative_to(self.folder).as_posix()
            for html in self.folder.rglob("index.html")
        )
        return sorted("" if folder == "." else folder + "/" for folder in folders)

    @property
    def languages(self) -> list[str]:
        """Site root first (the default language), then each /xx/ language folder."""
        return ["", *(p for p in self.pages if re.fullmatch(r"[a-z]{2}/", p))]

    def ids_in(self, path: str) -> set[str]:
        """The element ids a #fragment can point to on a page of the site."""
        file = self.folder / path
        if path == "" or path.endswith("/"):
            file = file / "index.html"
        return set(re.findall(r'\sid="([^"]+)"', file.read_text(encoding="utf-8")))


@dataclass
class Visit:
    url: str
    requests: list[Request] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    overflow_px: int = 0
    links: list[str] = field(default_factory=list)
    axe_violations: list[str] = field(default_factory=list)
    transferred_bytes: int = 0


# `await decoded(img)`: an image's decode(), given at most 10 s. Under load Chromium once
# left a decode pending for more than ten minutes, and page.evaluate has no timeout of its
# own; after the wait a check reads `complete` and `naturalWidth`, as after a failed decode.
DECODED = """
  const decoded = img => Promise.race([
    img.decode().catch(() => {}), new Promise(done => setTimeout(done, 10000))
  ]);"""

# Scroll a screen at a time so every lazy image enters the viewport, then wait for
# each image to finish; report the rendered ones that did not decode, and the
# hidden ones (the other colour scheme's figure), which a lazy image never loads.
CHECK_IMAGES = (
    "async () => {"
    + DECODED
    + """
  const step = Math.max(200, window.innerHeight - 100);
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 50));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  const broken = [], hidden = [];
  for (const img of document.images) {
    if (img.getClientRects().length === 0) { hidden.push(img.src); continue; }
    await decoded(img);
    if (!(img.complete && img.naturalWidth > 0)) broken.push(img.currentSrc || img.src);
  }
  window.scrollTo(0, 0);
  return {broken, hidden};
}"""
)

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


def visit(browser: Browser, url: str, screen: Screen) -> Visit:
    """Load `url` on `screen` in a fresh context and record what happened."""
    record = Visit(url)
    context = browser.new_context(
        viewport=screen.viewport, is_mobile=screen.is_mobile, color_scheme=screen.color_scheme
    )
    page = context.new_page()
    listen(page, record)
    try:
        page.goto(url, wait_until="networkidle")
        images = page.evaluate(CHECK_IMAGES)
        # Fetched outside the page, so a reader's request count stays the page's own.
        hidden_missing = [u for u in images["hidden"] if not context.request.get(u).ok]
        record.broken_images = images["broken"] + [f"{u} (hidden)" for u in hidden_missing]
        record.overflow_px = page.evaluate(OVERFLOW)
        record.links = page.evaluate(LINKS)
        record.axe_violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"])
            for v in AXE.run(page).response["violations"]
        ]
        page.wait_for_load_state("networkidle")
        record.transferred_bytes = sum(transferred(r) for r in record.requests)
    finally:
        context.close()
    return record


def listen(page: Page, record: Visit) -> None:
    """Record the page's requests, failures and errors from now on."""
    page.on("request", lambda r: record.requests.append(r))
    page.on("requestfailed", lambda r: record.failed_requests.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.ok or record.failed_requests.append(f"{r.url}: {r.status}"))
    page.on("pageerror", lambda e: record.page_errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and record.console_errors.append(m.text))


def transferred(request: Request) -> int:
    if request.failure is not None:
        return 0  # nothing arrived (and test_no_failed_requests names it)
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]


def same_origin(url: str, base: str) -> bool:
    return urlsplit(url)[:2] == urlsplit(base)[:2]
