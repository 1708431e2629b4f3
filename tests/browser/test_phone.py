"""On a 390 px phone (3x screen) every figure of every page is shown at 0.6 of its CSS size or
more, the size it was drawn for (chrome.DENSITY image px per CSS px): with JavaScript (the
animations as sprite sheets behind the slider) and without (GIFs and PNG charts). On a
desktop screen every figure is shown larger (figures.css), but never past its own pixels.

tests/test_legibility.py checks that at that size the text and maps are large enough.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from generator.figures.chrome import DENSITY
from tests.browser.visit import DESKTOP, PHONE, Site

pytestmark = pytest.mark.slow

SMALLEST_SCALE = 0.6
DESKTOP_SCALES = (1.5, DENSITY)  # figures.css zooms 1.6 times; more would blur the pixels
ARTICLE_PAGES = ("", "en/", "experiments/", "en/experiments/")  # ja and en, each with figures

# Each figure's shown width over its CSS size (natural width over DENSITY), and how many
# figures the page has: an animation shows its sprite sheet's frame once the slider runs.
MEASURE = """density => {
  const figures = Array.from(document.querySelectorAll("figure.tc-figure"));
  const shown = [];
  for (const figure of figures) {
    const sheet = figure.querySelector(".tc-frames:not([hidden]) img");
    if (sheet) {
      const box = sheet.parentElement;
      const columns = sheet.width / box.clientWidth;  // the sheet is COLUMNS frames wide
      const frame = sheet.naturalWidth / Math.round(columns) / density;
      shown.push({src: sheet.currentSrc, scale: box.getBoundingClientRect().width / frame});
      continue;
    }
    for (const img of figure.querySelectorAll("img")) {
      if (img.getClientRects().length === 0) continue;  // the other colour scheme's chart
      const css = img.naturalWidth / density;
      shown.push({src: img.currentSrc, scale: img.getBoundingClientRect().width / css});
    }
  }
  return {figures: figures.length, shown};
}"""


def load_figures(page: Page) -> None:
    """Scroll each shown figure image in (they load lazily) and wait, at most 10 s each, until
    it has decoded. Polled from here: with JavaScript off the page runs no timers, so a
    script that waits (visit.CHECK_IMAGES) would never return."""
    images = page.locator("figure.tc-figure img")
    for k in range(images.count()):
        image = images.nth(k)
        if not image.is_visible():
            continue  # the other colour scheme's chart
        image.scroll_into_view_if_needed()
        deadline = time.monotonic() + 10
        while not image.evaluate("i => i.complete && i.naturalWidth > 0"):
            assert time.monotonic() < deadline, f"{image.get_attribute('src')} did not load"
            time.sleep(0.05)


def figure_scales(browser, url: str, javascript: bool, phone: bool = True) -> dict:
    screen = (
        {"viewport": PHONE, "device_scale_factor": 3, "is_mobile": True}
        if phone
        else {"viewport": DESKTOP}
    )
    context = browser.new_context(**screen, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        if javascript and page.locator(".tc-slider").count():
            page.wait_for_selector(".tc-frames img", state="attached", timeout=10_000)
        load_figures(page)
        return page.evaluate(MEASURE, DENSITY)
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_figure_is_shown_near_its_css_size_on_a_phone(
    served_tiny_site: Site, browser, javascript
):
    pages = [p for p in served_tiny_site.pages if p in ARTICLE_PAGES]
    assert len(pages) == len(ARTICLE_PAGES), served_tiny_site.pages
    small = {}
    for path in pages:
        measured = figure_scales(browser, served_tiny_site.url + path, javascript)
        assert measured["figures"] >= 2, path
        # one shown image per figure: the colour scheme's chart, the GIF or the sheet
        assert len(measured["shown"]) == measured["figures"], (path, measured)
        small |= {
            f"/{path} {m['src'].rsplit('/', 1)[-1]}": round(m["scale"], 3)
            for m in measured["shown"]
            if m["scale"] < SMALLEST_SCALE
        }
    assert small == {}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_figure_is_shown_larger_on_a_desktop(served_tiny_site: Site, browser, javascript):
    scales = {}
    for path in ARTICLE_PAGES:
        measured = figure_scales(browser, served_tiny_site.url + path, javascript, phone=False)
        assert len(measured["shown"]) == measured["figures"], (path, measured)
        scales |= {f"/{path} {m['src'].rsplit('/', 1)[-1]}": m["scale"] for m in measured["shown"]}
    low, high = DESKTOP_SCALES
    assert {name: round(x, 3) for name, x in scales.items() if not low <= x <= high} == {}
