"""The "Try it" section in Chromium: the page's own forward pass against the recorded trace,
and the section as a reader uses it (keyboard, phone, axe, what it fetches and when).

On the article's default build: the exactness and the nine cells are claims about the
published network, not the tiny preset's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import numpy as np
import pytest
from playwright.sync_api import Browser, Page

from generator import live
from generator.config import build_config
from generator.data import cell_edges, draw_squares
from generator.figures.palette import LEVELS
from generator.files import read_npz
from tests.browser.visit import (
    AXE,
    DESKTOP,
    OVERFLOW,
    SCREENS,
    Screen,
    Site,
    Visit,
    listen,
    transferred,
)
from tests.browser.visit import same_origin as is_local

pytestmark = pytest.mark.slow  # the default build, in a browser

PAGES = ["", "en/"]

# Every output of one forward pass, as plain lists.
FORWARD = """async ([pixels, step]) => {
  const out = await window.insideTinyCNN.forward(new Float32Array(pixels), {step});
  const lists = Object.entries(out).map(([name, values]) => [name, Array.from(values)]);
  return Object.fromEntries(lists);
}"""
SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += 400) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 20));
  }
}"""


@pytest.fixture(scope="module")
def manifest(default_project) -> dict:
    return default_project.published("live.json")


@pytest.fixture(scope="module")
def trace(default_project) -> dict[str, np.ndarray]:
    return read_npz(default_project.generated / "trace.npz")


def live_requests(record: Visit) -> list[str]:
    names = ("live.js", "live.css", "live.json", ".bin")
    return [r.url for r in record.requests if r.url.split("?")[0].endswith(names)]


def reveal(page: Page, selector: str) -> None:
    """Scroll to an element and wait until the browser has laid it out: the article's
    sections are laid out only near the screen (content-visibility: auto), and until then
    an element has no box (Playwright would wait for it to be visible, innerText is '')."""
    page.evaluate(f"document.querySelector({selector!r}).scrollIntoView()")
    page.wait_for_function(f"document.querySelector({selector!r}).getClientRects().length > 0")


def open_page(browser: Browser, url: str, screen: Screen, start: bool = True) -> Iterator:
    context = browser.new_context(
        viewport=screen.viewport,
        is_mobile=screen.is_mobile,
        color_scheme=screen.color_scheme,
        reduced_motion="reduce",  # the article's step slider stays still
    )
    page = context.new_page()
    record = Visit(url)
    listen(page, record)
    page.goto(url, wait_until="networkidle")
    if start:
        reveal(page, ".tc-live__start")
        page.click(".tc-live__start")
        page.wait_for_selector(".tc-live__app:not([hidden])")
        wait_for_prediction(page)
    try:
        yield page, record
    finally:
        context.close()


def wait_for_prediction(page: Page, cell: int | None = None, step: int | None = None) -> str:
    """The live region's text once it announces this cell at this step (any, if None)."""
    strings = json.loads(page.get_attribute(".tc-live", "data-strings"))
    pattern = re.escape(strings["prediction_text"])
    for key, value in (("cell", cell), ("step", step), ("p", None)):
        wanted = r"[\d.]+" if value is None else str(value)
        pattern = pattern.replace(re.escape(f"{{{key}}}"), wanted)
    page.wait_for_function(
        "p => new RegExp(p).test(document.querySelector('.tc-live__prediction').textContent)",
        arg=f"^{pattern}$",
    )
    return page.text_content(".tc-live__prediction")


@pytest.fixture(params=PAGES, ids=["ja", "en"])
def opened(request, browser, served_site: Site) -> Iterator[tuple[Page, Visit]]:
    yield from open_page(browser, served_site.url + request.param, SCREENS[0])


@pytest.mark.parametrize("path", PAGES, ids=["ja", "en"])
def test_nothing_of_the_network_is_fetched_until_the_reader_starts_it(
    browser, served_site, manifest, path
):
    for page, record in open_page(browser, served_site.url + path, SCREENS[1], start=False):
        page.evaluate(SCROLL_THROUGH)  # past the section, without pressing its button
        page.wait_for_load_state("networkidle")
        assert live_requests(record) == []
        assert page.evaluate("window.insideTinyCNN.steps") == [s["step"] for s in manifest["steps"]]
        assert page.is_visible(".tc-live__start") and page.is_hidden(".tc-live__app")


