"""The training-step slider in Chromium: one control moves every animation to the same step.

On the tiny build (quick; its 12 snapshots wrap into two rows of a sprite sheet).
Each test opens a page in a fresh context and checks what a reader sees: the
frame every view shows (its sheet's offset inside the clipped box), the
status text, and which files the browser fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.visit import DECODED, DESKTOP, Site, Visit, listen, same_origin

# A real browser or a validator: the slow tier (full make test only).
pytestmark = pytest.mark.slow

RANGE = "#tc-slider-range"

# For each view: the frame it says it shows, and where its sheet sits inside the box,
# in frames (the column and row of the frame that fills the box). Each box is measured
# on screen with its sheet decoded, as a reader sees it: sections far off the screen are
# not laid out (content-visibility), and a measure taken there once came out 1.5% off
# under load. The page is scrolled back afterwards, so a test can go on where it was.
VIEWS = (
    "async () => {"
    + DECODED
    + """
  const scrolled = window.scrollY;
  const views = [];
  for (const box of document.querySelectorAll('.tc-frames')) {
    box.scrollIntoView({block: 'center'});
    const sheet = box.querySelector('img');
    await decoded(sheet);
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const outer = box.getBoundingClientRect();
    const image = sheet.getBoundingClientRect();
    views.push({
      stem: box.dataset.stem,
      frame: Number(box.dataset.frame),
      column: (outer.left - image.left) / outer.width,
      row: (outer.top - image.top) / outer.height
    });
  }
  window.scrollTo(0, scrolled);
  return views;
}"""
)

# Bring every view near the viewport so its lazy sheet loads, then report those that failed.
SHEETS_LOADED = (
    "async () => {"
    + DECODED
    + """
  const broken = [];
  for (const box of document.querySelectorAll('.tc-frames')) {
    box.scrollIntoView();
    const image = box.querySelector('img');
    await decoded(image);
    if (!(image.complete && image.naturalWidth > 0)) broken.push(image.src);
  }
  return broken;
}"""
)


@dataclass(frozen=True)
class Reader:
    page: Page
    record: Visit  # what the page requested, and its errors

    def value(self) -> int:
        return int(self.page.input_value(RANGE))

    @property
    def urls(self) -> list[str]:
        return [r.url for r in self.record.requests]

    @property
    def errors(self) -> list[str]:
        return self.record.console_errors + self.record.page_errors


@pytest.fixture(scope="module")
def timeline(tiny_project) -> dict:
    return json.loads((tiny_project.generated / "timeline.json").read_text(encoding="utf-8"))


def open_page(browser: Browser, url: str, motion: str, javascript: bool = True) -> Iterator[Reader]:
    context = browser.new_context(
        viewport=DESKTOP, reduced_motion=motion, java_script_enabled=javascript
    )
    page = context.new_page()
    reader = Reader(page, Visit(url))
    listen(page, reader.record)
    page.goto(url, wait_until="networkidle")
    if javascript:
        page.wait_for_selector(".tc-slider:not([hidden])")
    try:
        yield reader
    finally:
        context.close()


@pytest.fixture(params=["", "en/"], ids=["ja", "en"])
def still(request, browser, served_tiny_site: Site) -> Iterator[Reader]:
    """A page for a reader who prefers reduced motion: nothing plays by itself."""
    yield from open_page(browser, served_tiny_site.url + request.param, "reduce")


@pytest.fixture(params=["", "en/"], ids=["ja", "en"])
def moving(request, browser, served_tiny_site: Site) -> Iterator[Reader]:
    yield from open_page(browser, served_tiny_site.url + request.param, "no-preference")


def assert_every_view_shows(reader: Reader, k: int, timeline: dict) -> None:
    columns = timeline["columns"]
    views = reader.page.evaluate(VIEWS)
    # each page shows every animation once, drawn in its language (X-ja on the Japanese page)
    japanese = not reader.record.url.endswith("/en/")
    own = [stem for stem in timeline["sheets"] if stem.endswith("-ja") == japanese]
    assert sorted(view["stem"] for view in views) == sorted(own)
    for view in views:
        assert view["frame"] == k
        row, column = divmod(k, columns)
        assert view["row"] == pytest.approx(row, abs=0.01), view
        assert view["column"] == pytest.approx(column, abs=0.01), view
    step = str(timeline["snapshots"][k]["step"])
    shown = reader.page.text_content(".tc-slider [data-field=step]")
    assert shown.split()[0] == step, shown
    assert reader.page.get_attribute(RANGE, "aria-valuetext") == shown


def test_the_keyboard_moves_every_view_to_the_chosen_step(still, timeline):
    last = len(timeline["snapshots"]) - 1
    still.page.focus(RANGE)
    still.page.keyboard.press("Home")
    assert_every_view_shows(still, 0, timeline)
    for k in (1, 2, 3):
        still.page.keyboard.press("ArrowRight")
        assert_every_view_shows(still, k, timeline)
    still.page.keyboard.press("End")
    assert_every_view_shows(still, last, timeline)
    still.page.keyboard.press("ArrowLeft")
    assert_every_view_shows(still, last - 1, timeline)
    assert still.errors == []


def test_the_mouse_moves_every_view_to_the_chosen_step(still, timeline):
    # Clicks and drags go through the range's locator, not page coordinates measured
    # beforehand: sections laid out as they come near the screen (content-visibility) can
    # move the range after a scroll, and Playwright waits until it stays put and checks
    # that the range itself receives the press.
    last = len(timeline["snapshots"]) - 1
    track = still.page.locator(RANGE)
    size = track.bounding_box()
    middle = size["height"] / 2
    track.click(position={"x": 2, "y": middle})  # at the left end
    assert still.value() == 0
    assert_every_view_shows(still, 0, timeline)
    track.drag_to(  # ...then a drag from the left end to about two thirds
        track,
        source_position={"x": 2, "y": middle},
        target_position={"x": size["width"] * 2 / 3, "y": middle},
    )
    dragged = still.value()
    assert 0 < dragged < last
    assert_every_view_shows(still, dragged, timeline)
    assert still.errors == []


def test_the_step_buttons_move_every_view_one_snapshot(still, timeline):
    last = len(timeline["snapshots"]) - 1
    assert still.value() == last  # a still page shows the end of training, like the poster
    still.page.click(".tc-slider__back")
    assert_every_view_shows(still, last - 1, timeline)
    still.page.click(".tc-slider__forward")
    still.page.click(".tc-slider__forward")  # no step past the end
    assert_every_view_shows(still, last, timeline)


def test_nothing_moves_for_a_reader_who_prefers_reduced_motion(still, timeline):
    start = still.value()
    still.page.wait_for_timeout(5 * timeline["frame_ms"])
    assert still.value() == start
    assert still.page.text_content(".tc-slider__play") == still.page.get_attribute(
        ".tc-slider", "data-play"
    )


def test_play_advances_and_pause_stops(moving, timeline):
    page = moving.page
    start = moving.value()  # playing already: no reduced motion was asked for
    page.wait_for_function(f"document.querySelector('{RANGE}').value !== '{start}'")
    page.click(".tc-slider__play")
    assert page.text_content(".tc-slider__play") == page.get_attribute(".tc-slider", "data-play")
    paused = moving.value()
    page.wait_for_timeout(5 * timeline["frame_ms"])
    assert moving.value() == paused
    assert_every_view_shows(moving, paused, timeline)
    page.click(".tc-slider__play")  # and play again
    page.wait_for_function(f"document.querySelector('{RANGE}').value !== '{paused}'")
    assert moving.errors == []


# Scroll so the last animation's bottom edge sits `offset` px below the stuck bar's bottom.
# Sections laid out only near the screen (content-visibility: auto) take their real height
# once scrolled to, and the page moves under the scroll: so scroll again until it is there.
SCROLL_LAST_BELOW_BAR = """async (offset) => {
  const bar = document.querySelector('.tc-slider');
  const boxes = document.querySelectorAll('.tc-frames[data-sprite]');
  const last = boxes[boxes.length - 1];
  const stuck = parseFloat(getComputedStyle(bar).top) + bar.offsetHeight;
  for (let tries = 0; tries < 10; tries++) {
    const off = last.getBoundingClientRect().bottom - stuck - offset;
    if (Math.abs(off) < 1) break;
    window.scrollBy(0, off);
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  }
  if (Math.abs(last.getBoundingClientRect().bottom - stuck - offset) >= 1) return 'not placed';
  return bar.classList.contains('tc-slider--past');
}"""


def test_the_bar_sticks_only_while_an_animation_shows_below_it(still):
    assert still.page.evaluate(SCROLL_LAST_BELOW_BAR, 60) is False  # still in view: stays
    # gone under the bar: it lets go, rather than cover the text after the animation
    assert still.page.evaluate(SCROLL_LAST_BELOW_BAR, -10) is True


def test_every_sheet_loads_and_no_gif_is_fetched_with_javascript(still, served_tiny_site):
    assert still.page.evaluate(SHEETS_LOADED) == []
    still.page.wait_for_load_state("networkidle")
    assert still.record.failed_requests == [] and still.errors == []
    assert [u for u in still.urls if not same_origin(u, served_tiny_site.url)] == []
    sheets = {u for u in still.urls if u.endswith(".frames.png")}
    assert len(sheets) == len(still.page.query_selector_all(".tc-frames"))
    assert [u for u in still.urls if u.endswith((".gif", ".poster.png"))] == []


@pytest.mark.parametrize("path", ["", "en/"])
def test_without_javascript_the_gifs_play_and_no_sheet_is_fetched(browser, served_tiny_site, path):
    for reader in open_page(browser, served_tiny_site.url + path, "no-preference", False):
        reader.page.keyboard.press("End")  # to the bottom, past every lazy image
        reader.page.wait_for_load_state("networkidle")
        assert reader.record.failed_requests == []
        assert any(u.endswith(".gif") for u in reader.urls)
        assert [u for u in reader.urls if u.endswith((".frames.png", "timeline.json"))] == []
        assert reader.page.is_hidden(".tc-slider")


def test_without_the_timeline_the_gifs_come_back(browser, served_tiny_site):
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    try:
        page = context.new_page()
        record = Visit(served_tiny_site.url)
        listen(page, record)
        page.route("**/timeline.json", lambda route: route.fulfill(status=404))
        page.goto(served_tiny_site.url + "en/", wait_until="networkidle")
        page.wait_for_selector("figure noscript + picture img", state="attached")
        assert page.is_hidden(".tc-slider")
        assert len(page.query_selector_all("figure noscript + picture")) == len(
            page.query_selector_all(".tc-frames")
        )
        assert record.page_errors == []
        assert all("404" in error for error in record.console_errors)  # only the timeline's
    finally:
        context.close()
