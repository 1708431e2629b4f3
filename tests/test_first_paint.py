"""What a phone needs for the first screen: math typeset at build time (no math script,
KaTeX's stylesheet only where there is math), images with their size in the markup,
fonts that never hold text back, and no script that blocks the first paint."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from generator.figures.chrome import DENSITY
from tools.project import REPO

BUILT_PAGES = ("index.html", "en/index.html", "experiments/index.html", "en/experiments/index.html")
KATEX = REPO / "docs" / "assets" / "katex"
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"})


def page_html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_no_math_script_and_katex_css_only_with_math(tiny_project, page):
    html = page_html(tiny_project.site, page)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and not [s for s in scripts if re.search(r"katex|mathjax|auto-render", s, re.I)]
    formulas = html.count('class="arithmatex"')
    assert html.count('<span class="katex') >= formulas  # each one typeset...
    assert not re.search(r"\\\(|\\\[", html.split("<article")[1].split("</article>")[0])  # ...all
    stylesheet = re.findall(r'<link rel="stylesheet" href="[^"]*katex\.min\.css">', html)
    assert len(stylesheet) == (1 if formulas else 0)


def test_the_articles_have_their_formulas_typeset(tiny_project):
    for page in ("index.html", "en/index.html"):
        html = page_html(tiny_project.site, page)
        assert html.count('class="katex-display"') >= 8, page  # one formula per layer at least
        assert "<math" in html  # KaTeX's MathML copy, for screen readers


def test_every_script_is_deferred(tiny_project):
    for page in BUILT_PAGES:
        html = page_html(tiny_project.site, page)
        blocking = re.findall(r"<script (?![^>]*\b(?:defer|async)\b)[^>]*\bsrc=[^>]*>", html)
        assert blocking == [], page


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_every_image_has_the_width_and_height_of_its_file(tiny_project, page):
    site = tiny_project.site
    images = re.findall(r"<img\b[^>]*>", page_html(site, page))
    assert images
    for tag in images:
        src = re.search(r'\ssrc="([^"]+)"', tag)[1]
        width, height = re.search(r'\swidth="(\d+)"', tag), re.search(r'\sheight="(\d+)"', tag)
        assert width and height, tag
        with Image.open((site / page).parent / src.split("#")[0]) as image:
            size = image.size
        if "assets/generated/" in src:  # a figure: drawn at DENSITY px per CSS px, exactly
            assert all(side % DENSITY == 0 for side in size), tag
            size = tuple(side // DENSITY for side in size)
        assert size == (int(width[1]), int(height[1])), tag


def test_vendored_katex_is_the_renderer_s_with_font_display_swap():
    """The stylesheet must match the HTML the renderer writes: the same KaTeX version."""
    vendored = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    npm = REPO / "node_modules" / "katex" / "dist" / "katex.min.css"
    if not npm.is_file():
        pytest.fail("npm katex is missing: make test runs npm ci")
    assert vendored == npm.read_text(encoding="utf-8").replace(
        "font-display:block", "font-display:swap"
    )
    faces = re.findall(r"@font-face\{[^}]*\}", vendored)
    assert faces and all("font-display:swap" in face for face in faces)
    assert not (KATEX / "katex.min.js").exists()  # no math script ships


class Ancestry(HTMLParser):
    """For each element of interest, whether it lies inside a .tc-section block."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[bool] = []  # per open element: is it a .tc-section block?
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in {"h1", "h2", "h3"} or "tc-slider" in classes or "tc-section" in classes:
            self.found.append(("tc-slider" if "tc-slider" in classes else tag, any(self.open)))
        if tag not in VOID:
            self.open.append("tc-section" in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.open.pop()


def test_the_articles_below_the_first_screen_are_in_blocks_the_browser_may_skip(tiny_project):
    css = (REPO / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert re.search(r"\.tc-section \{[^}]*content-visibility: auto", css)
    for page in ("index.html", "en/index.html"):
        article = page_html(tiny_project.site, page).split("<article")[1].split("</article>")[0]
        parser = Ancestry()
        parser.feed(article[article.index(">") + 1 :])
        found = parser.found
        kinds = [kind for kind, _ in found]
        assert kinds.count("div") >= 10, page  # a block of content after each layer's heading
        assert kinds.index("div") > kinds.index("h2")  # the intro, the first screen, is not
        # Material's table of contents reads the headings' positions, and the slider must
        # stay sticky across the sections: neither may sit in a block. Nor a block in one.
        assert [kind for kind, inside in found if inside] == [], page