def layer_tolerance(manifest: dict, name: str) -> float:
    """A tenth of one colour level of the article's scale for that layer: far below
    what a reader could see. (Logits and probabilities have the issue's own bounds.)"""
    scale = manifest["scales"][name]
    return (scale["high"] - scale["low"]) / (LEVELS - 1) / 10


def test_the_page_computes_the_recorded_probe_at_every_shipped_step(
    browser, served_site, manifest, trace
):
    probe = trace["probe_image"].ravel().tolist()
    # forward() loads the network by itself: the console API needs no button press
    for page, record in open_page(browser, served_site.url + "en/", SCREENS[0], start=False):
        worst: dict[str, float] = {}
        for shipped in manifest["steps"]:
            row = int(np.searchsorted(trace["steps"], shipped["step"]))
            out = page.evaluate(FORWARD, [probe, shipped["step"]])
            assert set(out) == set(live.OUTPUTS)
            for name, stage in live.OUTPUTS.items():
                recorded = trace[f"stage.{stage}"][row]
                gap = float(np.abs(np.array(out[name]).reshape(recorded.shape) - recorded).max())
                worst[name] = max(worst.get(name, 0.0), gap)
        assert worst["logits"] <= 0.02, worst
        assert worst["probs"] <= 0.005, worst
        for name in ("conv1", "pool1", "conv2", "pool2", "fc1"):
            assert worst[name] <= layer_tolerance(manifest, name), (name, worst)
        assert record.console_errors == [] and record.page_errors == []


def test_a_clean_square_in_each_cell_is_predicted_as_that_cell(browser, served_site, manifest):
    cfg = build_config()
    edges, size = cell_edges(cfg.data), cfg.data.square
    centres = (edges[:-1] + edges[1:] - size) // 2
    cells = range(cfg.data.grid**2)
    corners = np.array([(centres[k // cfg.data.grid], centres[k % cfg.data.grid]) for k in cells])
    images = draw_squares(cfg.data, corners)
    for page, _ in open_page(browser, served_site.url, SCREENS[0], start=False):
        for cell, image in zip(cells, images, strict=True):
            probs = page.evaluate(FORWARD, [image.ravel().tolist(), None])["probs"]
            assert int(np.argmax(probs)) == cell


def test_the_keyboard_moves_the_square_and_the_prediction_is_announced(opened):
    page, record = opened
    assert page.get_attribute(".tc-live__prediction", "aria-live") == "polite"
    for control in ("noise", "row", "column"):
        page.focus(f".tc-live__{control}")
        page.keyboard.press("Home")  # no noise; the square in the top-left corner
    assert page.input_value(".tc-live__image") == "square"
    corners = {("Home", "Home"): 0, ("Home", "End"): 2, ("End", "End"): 8, ("End", "Home"): 6}
    for (row_key, column_key), cell in corners.items():
        page.focus(".tc-live__row")
        page.keyboard.press(row_key)
        page.focus(".tc-live__column")
        page.keyboard.press(column_key)
        wait_for_prediction(page, cell=cell)
    page.focus(".tc-live__input")  # the arrow keys move the square on the image itself
    before = page.input_value(".tc-live__column")
    page.keyboard.press("ArrowRight" if before == "0" else "ArrowLeft")
    assert page.input_value(".tc-live__column") != before
    assert record.console_errors == [] and record.page_errors == []


def test_the_step_control_and_the_article_slider_move_independently(opened, manifest):
    page, _ = opened
    last = str(len(manifest["steps"]) - 1)
    article = page.input_value("#tc-slider-range")
    page.focus(".tc-live__step")
    page.keyboard.press("Home")
    wait_for_prediction(page, step=manifest["steps"][0]["step"])
    assert page.input_value("#tc-slider-range") == article
    page.keyboard.press("End")
    page.focus("#tc-slider-range")
    page.keyboard.press("Home")
    assert page.input_value("#tc-slider-range") == "0"
    assert page.input_value(".tc-live__step") == last
    wait_for_prediction(page, step=manifest["steps"][-1]["step"])


@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
@pytest.mark.parametrize("path", PAGES, ids=["ja", "en"])
def test_the_opened_section_is_clean_on_every_screen(browser, served_site, screen, path):
    for page, record in open_page(browser, served_site.url + path, screen):
        # The article's sections are laid out only near the screen (content-visibility:
        # auto), and axe cannot see the colours of one never laid out: scroll through first.
        page.evaluate(SCROLL_THROUGH)
        reveal(page, ".tc-live__probs")
        violations = [
            f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in AXE.run(page).response["violations"]
        ]
        assert violations == []
        assert page.evaluate(OVERFLOW) <= 0
        assert record.console_errors == [] and record.page_errors == []
        assert record.failed_requests == []
        assert [r.url for r in record.requests if not is_local(r.url, served_site.url)] == []


def test_opening_fetches_the_final_weights_only_and_each_step_once(browser, served_site, manifest):
    """A reader who never starts the network fetches none of it (tested above); one who
    steps through every shipped step fetches each file once, and all of it within 1 MB."""
    files = {s["step"]: s["file"] for s in manifest["steps"]}
    final = manifest["steps"][-1]["step"]
    for page, record in open_page(browser, served_site.url + "en/", SCREENS[0]):
        page.wait_for_load_state("networkidle")
        fetched = [u for u in live_requests(record) if u.endswith(".bin")]
        assert [u.rsplit("/", 1)[1] for u in fetched] == [files[final]]
        page.focus(".tc-live__step")
        page.keyboard.press("Home")
        for _ in files:
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Home")
        wait_for_prediction(page, step=manifest["steps"][0]["step"])
        page.wait_for_load_state("networkidle")
        fetched = [u.rsplit("/", 1)[1] for u in live_requests(record) if u.endswith(".bin")]
        assert sorted(fetched) == sorted(files.values())  # every step, each once
        used = [r for r in record.requests if r.url in set(live_requests(record))]
        assert sum(transferred(r) for r in used) <= 1_000_000


@pytest.mark.parametrize("path", PAGES, ids=["ja", "en"])
def test_without_javascript_the_section_says_it_needs_it(browser, served_site, path):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site.url + path, wait_until="networkidle")
        # innerText is empty for a section the browser has not laid out (content-visibility)
        reveal(page, ".tc-live")
        text = page.inner_text(".tc-live").strip()
        assert text.count("JavaScript") == 1 and text.count("\n") == 0, text
        assert page.is_hidden(".tc-live__start") and page.is_hidden(".tc-live__app")
    finally:
        context.close()


def test_the_export_and_the_page_agree_on_the_shipped_steps(manifest, default_project):
    listed = {f["name"]: f for f in default_project.published("downloads.json")["files"]}
    for shipped in manifest["steps"]:
        assert listed[shipped["file"]]["sha256"] == shipped["sha256"]
        assert listed[shipped["file"]]["bytes"] == shipped["bytes"]
    page = (default_project.site / "en" / "index.html").read_text(encoding="utf-8")
    steps = json.dumps([s["step"] for s in manifest["steps"]]).strip("[]")
    assert f"steps: [{steps}]" in page


def test_a_link_to_a_state_opens_the_section_in_that_state(browser, served_site, manifest):
    cfg = build_config()
    room = cfg.data.image_size - cfg.data.square
    first = manifest["steps"][0]["step"]
    # noise-free, in the top-right cell at step 0; then the same square as its share link has it
    query = f"try=square,0,{room},0,5,{first}"
    for page, record in open_page(
        browser, f"{served_site.url}en/?{query}#try-it", SCREENS[0], False
    ):
        wait_for_prediction(page, step=first)  # started by the link alone
        assert page.input_value(".tc-live__row") == "0"
        assert page.input_value(".tc-live__column") == str(room)
        assert page.input_value(".tc-live__seed") == "5"
        link = page.get_attribute(".tc-live__share", "href")
        assert link.endswith(f"/en/?{query}#try-it")
        page.focus(".tc-live__step")
        page.keyboard.press("End")
        wait_for_prediction(page, cell=cfg.data.grid - 1, step=manifest["steps"][-1]["step"])
        assert record.console_errors == [] and record.page_errors == []


def test_a_link_field_out_of_range_keeps_the_default(browser, served_site, manifest):
    query = "try=nope,999,-3,7,x,12345"  # no field is valid
    for page, _ in open_page(browser, f"{served_site.url}?{query}#try-it", SCREENS[0], False):
        wait_for_prediction(page, step=manifest["steps"][-1]["step"])
        assert page.input_value(".tc-live__image") != "square"  # the probe, as without a link
        assert float(page.input_value(".tc-live__noise")) == manifest["noise"]
